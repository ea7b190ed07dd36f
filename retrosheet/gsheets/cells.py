"""Cells as the Sheets API spells them: values, formulas, formats, ranges, updateCells.

Pure functions (no gspread, no HTTP): turning API CellData into the grid values
``book.load_from_sheets`` reads, and ``CellUpdate``s into batchUpdate requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..updates import CellUpdate

Json = dict[str, Any]

# Locales whose decimal separator is a comma: there Google parses formula arguments
# separated by `;` (a `,` would be read as a decimal point).
_COMMA_DECIMAL = re.compile(
    r"^(fr|de|es|it|pt|nl|da|fi|sv|nb|no|nn|pl|cs|sk|sl|hr|sr|bs|hu|ro|bg|ru|uk|be|tr|el|lt|"
    r"lv|et|is|id|vi|ca|eu|gl|af|az|kk|ka|mk|sq|hy|uz|mn|ky|tk|lb|fo|rm|se)(_|$)")


def comma_decimal(locale: str) -> bool:
    return bool(_COMMA_DECIMAL.match(locale or "en_US"))


def _split_outside_strings(formula: str) -> list[tuple[bool, str]]:
    """(inside a "string" literal, text) pieces of a formula."""
    return [(i % 2 == 1, part) for i, part in enumerate(re.split(r'("(?:[^"]|"")*")', formula))]


def localize(formula: str, locale: str) -> str:
    """`formula` written with retrosheet's `,` separators, for a spreadsheet's locale.

    retrosheet's formulas use no decimal numbers and no array literals, so swapping the
    argument separator outside string literals is the whole translation.
    """
    if not comma_decimal(locale):
        return formula
    return "".join(text if quoted else text.replace(",", ";")
                   for quoted, text in _split_outside_strings(formula))


def canonical(formula: str) -> str:
    """A formula with `,` separators and no spaces outside strings, for comparisons."""
    return "".join(text if quoted else re.sub(r"\s+", "", text.replace(";", ","))
                   for quoted, text in _split_outside_strings(formula))


def rgb(hex_color: str) -> Json:
    h = hex_color.lstrip("#")
    return {"red": int(h[0:2], 16) / 255, "green": int(h[2:4], 16) / 255,
            "blue": int(h[4:6], 16) / 255}


def grid_range(sheet_id: int, r0: int | None = None, r1: int | None = None,
               c0: int | None = None, c1: int | None = None) -> Json:
    """A GridRange, 0-based, end-exclusive; None leaves that side unbounded."""
    out: Json = {"sheetId": sheet_id}
    for name, v in (("startRowIndex", r0), ("endRowIndex", r1), ("startColumnIndex", c0),
                    ("endColumnIndex", c1)):
        if v is not None:
            out[name] = v
    return out


# ---- reading ---------------------------------------------------------------------------

def plain(value: Mapping[str, Any] | None) -> Any:
    """An ExtendedValue as a Python value (errors and nothing as None)."""
    if not value:
        return None
    if "numberValue" in value:
        return float(value["numberValue"])
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    return None


def cell_value(cell: Mapping[str, Any]) -> tuple[Any, str | None]:
    """A CellData as (the value retrosheet reads, the formula or None).

    A formula cell reads as what Google computed (effectiveValue), or None when there is
    none (an error, or a server that does not compute): retrosheet recomputes dates
    itself and never needs a formula's cached result.
    """
    entered = cell.get("userEnteredValue") or {}
    formula = entered.get("formulaValue")
    if formula is not None:
        return plain(cell.get("effectiveValue")), str(formula)
    if "effectiveValue" in cell:
        return plain(cell["effectiveValue"]), None
    return plain(entered), None


# ---- writing ---------------------------------------------------------------------------

def number_format(pattern: str, kind: str = "NUMBER") -> Json:
    return {"numberFormat": {"type": kind, "pattern": pattern}}


def entered(update: CellUpdate, locale: str) -> Json:
    """The userEnteredValue of a CellUpdate (a date is its serial number)."""
    if update.formula:
        return {"formulaValue": localize(update.formula, locale)}
    if update.kind == "blank" or update.value is None:
        return {}
    if update.kind in ("date", "number") and isinstance(update.value, int | float):
        return {"numberValue": update.value}
    return {"stringValue": str(update.value)}


def update_cells(sheet_id: int, cells: Mapping[tuple[int, int], Json], fields: str) -> list[Json]:
    """updateCells requests writing `cells` ((row, col) 0-based → CellData), grouped.

    Cells side by side in a row make one run; runs on consecutive rows with the same
    columns make one request, so a recompute of thousands of rows stays a few requests
    inside its single batchUpdate.
    """
    by_row: dict[int, dict[int, Json]] = {}
    for (r, c), data in cells.items():
        by_row.setdefault(r, {})[c] = data
    runs: list[tuple[int, int, int, list[Json]]] = []  # (row, first col, last col, cells)
    for r in sorted(by_row):
        cols = sorted(by_row[r])
        start = prev = cols[0]
        values = [by_row[r][start]]
        for c in cols[1:]:
            if c == prev + 1:
                values.append(by_row[r][c])
            else:
                runs.append((r, start, prev, values))
                start, values = c, [by_row[r][c]]
            prev = c
        runs.append((r, start, prev, values))
    out: list[Json] = []
    block: list[tuple[int, int, int, list[Json]]] = []

    def flush() -> None:
        if not block:
            return
        r0, c0, c1, _ = block[0]
        out.append({"updateCells": {
            "range": grid_range(sheet_id, r0, r0 + len(block), c0, c1 + 1),
            "rows": [{"values": v} for _, _, _, v in block],
            "fields": fields,
        }})
        block.clear()

    for run in sorted(runs, key=lambda x: (x[1], x[2], x[0])):
        if block and (run[1], run[2]) == (block[-1][1], block[-1][2]) \
                and run[0] == block[-1][0] + 1:
            block.append(run)
        else:
            flush()
            block.append(run)
    flush()
    return out


def cells_of(updates: Iterable[CellUpdate], locale: str,
             formats: Mapping[tuple[int, int], Json] | None = None
             ) -> dict[tuple[int, int], Json]:
    """(row, col) 0-based → CellData for updates of one sheet; `formats` adds a
    userEnteredFormat to some cells."""
    out: dict[tuple[int, int], Json] = {}
    for u in updates:
        value = entered(u, locale)
        # a blank cell: userEnteredValue left out (and named in `fields`) clears it
        data: Json = {"userEnteredValue": value} if value else {}
        fmt = (formats or {}).get((u.row - 1, u.col))
        if fmt is not None:
            data["userEnteredFormat"] = fmt
        out[(u.row - 1, u.col)] = data
    return out
