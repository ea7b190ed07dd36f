"""A sheet's values read cell by cell from its XML, for a sheet calamine cannot read in
bounded memory.

calamine lays a sheet out as one rectangle from its first to its last cell: one stray
value at XFD1048576 asks for 17 billion cells (a value at XFD5000 costs 2.6 GB for a
9-task plan). Such a sheet is read here instead: only the cells it holds, only the
columns the tables use, so memory follows the table, not the sheet's far corner.
Values come as calamine gives them, but a date cell's value stays its serial number
(every reader of a plan takes a serial where it takes a date).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..grid import HEADER_SCAN_ROWS
from .sheetxml import _CELL, _ROW_B, _TEXT, _VALUE, _ooxml_text, _unescape, col_index

# Above this many cells (from A1 to the last cell) for each cell a sheet holds, calamine's
# rectangle is mostly empty: read cell by cell.
SPARSE_RATIO = 8
SMALL = 2_000_000  # cells: a rectangle this size costs calamine about 60 MB
_LAST_ROW = re.compile(rb'<(?:[\w.-]+:)?row r="([0-9]+)"')
# A reference beyond column CZ (3 letters: up to XFD, 16,384 columns; D-Z then a letter: up
# to ZZ, 702); else the sheet is at most 104 columns wide (CZ).
_WIDE = ((re.compile(rb' r="[A-Z]{3}[0-9]'), 16_384), (re.compile(rb' r="[D-Z][A-Z][0-9]'), 702))
_CELL_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]+)"')
_REF = re.compile(r'\sr="([A-Z]+)[0-9]+"')
_TYPE = re.compile(r'\st="([a-zA-Z]+)"')


def _suspect(last_row: int) -> re.Pattern[bytes]:
    """A reference beyond column CZ, or to a row below `last_row` (more digits, or as
    many and bigger from some digit on)."""
    s = str(last_row)
    below = [f"[0-9]{{{len(s) + 1},}}"] + [
        f"{s[:i]}[{int(d) + 1}-9][0-9]{{{len(s) - i - 1}}}"
        for i, d in enumerate(s) if d != "9"]
    return re.compile(rb' r="(?:[A-Z]{3}[0-9]|[D-Z][A-Z][0-9]|[A-Z]{1,3}(?:'
                      + "|".join(below).encode() + rb')")')


def too_sparse(data: bytes) -> bool:
    """Whether calamine's rectangle for this sheet part (in the usual spelling) would be
    far bigger than the cells it holds."""
    tail = data.rfind(b'row r="')
    m = _LAST_ROW.match(data, data.rfind(b"<", 0, tail)) if tail >= 0 else None
    last_row = int(m.group(1)) if m else 0
    cells = data.count(b"<c ") + data.count(b":c ")
    room = SPARSE_RATIO * cells + SMALL
    if last_row * 104 > room:
        return True  # whatever the width
    if _suspect(last_row).search(data) is None:
        return False  # at most 104 columns, the last row the lowest: one search, no more
    # calamine places a cell by its own reference, whatever its row says: one far below
    # the last row (<row r="5"><c r="A1048576">) makes the rectangle that tall.
    rows = max([last_row, *(int(c.group(1)) for c in _CELL_ROW.finditer(data))])
    width = next((w for pattern, w in _WIDE if pattern.search(data)), 104)
    return rows * width > room


def shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True,
                                                         resolve_entities=False))
    ns = etree.QName(root).namespace
    out = []
    for si in root.iter(f"{{{ns}}}si"):
        texts = [t.text or "" for t in si.iter(f"{{{ns}}}t")
                 if etree.QName(t.getparent()).localname != "rPh"]
        out.append(_ooxml_text("".join(texts)))
    return out


def _value(cell: str, strings: list[str]) -> Any:
    m = _TYPE.search(cell[: cell.index(">")])
    kind = m.group(1) if m else "n"
    if kind == "inlineStr":
        return _ooxml_text("".join(_unescape(t) for t in _TEXT.findall(cell)))
    v = _VALUE.search(cell)
    if v is None:
        return ""
    text = _unescape(v.group(1))
    if kind == "s":
        i = int(text)
        return strings[i] if 0 <= i < len(strings) else ""
    if kind in ("str", "e", "d"):
        return _ooxml_text(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    try:
        return float(text)
    except ValueError:
        return text


def sparse_rows(data: bytes, strings: list[str]) -> list[list[Any]]:
    """The sheet's values from A1, as wide as its first rows (the table's header and
    the user's columns) and as long as its last row holding a value in those columns."""
    rows: list[list[Any]] = []
    width = 0
    for rm in _ROW_B.finditer(data):
        row_text = rm.group(0).decode("utf-8")
        num = _LAST_ROW.match(rm.group(0))
        r = int(num.group(1)) if num else len(rows) + 1
        cells: dict[int, Any] = {}
        for cm in _CELL.finditer(row_text):
            ref = _REF.search(cm.group(0)[: cm.group(0).index(">") + 1])
            if ref is None:
                continue
            c = col_index(ref.group(1))
            if r > HEADER_SCAN_ROWS and c >= width:
                continue  # beyond the tables' columns: not read
            value = _value(cm.group(0), strings)
            if value != "":
                cells[c] = value
        if r <= HEADER_SCAN_ROWS and cells:
            width = max(width, max(cells) + 1)
        if not cells:
            continue
        rows.extend([] for _ in range(r - 1 - len(rows)))
        rows.append([cells.get(c, "") for c in range(max(cells) + 1)])
    empty = [""] * width  # one list for every empty row
    return [row + [""] * (width - len(row)) if row else empty for row in rows]
