"""The Sheets API stand-in behaves like Google where retrosheet depends on it.

Driven with gspread itself (its high-level API and its raw calls) over HTTP, so what
these tests pin is what a real client sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests
from google.oauth2.credentials import Credentials
from gspread.exceptions import APIError
from sheets_standin import StandIn, Store, parse_mask, select, shift_formula

from retrosheet.gsheets._transport import RetryingHTTPClient


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def store(standin: StandIn) -> Store:
    standin.store.faults.clear()
    standin.store.reset_log()
    return standin.store


@pytest.fixture
def gc(standin: StandIn, store: Store) -> gspread.Client:
    """Plain gspread, its URLs sent to the stand-in (the way retrosheet's client does)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {store.token}"
    client = gspread.Client(Credentials(token=store.token),  # type: ignore[no-untyped-call]
                            session=session, http_client=RetryingHTTPClient)
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)
    http.configure(base_url=standin.url, drive_url=standin.url, policy=http.policy,
                   sleep=lambda s: None, rand=lambda: 0.0)
    return client


def test_gspread_high_level_calls_work(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai", locale="fr_FR", sheets=["Feuille 1"])
    sh = gc.open_by_key(key)
    ws = sh.worksheet("Feuille 1")
    ws.update([["ID", "Date", "Total"], ["T1", "14/05/2027", "=1+1"]], "A1",
              value_input_option=gspread.utils.ValueInputOption.user_entered)
    assert ws.get_values("A1:C2") == [["ID", "Date", "Total"], ["T1", "14/05/2027", ""]]
    got = sh.values_batch_get(["'Feuille 1'!A2:C2"], params={
        "valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"})
    # the formula has no value (not evaluated) and trailing empty cells are left out
    assert got["valueRanges"][0]["values"] == [["T1", 46521]]
    got = sh.values_batch_get(["'Feuille 1'!C2"], params={"valueRenderOption": "FORMULA"})
    assert got["valueRanges"][0]["values"] == [["=1+1"]]
    ws.update([["=2+2", "2027-05-14"]], "A3", value_input_option=gspread.utils.ValueInputOption.raw)
    assert store.sheet(key, "Feuille 1").cell(2, 0)["userEnteredValue"] == {
        "stringValue": "=2+2"}  # RAW: text, never a formula
    assert store.sheet(key, "Feuille 1").cell(2, 1)["userEnteredValue"] == {
        "stringValue": "2027-05-14"}  # RAW: a date string stays a string


def test_get_with_fields_and_grid_data(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai", sheets=["A", "B"])
    store.set_cell(key, "B", "B2", "42")
    answer = gc.http_client.spreadsheets_get(key, params={
        "includeGridData": "true",
        "fields": "properties(title),sheets(properties(title),data(rowData(values("
                  "userEnteredValue))))"})
    assert answer == {"properties": {"title": "Essai"}, "sheets": [
        {"properties": {"title": "A"}, "data": [{"rowData": []}]},
        {"properties": {"title": "B"}, "data": [{"rowData": [
            {}, {"values": [{}, {"userEnteredValue": {"numberValue": 42.0}}]}]}]}]}
    ranged = gc.http_client.spreadsheets_get(key, params={
        "includeGridData": "true", "ranges": ["B!B2:B2"],
        "fields": "sheets(properties(title),data(startRow,startColumn,rowData))"})
    assert ranged == {"sheets": [{"properties": {"title": "B"}, "data": [
        {"startRow": 1, "startColumn": 1, "rowData": [
            {"values": [{"userEnteredValue": {"numberValue": 42.0},
                         "effectiveValue": {"numberValue": 42.0},
                         "formattedValue": "42"}]}]}]}]}


def test_batch_update_is_all_or_nothing(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai", sheets=["A"])
    before = store.book(key)
    with pytest.raises(APIError) as err:
        gc.http_client.batch_update(key, {"requests": [
            {"addSheet": {"properties": {"title": "New", "sheetId": 7}}},
            {"updateCells": {"start": {"sheetId": 7, "rowIndex": 5000, "columnIndex": 0},
                             "rows": [{"values": [{"userEnteredValue": {"numberValue": 1}}]}],
                             "fields": "userEnteredValue"}}]})
    assert err.value.code == 400 and "exceeds grid limits" in err.value.error["message"]
    assert store.book(key) is before and [s.title for s in before.sheets] == ["A"]


def test_fields_mask_of_update_cells(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai", sheets=["A"])
    fmt = {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"},
           "textFormat": {"bold": True}}
    gc.http_client.batch_update(key, {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [{"userEnteredValue": {"numberValue": 46521},
                              "userEnteredFormat": fmt}]}],
        "fields": "userEnteredValue,userEnteredFormat"}}]})
    gc.http_client.batch_update(key, {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [{"userEnteredFormat": {"numberFormat": {
            "type": "NUMBER", "pattern": "0"}}}]}],
        "fields": "userEnteredFormat.numberFormat"}}]})
    c = store.sheet(key, "A").cell(0, 0)
    assert c["userEnteredValue"] == {"numberValue": 46521}  # not in the mask: kept
    assert c["userEnteredFormat"] == {"numberFormat": {"type": "NUMBER", "pattern": "0"},
                                      "textFormat": {"bold": True}}
    gc.http_client.batch_update(key, {"requests": [{"updateCells": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                  "endColumnIndex": 1},
        "rows": [{"values": [{}]}], "fields": "userEnteredValue"}}]})
    assert "userEnteredValue" not in store.sheet(key, "A").cell(0, 0)  # cleared


def test_formatted_values(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai", sheets=["A"])
    gc.http_client.batch_update(key, {"requests": [{"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": [
            {"userEnteredValue": {"numberValue": 46521},
             "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}}},
            {"userEnteredValue": {"numberValue": -28},
             "userEnteredFormat": {"numberFormat": {"type": "NUMBER",
                                                    "pattern": '"J+"0;"J-"0;"J"'}}},
            {"userEnteredValue": {"numberValue": 0},
             "userEnteredFormat": {"numberFormat": {"type": "NUMBER",
                                                    "pattern": '"J+"0;"J-"0;"J"'}}},
        ]}], "fields": "userEnteredValue,userEnteredFormat"}}]})
    sh = gc.open_by_key(key)
    got = sh.values_batch_get(["A!A1:C1"])  # FORMATTED_VALUE by default
    assert got["valueRanges"][0]["values"] == [["14/05/2027", "J-28", "J"]]
    got = sh.values_batch_get(["A!A1:A1"], params={"valueRenderOption": "UNFORMATTED_VALUE",
                                                   "dateTimeRenderOption": "FORMATTED_STRING"})
    assert got["valueRanges"][0]["values"] == [["14/05/2027"]]


def test_inserting_deleting_and_sorting_rows_moves_formulas(store: Store) -> None:
    key = store.add_spreadsheet("Essai", sheets=["P", "Q"])
    store.set_cell(key, "P", "A2", "T1")
    store.set_cell(key, "P", "B2", "=$A2&\"-\"&'Q'!$B$2&SUM($C$2:$C$9)")
    store.set_cell(key, "Q", "A1", "='P'!$A$2")
    store.edit(key, [{"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS",
                                                    "startIndex": 0, "endIndex": 3}}}])
    moved = store.sheet(key, "P").cell(4, 1)["userEnteredValue"]["formulaValue"]
    assert moved == "=$A5&\"-\"&'Q'!$B$2&SUM($C$5:$C$12)"
    assert store.sheet(key, "Q").cell(0, 0)["userEnteredValue"]["formulaValue"] == "='P'!$A$5"
    store.edit(key, [{"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS",
                                                    "startIndex": 4, "endIndex": 5}}}])
    assert store.sheet(key, "Q").cell(0, 0)["userEnteredValue"]["formulaValue"] == "=#REF!"
    assert shift_formula("=A1+B2", "S", "S", lambda r: r + 1) == "=A2+B3"
    assert shift_formula('="A1"&A1', "S", "S", lambda r: r + 1) == '="A1"&A2'  # strings kept


def test_comma_formulas_are_parse_errors_in_a_french_spreadsheet(store: Store) -> None:
    key = store.add_spreadsheet("Essai", locale="fr_FR", sheets=["A"])
    store.set_cell(key, "A", "A1", "=SUM(1,2)")
    store.set_cell(key, "A", "A2", "=SUM(1;2)")
    store.set_cell(key, "A", "A3", '=CONCATENATE("a,b";"c")')
    cells = store.sheet(key, "A")
    assert cells.cell(0, 0)["_cached"]["errorValue"]["message"] == "Formula parse error."
    assert "_cached" not in cells.cell(1, 0) and "_cached" not in cells.cell(2, 0)


def test_faults_and_hooks(gc: gspread.Client, store: Store) -> None:
    key = store.add_spreadsheet("Essai")
    seen: list[int] = []
    store.after(2, lambda s: seen.append(len(s.log)))
    store.fail(404, when=lambda r: r.kind == "values.batchGet")
    gc.http_client.spreadsheets_get(key)
    with pytest.raises(APIError) as err:
        gc.http_client.values_batch_get(key, ["Sheet1!A1"])
    assert err.value.code == 404 and seen == [2]
    assert err.value.error == {"code": 404, "message": "Requested entity was not found.",
                               "status": "NOT_FOUND"}


def test_requests_need_the_token(standin: StandIn, store: Store) -> None:
    r = requests.get(f"{standin.url}/v4/spreadsheets/{store.add_spreadsheet()}", timeout=5)
    assert r.status_code == 401 and r.json()["error"]["status"] == "UNAUTHENTICATED"
    assert standin.url.startswith("http://127.0.0.1:")


def test_field_mask_syntax() -> None:
    assert parse_mask("a,b(c,d/e),f.g") == {"a": {}, "b": {"c": {}, "d": {"e": {}}},
                                             "f": {"g": {}}}
    data: dict[str, Any] = {"a": 1, "b": [{"c": 2, "x": 3}], "z": 4}
    assert select(data, parse_mask("a,b(c)")) == {"a": 1, "b": [{"c": 2}]}
