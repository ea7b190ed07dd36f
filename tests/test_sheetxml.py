"""A sheet part's formulas read a row at a time say what the cell-by-cell reader says."""

from __future__ import annotations

import pytest

from retrosheet.updates import CellUpdate
from retrosheet.xlsx.formulas import read as read_formulas
from retrosheet.xlsx.sheetxml import SheetXml

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _part(prefix: str) -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    rows = (
        f'<{p}row r="1"><{p}c r="A1" t="inlineStr"><{p}is><{p}t>ID</{p}t></{p}is></{p}c></{p}row>'
        f'<{p}row r="2"><{p}c r="A2"><{p}v>1</{p}v></{p}c>'
        f'<{p}c r="B2" s="4"><{p}f>IF($A2&gt;0,"a&amp;b",$C2)</{p}f><{p}v>3</{p}v></{p}c>'
        f'<{p}c r="C2"><{p}f t="shared" ref="C2:C3" si="0"/><{p}v>2</{p}v></{p}c>'
        f'<{p}c r="D2"/><{p}c r="E2" t="str"><{p}f>""</{p}f><{p}v></{p}v></{p}c></{p}row>'
        f'<{p}row r="3"><{p}c r="AB3"><{p}f>SUM(A1:A2)</{p}f></{p}c></{p}row>'
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}>'
            f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>").encode()


def _by_cell(sheet: SheetXml, row: int, col: int) -> str | None:
    c = sheet._cell(row, col)
    return None if c is None else c.formula


@pytest.mark.parametrize("prefix", ["", "x"])
def test_row_formulas_match_the_cell_reader(prefix: str) -> None:
    sheet = SheetXml(_part(prefix), "sheet1.xml", usual_spelling=True)
    seen = {(r, c): sheet.formula(r, c) for r in range(1, 5) for c in range(30)}
    assert seen == {(r, c): _by_cell(sheet, r, c) for r in range(1, 5) for c in range(30)}
    assert seen[(2, 1)] == 'IF($A2>0,"a&b",$C2)'
    assert seen[(2, 2)] == ""  # a shared formula's other cells: a formula, no text
    assert seen[(2, 4)] == '""'
    assert seen[(3, 27)] == "SUM(A1:A2)"
    assert seen[(2, 0)] is None and seen[(2, 3)] is None and seen[(4, 0)] is None


def test_an_edited_row_is_read_again() -> None:
    sheet = SheetXml(_part(""), "sheet1.xml", usual_spelling=True)
    assert sheet.formula(2, 1) == 'IF($A2>0,"a&b",$C2)'
    sheet.apply([CellUpdate("Planning", 2, 1, "number", 5, formula="=$A2*5")])
    assert sheet.formula(2, 1) == "$A2*5"
    sheet.apply([CellUpdate("Planning", 2, 0, "number", 2, formula="=1+1")])
    assert sheet.formula(2, 0) == "1+1"


def _formulas_of(part: bytes) -> dict[tuple[int, int], str | None]:
    found = read_formulas(part[i: i + 7] for i in range(0, len(part), 7))  # in pieces
    assert found is not None
    assert read_formulas([part]) is not None
    return {(r, c): found.get(r, c) for r in range(1, 13) for c in range(30)}


def _rows_part(rows: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
            f"<sheetData>{rows}</sheetData></worksheet>").encode()


@pytest.mark.parametrize("prefix", ["", "x"])
def test_formulas_read_in_one_pass_match_the_row_reader(prefix: str) -> None:
    sheet = SheetXml(_part(prefix), "sheet1.xml", usual_spelling=True)
    assert _formulas_of(_part(prefix)) == {(r, c): sheet.formula(r, c)
                                           for r in range(1, 13) for c in range(30)}


def test_formulas_by_shape_keep_each_rows_own_number() -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><f>$B{r}+{r}&amp;"{r}&#4{r % 10};"</f><v>1</v></c>'
        f'<c r="B{r}"><v>{r}</v><f>1</f></c></row>' if r == 12 else
        f'<row r="{r}"><c r="A{r}"><f>$B{r}+{r}*1{r}&gt;0</f><v>1</v></c>'
        f'<c r="C{r + 1}"><f>9</f></c><c r="D{r}"/></row>'
        for r in range(1, 13))
    part = _rows_part(rows)
    sheet = SheetXml(part, "sheet1.xml", usual_spelling=True)
    expected = {(r, c): sheet.formula(r, c) for r in range(1, 13) for c in range(30)}
    assert expected[(3, 0)] == "$B3+3*13>0" and expected[(11, 0)] == "$B11+11*111>0"
    assert read_formulas([part]) is None  # B12's formula is not first in its cell
    part = _rows_part(rows.replace("<v>12</v><f>1</f>", "<f>1</f><v>12</v>"))
    sheet = SheetXml(part, "sheet1.xml", usual_spelling=True)
    expected = {(r, c): sheet.formula(r, c) for r in range(1, 13) for c in range(30)}
    assert expected[(12, 0)] == '$B12+12&"12*"' and expected[(12, 1)] == "1"
    assert _formulas_of(part) == expected


def test_rows_out_of_order_are_left_to_the_row_reader() -> None:
    part = _rows_part('<row r="2"><c r="A2"><f>1</f></c></row>'
                      '<row r="1"><c r="A1"><f>2</f></c></row>')
    assert read_formulas([part]) is None
    assert read_formulas([_rows_part("")]) is not None
