"""Edit cells of one worksheet part in place, leaving every other cell's XML as it was."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from ..updates import CellUpdate, Change
from ..values import column_letter
from .package import NS_MAIN, _xml

C = f"{{{NS_MAIN}}}c"
ROW = f"{{{NS_MAIN}}}row"
F = f"{{{NS_MAIN}}}f"
V = f"{{{NS_MAIN}}}v"
IS = f"{{{NS_MAIN}}}is"
T = f"{{{NS_MAIN}}}t"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_REF = re.compile(r"([A-Z]+)(\d+)")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _split(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_index(m.group(1))


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class SheetXml:
    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.root = _xml(data, name)
        data_el = self.root.find(f"{{{NS_MAIN}}}sheetData")
        if data_el is None:
            data_el = etree.SubElement(self.root, f"{{{NS_MAIN}}}sheetData")
        self.sheet_data = data_el
        self.rows: dict[int, etree._Element] = {}
        for row in self.sheet_data.iter(ROW):
            self.rows[int(row.get("r", "0"))] = row
        self.changed = False

    # ---- reading ----------------------------------------------------------------
    def cell(self, row: int, col: int) -> etree._Element | None:
        r = self.rows.get(row)
        if r is None:
            return None
        ref = f"{column_letter(col)}{row}"
        for c in r.iter(C):
            if c.get("r") == ref:
                return c
        return None

    def formula(self, row: int, col: int) -> str | None:
        c = self.cell(row, col)
        if c is None:
            return None
        f = c.find(F)
        if f is None:
            return None
        return f.text or ("" if f.get("t") == "shared" else None)

    def has_formula(self, row: int, col: int) -> bool:
        c = self.cell(row, col)
        return c is not None and c.find(F) is not None

    @staticmethod
    def _value_text(c: etree._Element | None) -> str:
        if c is None:
            return ""
        if c.get("t") == "inlineStr":
            return "".join(t.text or "" for t in c.iter(T))
        v = c.find(V)
        return v.text or "" if v is not None else ""

    # ---- writing ----------------------------------------------------------------
    def _row(self, row: int) -> etree._Element:
        el = self.rows.get(row)
        if el is not None:
            return el
        el = etree.Element(ROW, r=str(row))
        later = [r for r in self.rows if r > row]
        if later:
            self.rows[min(later)].addprevious(el)
        else:
            self.sheet_data.append(el)
        self.rows[row] = el
        return el

    def _style_above(self, row: int, col: int) -> str | None:
        for r in range(row - 1, max(0, row - 50), -1):
            c = self.cell(r, col)
            if c is not None and c.get("s"):
                return c.get("s")
        return None

    def _new_cell(self, row: int, col: int) -> etree._Element:
        r = self._row(row)
        ref = f"{column_letter(col)}{row}"
        c = etree.Element(C, r=ref)
        style = self._style_above(row, col)
        if style:
            c.set("s", style)
        for other in r.iter(C):
            if _split(other.get("r", "A1"))[1] > col:
                other.addprevious(c)
                break
        else:
            r.append(c)
        return c

    def apply(self, updates: Iterable[CellUpdate], dry_run: bool = False) -> list[Change]:
        """Apply the updates that change something; return those changes."""
        changes: list[Change] = []
        for u in updates:
            c = self.cell(u.row, u.col)
            f_el = None if c is None else c.find(F)
            old_formula = None if f_el is None else (f_el.text or "")
            old_value = self._value_text(c)
            new_formula = u.formula[1:] if u.formula else None
            new_value = "" if u.value is None else (
                _number(u.value) if isinstance(u.value, int | float) else str(u.value))
            if old_formula == new_formula and self._same(old_value, new_value, u):
                continue
            changes.append(Change(u, old_value, new_value))
            if dry_run:
                continue
            if c is None:
                if u.kind == "blank":
                    continue
                c = self._new_cell(u.row, u.col)
            self._set(c, u, new_formula, new_value)
            self.changed = True
        return changes

    @staticmethod
    def _same(old: str, new: str, u: CellUpdate) -> bool:
        if u.kind in ("date", "number") and old and new:
            try:
                return float(old) == float(new)
            except ValueError:
                return False
        return old == new

    @staticmethod
    def _set(c: etree._Element, u: CellUpdate, formula: str | None, value: str) -> None:
        for child in list(c):
            c.remove(child)
        for attr in ("t", "cm", "vm"):
            if attr in c.attrib:
                del c.attrib[attr]
        if u.kind == "blank":
            return
        if formula is not None:
            etree.SubElement(c, F).text = formula
        if u.kind == "text":
            if formula is not None:
                c.set("t", "str")
                etree.SubElement(c, V).text = value
            else:
                c.set("t", "inlineStr")
                t = etree.SubElement(etree.SubElement(c, IS), T)
                t.text = value
                if value != value.strip():
                    t.set(XML_SPACE, "preserve")
        elif value != "":
            etree.SubElement(c, V).text = value

    def grow_ranges(self, old_last: int, new_last: int) -> None:
        """Ranges (conditional formats, validations, dimension) ending on the table's last
        row are stretched to the new last row, as Excel does when a table grows."""
        if new_last <= old_last:
            return
        pattern = re.compile(rf"(\$?[A-Z]+\$?){old_last}\b")

        def stretch(sqref: str) -> str:
            parts = []
            for part in sqref.split():
                if ":" in part:
                    a, b = part.split(":", 1)
                    b = pattern.sub(lambda m: f"{m.group(1)}{new_last}", b)
                    part = f"{a}:{b}"
                parts.append(part)
            return " ".join(parts)

        for tag in ("conditionalFormatting", "dataValidation"):
            for el in self.root.iter(f"{{{NS_MAIN}}}{tag}"):
                if el.get("sqref"):
                    el.set("sqref", stretch(el.get("sqref", "")))
        dim = self.root.find(f"{{{NS_MAIN}}}dimension")
        if dim is not None and ":" in dim.get("ref", ""):
            a, b = dim.get("ref", "").split(":")
            row, col = _split(b.replace("$", ""))
            if row < new_last:
                dim.set("ref", f"{a}:{column_letter(col)}{new_last}")
        self.changed = True

    def to_bytes(self) -> bytes:
        return bytes(etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True))


def grow_table(data: bytes, name: str, old_last: int, new_last: int) -> bytes | None:
    """A table part whose range ends on `old_last`, stretched to `new_last` (or None)."""
    root = _xml(data, name)
    ref = root.get("ref", "")
    m = re.fullmatch(r"([A-Z]+\d+):([A-Z]+)(\d+)", ref)
    if not m or int(m.group(3)) != old_last:
        return None
    new_ref = f"{m.group(1)}:{m.group(2)}{new_last}"
    root.set("ref", new_ref)
    af = root.find(f"{{{NS_MAIN}}}autoFilter")
    if af is not None:
        af.set("ref", new_ref)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
