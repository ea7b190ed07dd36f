"""A sheet part's formulas read in one pass, for a command that only reads them (check,
the comparison before a recompute writes).

`SheetXml` keeps every row of the part to edit it: 120 MB for a 100,000-row plan, and a
search per row. Reading formulas needs neither: one regular expression over the part
finds each formula cell, and a formula is kept once per shape (its text with its own row
number taken out: the rows of a plan's column differ by that number only), so 300,000
formulas cost a few MB. A part this pass cannot read exactly as `SheetXml` does (a row
out of order, a formula tag not first in its cell) is left to `SheetXml` (`read` gives
None).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .sheetxml import _SHEET_DATA_B, _unescape, col_index

_MARK = b"\x00"  # never in XML text: stands for the row's number in a shape
_PATTERNS: dict[bytes, re.Pattern[bytes]] = {}


def _pattern(prefix: bytes) -> re.Pattern[bytes]:
    """A row's start (its number) or a formula cell with its formula first (reference,
    row number, the formula's text; None for `<f …/>`), in the usual spelling."""
    if prefix not in _PATTERNS:
        p = re.escape(prefix)
        _PATTERNS[prefix] = re.compile(
            b"<" + p + rb'row r="([0-9]+)"|<' + p + rb'c r="([A-Z]+)([0-9]+)"[^>]*>(?:<' + p
            + rb"f(?:\s[^>]*)?/>|<" + p + rb"f(?:\s[^>]*)?>([^<]*)</" + p + rb"f>)")
    return _PATTERNS[prefix]


class Formulas:
    """Column → formula (without "="; "" for a shared formula's other cells) by row."""

    def __init__(self, by_column: dict[int, list[bytes | str | None]]) -> None:
        self._by_column = by_column  # column → by row: the formula's shape (str: as is)
        self._texts: dict[bytes, str] = {}  # a shape's text, unescaped once

    def has(self, row: int, col: int) -> bool:
        """Whether the cell holds a formula (its text not made)."""
        rows = self._by_column.get(col)
        return rows is not None and 0 <= row < len(rows) and rows[row] is not None

    def get(self, row: int, col: int) -> str | None:
        rows = self._by_column.get(col)
        if rows is None or not 0 <= row < len(rows):
            return None
        shape = rows[row]
        if shape is None or isinstance(shape, str):
            return shape
        text = self._texts.get(shape)
        if text is None:
            text = self._texts[shape] = _unescape(shape.decode("utf-8"))
        return text.replace("\x00", str(row)) if "\x00" in text else text


class _Pass:
    """The one pass, fed the part's sheetData a run of whole rows at a time."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix
        self.pattern = _pattern(prefix)
        # A plan's formula columns are a few: a list by row each is a fraction of a dict.
        self.by_column: dict[int, list[bytes | str | None]] = {}
        self.seen: dict[bytes, bytes] = {}
        self.columns: dict[bytes, int] = {}
        self.row, self.number = 0, b""

    def _matches(self, data: bytes, begin: int, end: int) -> Iterator[tuple[bytes, ...]]:
        """The matches in data[begin:end], a run of about a megabyte of whole rows at a
        time as tuples (not 400,000 match objects; a part read whole is not matched
        whole at once)."""
        row_end = b"</" + self.prefix + b"row>"
        while begin < end:
            stop = data.find(row_end, min(begin + (1 << 20), end), end)
            stop = end if stop < 0 else stop + len(row_end)
            yield from self.pattern.findall(data, begin, stop)
            begin = stop

    def feed(self, data: bytes, begin: int, end: int) -> bool:
        """Read the rows in data[begin:end]; False when SheetXml must read the part."""
        by_column, seen, columns = self.by_column, self.seen, self.columns
        rows = tags = 0
        row, number = self.row, self.number
        slots: list[bytes | str | None] = []
        for given, letters, cell_row, raw in self._matches(data, begin, end):
            if given:
                rows += 1
                new = int(given)
                if new <= row:  # out of order or repeated: SheetXml's rule (the last wins)
                    return False
                row, number = new, str(new).encode()
                continue
            tags += 1
            if cell_row != number:
                continue  # a cell outside its row: SheetXml does not read it either
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = col_index(letters.decode())
                by_column.setdefault(col, [])
            slots = by_column[col]
            have = len(slots)
            if have > row:
                continue  # the first of two cells with one reference
            if have < row:
                slots.extend([None] * (row - have))
            if not raw:
                slots.append("")
            elif b"&#" in raw:  # a character reference may hold the row's digits: kept whole
                slots.append(_unescape(raw.decode("utf-8")))
            elif number in raw:
                shape = raw.replace(number, _MARK)
                slots.append(seen.setdefault(shape, shape))
            else:
                slots.append(seen.setdefault(raw, raw))
        self.row, self.number = row, number
        # Every row and formula tag read above, or the part is left to SheetXml.
        p = self.prefix
        return rows == data.count(b"<" + p + b"row", begin, end) and \
            tags == data.count(b"<" + p + b"f", begin, end)


def read(chunks: Iterable[bytes]) -> Formulas | None:
    """The formulas of a sheet part in the usual spelling, given in pieces (a big part is
    never held whole), or None when this pass cannot vouch for them (the caller reads
    the part with `SheetXml`)."""
    pieces = iter(chunks)
    data = b""
    for piece in pieces:
        data += piece
        m = _SHEET_DATA_B.search(data)
        if m is not None:
            break
    else:
        return None
    if m.group(2):  # <sheetData/>
        return Formulas({})
    one = _Pass(m.group(1))
    closing, row_end = b"</" + one.prefix + b"sheetData>", b"</" + one.prefix + b"row>"
    begin = m.end()
    while True:
        close = data.find(closing, begin)
        if close >= 0:
            return Formulas(one.by_column) if one.feed(data, begin, close) else None
        cut = data.rfind(row_end, begin)
        if cut >= 0:
            cut += len(row_end)
            if not one.feed(data, begin, cut):
                return None
            begin = cut
        more = next(pieces, None)
        if more is None:
            return None
        data = data[begin:] + more
        begin = 0
