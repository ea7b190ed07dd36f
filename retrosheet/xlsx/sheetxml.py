"""Edit cells of one worksheet part in place, leaving every other byte of it as it was.

The part is handled as text, row by row: a row retrosheet does not touch keeps its exact
bytes, and a 10,000-row sheet costs its text and a list of rows, not a DOM (an lxml tree
of such a sheet is several times the size of the openpyxl baseline the targets name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from typing import IO
from xml.sax.saxutils import escape

from ..errors import WorkbookError, msg
from ..updates import CellUpdate, Change
from ..values import column_letter
from .spelling import usual

_SHEET_DATA_B = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_ROW_B = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*?/>|<(?:[\w.-]+:)?row\b[^>]*>.*?</(?:[\w.-]+:)?row>",
                    re.DOTALL)
_CELL = re.compile(r"<(?:[\w.-]+:)?c\b[^>]*?/>|<(?:[\w.-]+:)?c\b[^>]*>.*?</(?:[\w.-]+:)?c>",
                   re.DOTALL)
_ROW_NUM_B = re.compile(rb'\sr="(\d+)"')
_CELL_REF = re.compile(r'\sr="([A-Z]+)(\d+)"')
# A cell's reference, its first attribute in the usual spelling.
_CELL_REF_HEAD = re.compile(r'<(?:[\w.-]+:)?c\b[^>]*?\sr="([A-Z]+)(\d+)"')
_ATTR = re.compile(r'\s([\w:.-]+)="([^"]*)"')
_FORMULA = re.compile(r"<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?f>)", re.DOTALL)
_VALUE = re.compile(r"<(?:[\w.-]+:)?v>(.*?)</(?:[\w.-]+:)?v>", re.DOTALL)
_TEXT = re.compile(r"<(?:[\w.-]+:)?t\b[^>]*>(.*?)</(?:[\w.-]+:)?t>", re.DOTALL)


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_CHARREF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")


def _encoded(row: bytes | str) -> bytes:
    return row if isinstance(row, bytes) else row.encode("utf-8")


def _unescape(text: str) -> str:
    """Text of an element: references replaced (the usual spelling has no other entity
    than XML's five)."""
    if "&" not in text:
        return text
    if "&#" in text:  # a few distinct references, repeated: replace each once
        for ref in set(_CHARREF.findall(text)):
            char = chr(int(ref[1:], 16) if ref[0] == "x" else int(ref))
            if char == "&":
                return unescape(text)
            text = text.replace(f"&#{ref};", char)
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


# Characters XML 1.0 forbids even as references; Excel stores them as `_xHHHH_` (and a
# literal `_xHHHH_` as `_x005F_xHHHH_`), which every spreadsheet reads back.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(text: str) -> str:
    """Text as a cell's XML holds it: control characters as `_xHHHH_`, then XML-escaped."""
    return escape(_FORBIDDEN.sub(lambda m: "_x005F_" if m.group(0) == "_"
                                 else f"_x{ord(m.group(0)):04X}_", text))


def _ooxml_text(text: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class _Cell:
    """One `<c>` element's text and what retrosheet compares in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        end = text.index(">")
        self.start_tag = text[: end + 1]
        self.attrs: dict[str, str] = dict(_ATTR.findall(self.start_tag))
        ref = _CELL_REF.search(self.start_tag)
        self.col = col_index(ref.group(1)) if ref else -1

    @property
    def formula(self) -> str | None:
        m = _FORMULA.search(self.text)
        return None if m is None else _unescape(str(m.group(1) or ""))

    @property
    def value(self) -> str:
        if self.attrs.get("t") == "inlineStr":
            return _ooxml_text("".join(_unescape(t) for t in _TEXT.findall(self.text)))
        m = _VALUE.search(self.text)
        return _unescape(m.group(1)) if m else ""


class SheetXml:
    """A worksheet part. `header_row` (1-based; 0 for none): new cells take the style of the
    data cell above them, or else their column's own style, never the header's."""

    def __init__(self, data: bytes, name: str, header_row: int = 0,
                 usual_spelling: bool = False) -> None:
        self.name = name
        self.header_row = header_row
        # The regexes below read the usual spelling only: any other is respelled first
        # (`usual_spelling`: the caller did it).
        self.respelled = False
        if not usual_spelling:
            data, self.respelled = usual(data, name)
        m = _SHEET_DATA_B.search(data)
        if m is None:
            raise WorkbookError(msg("err.read.no_sheet_data", part=name))
        self.prefix = m.group(1).decode("ascii")
        if m.group(2):  # <sheetData/>: no rows yet
            head = data[: m.start()] + f"<{self.prefix}sheetData>".encode()
            tail = f"</{self.prefix}sheetData>".encode() + data[m.end():]
            begin = close = m.end()
        else:
            begin = m.end()
            close = data.index(f"</{self.prefix}sheetData>".encode(), begin)
            head, tail = data[:begin], data[close:]
        # Rows stay bytes (UTF-8): half the memory of text for a sheet whose formulas name
        # 'Paramètres'; a row is decoded only when one of its cells is read or written.
        self.rows: list[bytes | str] = []  # str once edited: decoded and encoded once
        self.numbers: list[int] = []
        pos, last = begin, 0
        for rm in _ROW_B.finditer(data, begin, close):
            if self.rows:
                self.rows[-1] = _encoded(self.rows[-1]) + data[pos: rm.start()]  # spaces
            else:
                head += data[pos: rm.start()]
            row = rm.group(0)
            num = _ROW_NUM_B.search(row, 0, row.index(b">"))
            last = int(num.group(1)) if num else last + 1
            self.rows.append(row)
            self.numbers.append(last)
            pos = rm.end()
        tail = data[pos:close] + tail
        try:
            self.head, self.tail = head.decode("utf-8"), tail.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkbookError(msg("err.read.not_utf8", part=name, reason=str(exc))) from exc
        self.index = {n: i for i, n in enumerate(self.numbers)}
        self.changed = False
        # The formulas of the last row read: callers ask a row's cells one after another.
        self._row_formulas: tuple[int, dict[int, str]] | None = None
        self.col_styles: dict[int, str] = {}
        for tag in re.findall(r"<(?:[\w.-]+:)?col\b[^>]*>", self.head):
            attrs: dict[str, str] = dict(_ATTR.findall(tag))
            lo, hi = attrs.get("min", ""), attrs.get("max", attrs.get("min", ""))
            if "style" in attrs and lo.isdigit() and hi.isdigit():
                for c in range(int(lo), int(hi) + 1):
                    self.col_styles[c - 1] = attrs["style"]

    # ---- reading ----------------------------------------------------------------
    def _row_text(self, i: int) -> str:
        row = self.rows[i]
        if isinstance(row, str):
            return row
        try:
            return row.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkbookError(msg("err.read.not_utf8", part=self.name,
                                    reason=str(exc))) from exc

    def _cell(self, row: int, col: int) -> _Cell | None:
        i = self.index.get(row)
        if i is None:
            return None
        needle = f' r="{column_letter(col)}{row}"'
        raw = self.rows[i]
        if (needle not in raw) if isinstance(raw, str) else (needle.encode() not in raw):
            return None
        text = self._row_text(i)
        # Find the cell by its reference; attributes never hold "<" or ">".
        at = text.find(f' r="{column_letter(col)}{row}"')
        start = text.rfind("<", 0, at)
        tag_end = text.index(">", at)
        if text[tag_end - 1] == "/":
            return _Cell(text[start: tag_end + 1])
        close = f"</{self.prefix}c>"
        end = text.index(close, tag_end) + len(close)
        return _Cell(text[start:end])

    def has_formula(self, row: int, col: int) -> bool:
        return self.formula(row, col) is not None

    def formula(self, row: int, col: int) -> str | None:
        """The cell's formula without its "=", or None."""
        if self._row_formulas is None or self._row_formulas[0] != row:
            self._row_formulas = (row, self._formulas_of(row))
        return self._row_formulas[1].get(col)

    def _formulas_of(self, row: int) -> dict[int, str]:
        """Column → formula of every formula cell of a row, read in one pass over the row
        (a cell at a time cost a search, a copy and a parse for each of 400,000 cells)."""
        i = self.index.get(row)
        if i is None:
            return {}
        text = self._row_text(i)
        out: dict[int, str] = {}
        number = str(row)
        if self.prefix:  # a prefixed spelling: cell by cell
            for m in _CELL.finditer(text):
                self._add_formula(out, m.group(0), number)
            return out
        # Text holds no "<" in the usual spelling: each "<f" opens a formula, inside the
        # cell opened by the "<c " before it.
        at = text.find("<f")
        while at >= 0:
            gt, start = text.find(">", at), text.rfind("<c ", 0, at)
            if text[at + 2: at + 3] in (">", " ", "/") and gt > 0 and start >= 0:
                ref = _CELL_REF_HEAD.match(text, start)
                end = text.find("</f>", gt) if text[gt - 1] != "/" else gt
                if ref is not None and ref.group(2) == number and end >= 0:
                    out.setdefault(col_index(ref.group(1)), _unescape(text[gt + 1: end]))
            at = text.find("<f", at + 2)
        return out

    @staticmethod
    def _add_formula(out: dict[int, str], cell: str, number: str) -> None:
        ref = _CELL_REF_HEAD.match(cell)
        f = _FORMULA.search(cell)
        if ref is not None and ref.group(2) == number and f is not None:
            out.setdefault(col_index(ref.group(1)), _unescape(str(f.group(1) or "")))

    # ---- writing ----------------------------------------------------------------
    def _style_above(self, row: int, col: int) -> str | None:
        for r in range(row - 1, max(self.header_row, row - 50), -1):
            c = self._cell(r, col)
            if c is not None and "s" in c.attrs:
                return c.attrs["s"]
        return self.col_styles.get(col)

    def _render(self, row: int, col: int, u: CellUpdate, attrs: dict[str, str],
                value: str) -> str:
        p = self.prefix
        attrs = {k: v for k, v in attrs.items() if k not in ("r", "t", "cm", "vm")}
        head = f'<{p}c r="{column_letter(col)}{row}"'
        head += "".join(f' {k}="{v}"' for k, v in attrs.items())
        if u.kind == "blank":
            return head + "/>"
        inner = ""
        if u.formula:
            inner += f"<{p}f>{escape(u.formula[1:])}</{p}f>"
        if u.kind == "text" and not u.formula:
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return (head + f' t="inlineStr"><{p}is><{p}t{space}>{cell_text(value)}</{p}t>'
                    f"</{p}is></{p}c>")
        if u.kind == "text":
            head += ' t="str"'
        if value != "":
            inner += f"<{p}v>{cell_text(value)}</{p}v>"
        return head + ">" + inner + f"</{p}c>"

    def _row_index(self, row: int) -> int:
        i = self.index.get(row)
        if i is not None:
            return i
        # A new row goes before the first row with a larger number.
        at = next((k for k, n in enumerate(self.numbers) if n > row), len(self.numbers))
        self.rows.insert(at, f'<{self.prefix}row r="{row}"></{self.prefix}row>'.encode())
        self.numbers.insert(at, row)
        self.index = {n: k for k, n in enumerate(self.numbers)}
        return at

    def _put(self, row: int, col: int, cell_text: str | None, old: _Cell | None) -> None:
        self._row_formulas = None
        i = self._row_index(row)
        self.rows[i] = self._put_in(self._row_text(i), col, cell_text, old)

    def _put_in(self, text: str, col: int, cell_text: str | None, old: _Cell | None) -> str:
        if old is not None:
            start = text.index(old.text)
            return text[:start] + (cell_text or "") + text[start + len(old.text):]
        if cell_text is None:
            return text
        # Insert in column order, or at the end of the row.
        for c in _CELL.finditer(text):
            if _Cell(c.group(0)).col > col:
                return text[: c.start()] + cell_text + text[c.start():]
        if text.endswith("/>"):  # <row r="5"/>
            return text[:-2] + ">" + cell_text + f"</{self.prefix}row>"
        close = text.rindex("</")
        return text[:close] + cell_text + text[close:]

    def apply(self, updates: Iterable[CellUpdate], dry_run: bool = False) -> list[Change]:
        """Apply the updates that change something; return those changes."""
        changes: list[Change] = []
        for u in updates:
            c = self._cell(u.row, u.col)
            old_formula = None if c is None else c.formula
            old_value = "" if c is None else c.value
            new_formula = u.formula[1:] if u.formula else None
            new_value = "" if u.value is None else (
                _number(u.value) if isinstance(u.value, int | float) else str(u.value))
            if old_formula == new_formula and self._same(old_value, new_value, u):
                continue
            changes.append(Change(u, old_value, new_value))
            if dry_run or (c is None and u.kind == "blank"):
                continue
            if c is not None:
                attrs = dict(c.attrs)
            else:
                style = self._style_above(u.row, u.col)
                attrs = {"s": style} if style else {}
            self._put(u.row, u.col, self._render(u.row, u.col, u, attrs, new_value), c)
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

    def grow_ranges(self, old_last: int, new_last: int) -> None:
        """Ranges (conditional formats, validations, dimension) ending on the table's last
        row are stretched to the new last row, as Excel does when a table grows."""
        if new_last <= old_last:
            return
        end = re.compile(rf"(:\$?[A-Z]+\$?){old_last}(?![0-9])")

        def stretch(m: re.Match[str]) -> str:
            return end.sub(lambda e: f"{e.group(1)}{new_last}", m.group(0))

        self.tail = re.sub(r'sqref="[^"]*"|<xm:sqref>[^<]*</xm:sqref>', stretch, self.tail)

        def dimension(m: re.Match[str]) -> str:
            ref = re.search(r':([A-Z]+)(\d+)"', m.group(0))
            if ref and int(ref.group(2)) < new_last:
                return m.group(0).replace(f":{ref.group(1)}{ref.group(2)}\"",
                                          f":{ref.group(1)}{new_last}\"")
            return m.group(0)

        self.head = re.sub(r"<(?:[\w.-]+:)?dimension\b[^>]*>", dimension, self.head)
        self.changed = True

    def to_bytes(self) -> bytes:
        return self.head.encode("utf-8") + b"".join(map(_encoded, self.rows)) + \
            self.tail.encode("utf-8")

    def write(self, stream: IO[bytes]) -> None:
        """The part, written row by row: a big sheet is never joined in memory."""
        stream.write(self.head.encode("utf-8"))
        for i in range(0, len(self.rows), 2000):
            stream.write(b"".join(map(_encoded, self.rows[i: i + 2000])))
        stream.write(self.tail.encode("utf-8"))


def grow_table(data: bytes, name: str, old_last: int, new_last: int) -> bytes | None:
    """A table part whose range ends on `old_last`, stretched to `new_last` (or None)."""
    text = data.decode("utf-8")
    m = re.search(r'<(?:[\w.-]+:)?table\b[^>]*?\sref="([A-Z]+\d+):([A-Z]+)(\d+)"', text)
    if not m or int(m.group(3)) != old_last:
        return None
    old_ref = f'ref="{m.group(1)}:{m.group(2)}{old_last}"'
    new_ref = f'ref="{m.group(1)}:{m.group(2)}{new_last}"'
    return text.replace(old_ref, new_ref).encode("utf-8")
