"""A local stand-in for the Google Sheets API v4 (and Drive's permissions.create).

An HTTP server on 127.0.0.1 (stdlib ``http.server`` in a thread) that keeps spreadsheets
in memory and answers the calls retrosheet makes, the way Google does where retrosheet
depends on it. The real gspread client talks to it through RETROSHEET_SHEETS_API_URL and
RETROSHEET_SHEETS_TOKEN. docs/gsheets.md lists what it reproduces and what it does not.

Formulas are stored, never evaluated: a formula cell has no effectiveValue (retrosheet
recomputes dates itself and never trusts cached ones) unless a test gives it one with
``Store.set_cached``. A formula whose arguments are separated by `,` in a locale whose
decimal separator is a comma (fr_FR…) gets Google's "Formula parse error." instead.

Tests can inject errors (``Store.fail``: 429 with Retry-After, 500, 403, 404) and edits a
teammate makes between two requests (``Store.after``: a hook run after the N-th request).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Json = dict[str, Any]
EPOCH = dt.date(1899, 12, 30)


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers = headers or {}

    def body(self) -> Json:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def bad(message: str) -> ApiError:
    return ApiError(400, message, "INVALID_ARGUMENT")


# ---- field masks (partial responses and updateCells' `fields`) -----------------------------

def parse_mask(text: str) -> Json:
    """`a,b(c,d),e/f` or `e.f` as a tree {a: {}, b: {c: {}, d: {}}, e: {f: {}}}."""
    pos = 0

    def items() -> Json:
        nonlocal pos
        out: Json = {}
        while pos < len(text):
            m = re.match(r"\s*([A-Za-z0-9_*]+)", text[pos:])
            if not m:
                raise bad(f"Invalid field selection {text}")
            name = m.group(1)
            pos += m.end()
            node = out.setdefault(name, {})
            while pos < len(text) and text[pos] in "/.":
                pos += 1
                m = re.match(r"([A-Za-z0-9_*]+)", text[pos:])
                if not m:
                    raise bad(f"Invalid field selection {text}")
                pos += m.end()
                node = node.setdefault(m.group(1), {})
            if pos < len(text) and text[pos] == "(":
                pos += 1
                node.update(items())
                if pos >= len(text) or text[pos] != ")":
                    raise bad(f"Invalid field selection {text}")
                pos += 1
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            break
        return out

    tree = items()
    if pos != len(text):
        raise bad(f"Invalid field selection {text}")
    return tree


def select(value: Any, mask: Json) -> Any:
    """`value` cut to the fields of `mask` (a response's partial view)."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [select(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: select(v, mask[k]) for k, v in value.items() if k in mask}
    return value


def apply_mask(target: Json, source: Json, mask: Json) -> Json:
    """A new dict: `target` with the masked fields taken from `source` (absent: cleared).

    Cell dicts are never changed in place, so values are shared, not copied."""
    if "*" in mask:
        return dict(source)
    out = dict(target)
    for k, sub in mask.items():
        if not sub:
            if k in source:
                out[k] = source[k]
            else:
                out.pop(k, None)
        else:
            inner = apply_mask(target.get(k) or {}, source.get(k) or {}, sub)
            if inner:
                out[k] = inner
            else:
                out.pop(k, None)
    return out


# ---- A1 notation ---------------------------------------------------------------------------

def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class A1:
    sheet: str | None
    r0: int | None
    r1: int | None  # end-exclusive
    c0: int | None
    c1: int | None


def parse_a1(text: str) -> A1:
    sheet = None
    ref = text
    quoted = re.match(r"^'((?:[^']|'')+)'$", text)
    if quoted:
        return A1(quoted.group(1).replace("''", "'"), None, None, None, None)
    m = re.match(r"^(?:'((?:[^']|'')+)'|([^!]+))!(.*)$", text)
    if m:
        sheet = (m.group(1) or "").replace("''", "'") if m.group(1) else m.group(2)
        ref = m.group(3)
    elif not re.match(r"^\$?[A-Z]*\$?\d*(:\$?[A-Z]*\$?\d*)?$", text):
        return A1(text, None, None, None, None)  # a sheet name alone
    if ref == "":
        return A1(sheet, None, None, None, None)
    parts = ref.replace("$", "").split(":")
    if len(parts) > 2:
        raise bad(f"Unable to parse range: {text}")

    def one(p: str) -> tuple[int | None, int | None]:
        mm = re.match(r"^([A-Za-z]*)(\d*)$", p)
        if not mm or (not mm.group(1) and not mm.group(2)):
            raise bad(f"Unable to parse range: {text}")
        return (col_index(mm.group(1)) if mm.group(1) else None,
                int(mm.group(2)) - 1 if mm.group(2) else None)

    c0, r0 = one(parts[0])
    c1, r1 = one(parts[-1])
    return A1(sheet, r0, None if r1 is None else r1 + 1, c0, None if c1 is None else c1 + 1)


# ---- formulas: what the stand-in knows of them -------------------------------------------

_STRINGS = re.compile(r'("(?:[^"]|"")*")')
_REF = re.compile(r"(?<![A-Za-z0-9_.$'!])(?:('(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)!)?"
                  r"(\$?)([A-Z]{1,3})(\$?)(\d+)(?::(\$?)([A-Z]{1,3})(\$?)(\d+))?(?![A-Za-z0-9_(])")
_COMMA_LOCALES = re.compile(r"^(fr|de|es|it|pt|nl|pl|ru|sv|da|fi|nb|cs|tr)(_|$)")


def comma_locale(locale: str) -> bool:
    return bool(_COMMA_LOCALES.match(locale))


def outside_strings(formula: str) -> str:
    return "".join(p for i, p in enumerate(_STRINGS.split(formula)) if i % 2 == 0)


def shift_formula(formula: str, own_sheet: str, sheet: str,
                  move: Callable[[int], int | None]) -> str:
    """References to rows of `sheet` (0-based row → new row, None: deleted) in a formula
    that sits on `own_sheet`, as Google rewrites them when rows move."""
    def fix(m: re.Match[str]) -> str:
        prefix = m.group(1)
        target = own_sheet if prefix is None else prefix.strip("'").replace("''", "'")
        if target != sheet:
            return m.group(0)
        out = m.group(0)[: len(prefix) + 1] if prefix else ""
        for dollar_c, col, dollar_r, row in ((m.group(2), m.group(3), m.group(4), m.group(5)),
                                             (m.group(6), m.group(7), m.group(8), m.group(9))):
            if col is None:
                continue
            new = move(int(row) - 1)
            if new is None:
                return "#REF!"
            if out and not out.endswith("!"):
                out += ":"
            out += f"{dollar_c}{col}{dollar_r}{new + 1}"
        return out

    parts = _STRINGS.split(formula)
    return "".join(p if i % 2 else _REF.sub(fix, p) for i, p in enumerate(parts))


# ---- number formats (FORMATTED_VALUE) -------------------------------------------------------

def format_number(value: float, fmt: Json | None) -> str:
    pattern = (fmt or {}).get("pattern", "")
    kind = (fmt or {}).get("type", "")
    if kind in ("DATE", "DATE_TIME") or re.search(r"(d|y)", re.sub(r'"[^"]*"', "", pattern)):
        day = EPOCH + dt.timedelta(days=int(value))
        out = pattern or "yyyy-mm-dd"
        out = out.replace("yyyy", f"{day.year:04d}").replace("dd", f"{day.day:02d}")
        return out.replace("mm", f"{day.month:02d}")
    if pattern and ";" in pattern:
        sections = pattern.split(";")
        section = sections[0] if value > 0 else sections[1] if value < 0 else sections[-1]
        digits = str(abs(int(value))) if "0" in re.sub(r'"[^"]*"', "", section) else ""
        return "".join(re.findall(r'"([^"]*)"', section)) + digits
    if "%" in pattern:
        return f"{round(value * 100):d}%"
    if pattern.startswith("#,##0"):
        return f"{value:,.0f}"
    return str(int(value)) if float(value).is_integer() else repr(value)


def formatted(cell: Json) -> str:
    v = effective(cell)
    if not v:
        return ""
    if "numberValue" in v:
        return format_number(v["numberValue"], (cell.get("userEnteredFormat") or {})
                             .get("numberFormat"))
    if "boolValue" in v:
        return "TRUE" if v["boolValue"] else "FALSE"
    if "errorValue" in v:
        return "#ERROR!"
    return str(v.get("stringValue", ""))


def effective(cell: Json) -> Json | None:
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return cell.get("_cached")
    return dict(entered)


# ---- the spreadsheet model -----------------------------------------------------------------

@dataclass
class Sheet:
    props: Json
    rows: list[dict[int, Json]]  # one dict per grid row: column → CellData (never mutated)
    conditional_formats: list[Json] = field(default_factory=list)
    charts: list[Json] = field(default_factory=list)
    basic_filter: Json | None = None
    col_px: dict[int, int] = field(default_factory=dict)
    row_px: dict[int, int] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, r1, c0, c1

    @property
    def id(self) -> int:
        return int(self.props["sheetId"])

    @property
    def title(self) -> str:
        return str(self.props["title"])

    @property
    def grid(self) -> Json:
        grid: Json = self.props.setdefault("gridProperties", {})
        return grid

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", 1000))

    @property
    def column_count(self) -> int:
        return int(self.grid.get("columnCount", 26))

    def cell(self, r: int, c: int) -> Json:
        return self.rows[r].get(c, {}) if r < len(self.rows) else {}

    def clone(self) -> Sheet:
        return Sheet(copy.deepcopy(self.props), [dict(r) for r in self.rows],
                     copy.deepcopy(self.conditional_formats), copy.deepcopy(self.charts),
                     copy.deepcopy(self.basic_filter), dict(self.col_px), dict(self.row_px),
                     list(self.merges))

    def used(self) -> tuple[int, int]:
        """(rows, columns) up to the last cell holding anything."""
        last_r = last_c = 0
        for r, row in enumerate(self.rows):
            if row:
                last_r = r + 1
                last_c = max(last_c, max(row) + 1)
        return last_r, last_c


@dataclass
class Spreadsheet:
    id: str
    properties: Json
    sheets: list[Sheet]
    permissions: list[Json] = field(default_factory=list)
    forbidden: bool = False

    def clone(self) -> Spreadsheet:
        return Spreadsheet(self.id, copy.deepcopy(self.properties),
                           [s.clone() for s in self.sheets], copy.deepcopy(self.permissions),
                           self.forbidden)

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    def by_id(self, sheet_id: int) -> Sheet:
        for s in self.sheets:
            if s.id == sheet_id:
                return s
        raise bad(f"No grid with id: {sheet_id}")

    def by_title(self, title: str | None) -> Sheet:
        if title is None:
            return self.sheets[0]
        for s in self.sheets:
            if s.title == title:
                return s
        raise bad(f"Unable to parse range: {title}")

    def reindex(self) -> None:
        self.sheets.sort(key=lambda s: s.props.get("index", 0))
        for i, s in enumerate(self.sheets):
            s.props["index"] = i


def new_sheet(props: Json) -> Sheet:
    p = copy.deepcopy(props)
    p.setdefault("sheetType", "GRID")
    grid = p.setdefault("gridProperties", {})
    grid.setdefault("rowCount", 1000)
    grid.setdefault("columnCount", 26)
    return Sheet(p, [{} for _ in range(int(grid["rowCount"]))])


# ---- request log, faults, hooks ----------------------------------------------------------

@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, list[str]]
    body: Any
    status: int = 200

    @property
    def kind(self) -> str:
        """spreadsheets.get, values.batchGet, spreadsheets.batchUpdate, …"""
        p = self.path
        if p.startswith("/drive/"):
            return "drive.permissions.create"
        if p.endswith(":batchUpdate") and "/values" not in p:
            return "spreadsheets.batchUpdate"
        if p.endswith("values:batchGet"):
            return "values.batchGet"
        if p.endswith("values:batchUpdate"):
            return "values.batchUpdate"
        if "/values/" in p:
            return "values.get"
        if self.method == "POST":
            return "spreadsheets.create"
        return "spreadsheets.get"


@dataclass
class Fault:
    status: int
    retry_after: str | None = None
    when: Callable[[Seen], bool] | None = None
    message: str | None = None


_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
           404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE",
           503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
         "per user' of service 'sheets.googleapis.com' for consumer 'project_number:1'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


class Store:
    """Every spreadsheet the stand-in holds, what was asked of it, and test controls."""

    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self.books: dict[str, Spreadsheet] = {}
        self.log: list[Seen] = []
        self.faults: list[Fault] = []
        self.hooks: dict[int, Callable[[Store], None]] = {}
        self.lock = threading.RLock()
        self._ids = itertools.count(1)

    # test controls
    def fail(self, status: int, times: int = 1, retry_after: str | None = None,
             when: Callable[[Seen], bool] | None = None, message: str | None = None) -> None:
        """The next `times` requests (matching `when`) fail with `status`."""
        self.faults += [Fault(status, retry_after, when, message) for _ in range(times)]

    def after(self, n: int, hook: Callable[[Store], None]) -> None:
        """Run `hook` right after the n-th request (1-based, counted from now on)."""
        self.hooks[len(self.log) + n] = hook

    def reset_log(self) -> None:
        self.log.clear()
        self.hooks.clear()

    def kinds(self) -> list[str]:
        return [s.kind for s in self.log]

    def book(self, key: str) -> Spreadsheet:
        return self.books[key]

    def sheet(self, key: str, title: str) -> Sheet:
        return self.books[key].by_title(title)

    def add_spreadsheet(self, title: str = "Sans titre", locale: str = "en_US",
                        sheets: list[str] | None = None, key: str | None = None) -> str:
        """An existing spreadsheet (as someone made it in the browser and shared it)."""
        key = key or self._new_key()
        names = sheets or ["Sheet1"]
        self.books[key] = Spreadsheet(key, {"title": title, "locale": locale,
                                            "timeZone": "Europe/Paris"},
                                      [new_sheet({"sheetId": i, "title": n, "index": i})
                                       for i, n in enumerate(names)])
        return key

    def _new_key(self) -> str:
        return f"standin{next(self._ids):04d}" + "x" * 33

    # a teammate's edits, straight into the state (as if typed in the browser)
    def edit(self, key: str, requests: list[Json]) -> None:
        with self.lock:
            book = self.books[key]
            self.books[key] = apply_batch(book, requests)

    def set_cell(self, key: str, sheet: str, a1: str, value: Any) -> None:
        """Type `value` into a cell as a person would (USER_ENTERED)."""
        with self.lock:
            book = self.books[key]
            s = book.by_title(sheet)
            ref = parse_a1(a1)
            assert ref.r0 is not None and ref.c0 is not None
            old = s.cell(ref.r0, ref.c0)
            s.rows[ref.r0] = dict(s.rows[ref.r0])
            s.rows[ref.r0][ref.c0] = _entered_cell(old, value, "USER_ENTERED", book.locale)

    def set_cached(self, key: str, sheet: str, a1: str, value: Any) -> None:
        """Give a formula cell the result Google would have computed."""
        with self.lock:
            s = self.books[key].by_title(sheet)
            ref = parse_a1(a1)
            assert ref.r0 is not None and ref.c0 is not None
            cell = dict(s.cell(ref.r0, ref.c0))
            cell["_cached"] = _extended(value)
            s.rows[ref.r0] = {**s.rows[ref.r0], ref.c0: cell}

    def values(self, key: str, sheet: str, render: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        """The sheet's values as values.batchGet would give them."""
        s = self.books[key].by_title(sheet)
        return _values(s, A1(sheet, None, None, None, None), render, "SERIAL_NUMBER")

    # serving
    def handle(self, method: str, url: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], Json]:
        parts = urlsplit(url)
        params = parse_qs(parts.query, keep_blank_values=True)
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        seen = Seen(method, unquote(parts.path), params, data)
        with self.lock:
            self.log.append(seen)
            n = len(self.log)
            try:
                result = self._dispatch(seen, headers)
                status, extra, answer = 200, {}, result
            except ApiError as exc:
                status, extra, answer = exc.code, exc.headers, exc.body()
            seen.status = status
            hook = self.hooks.pop(n, None)
            if hook is not None:
                hook(self)
        return status, extra, answer

    def _dispatch(self, seen: Seen, headers: dict[str, str]) -> Json:
        if headers.get("authorization") != f"Bearer {self.token}":
            raise ApiError(401, "Request had invalid authentication credentials.",
                           "UNAUTHENTICATED")
        for i, f in enumerate(self.faults):
            if f.when is None or f.when(seen):
                del self.faults[i]
                extra = {"Retry-After": f.retry_after} if f.retry_after is not None else {}
                raise ApiError(f.status, f.message or _MESSAGES.get(f.status, "error"),
                               _STATUS.get(f.status, "UNKNOWN"), extra)
        p, m = seen.path, seen.method
        drive = re.match(r"^/drive/v3/files/([^/]+)/permissions$", p)
        if drive and m == "POST":
            book = self._open(drive.group(1))
            perm = {"kind": "drive#permission", "id": str(len(book.permissions) + 1),
                    **(seen.body or {})}
            book.permissions.append(perm)
            return perm
        if p.rstrip("/") == "/v4/spreadsheets" and m == "POST":
            return self._create(seen.body or {})
        sm = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", p)
        if not sm:
            raise ApiError(404, f"Not found: {p}", "NOT_FOUND")
        key, rest = sm.group(1), sm.group(2)
        book = self._open(key)
        if rest == "" and m == "GET":
            return _get(book, seen.params)
        if rest == ":batchUpdate" and m == "POST":
            requests = (seen.body or {}).get("requests", [])
            new = apply_batch(book, requests)
            self.books[key] = new
            return {"spreadsheetId": key, "replies": [{} for _ in requests]}
        if rest == "/values:batchGet" and m == "GET":
            return _batch_get(book, seen.params)
        if rest == "/values:batchUpdate" and m == "POST":
            new = book.clone()
            answer = _values_batch_update(new, seen.body or {})
            self.books[key] = new
            return answer
        vm = re.match(r"^/values/(.+)$", rest)
        if vm and m == "GET":
            got = _batch_get(book, {**seen.params, "ranges": [vm.group(1)]})
            return dict(got["valueRanges"][0])
        if vm and m == "PUT":  # values.update
            new = book.clone()
            option = seen.params.get("valueInputOption", [""])[0]
            answer = _values_batch_update(new, {"valueInputOption": option, "data": [
                {"range": vm.group(1), "values": (seen.body or {}).get("values", [])}]})
            self.books[key] = new
            return {"spreadsheetId": key, "updatedRange": vm.group(1),
                    "updatedCells": answer["totalUpdatedCells"]}
        raise ApiError(404, f"Not found: {p}", "NOT_FOUND")

    def _open(self, key: str) -> Spreadsheet:
        book = self.books.get(key)
        if book is None:
            raise ApiError(404, _MESSAGES[404], "NOT_FOUND")
        if book.forbidden:
            raise ApiError(403, _MESSAGES[403], "PERMISSION_DENIED")
        return book

    def _create(self, body: Json) -> Json:
        key = self._new_key()
        props = {"title": "Untitled spreadsheet", "locale": "en_US", "autoRecalc": "ON_CHANGE",
                 "timeZone": "Etc/GMT", **copy.deepcopy(body.get("properties") or {})}
        sheets = [new_sheet(s.get("properties") or {}) for s in body.get("sheets") or []]
        for i, s in enumerate(sheets):
            s.props.setdefault("sheetId", i)
            s.props.setdefault("title", f"Sheet{i + 1}")
            s.props.setdefault("index", i)
        if not sheets:
            sheets = [new_sheet({"sheetId": 0, "title": "Sheet1", "index": 0})]
        ids = [s.id for s in sheets]
        titles = [s.title for s in sheets]
        if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
            raise bad("Invalid spreadsheet: duplicate sheet id or title")
        book = Spreadsheet(key, props, sheets)
        book.reindex()
        self.books[key] = book
        return {"spreadsheetId": key, "properties": props,
                "sheets": [{"properties": s.props} for s in sheets],
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{key}/edit"}


# ---- spreadsheets.get ------------------------------------------------------------------

def _cell_out(cell: Json, keys: Json | None = None) -> Json:
    """A CellData as Google returns it (only `keys`' fields, when given)."""
    out = {k: v for k, v in cell.items() if not k.startswith("_")}
    eff = effective(cell)
    if eff is not None:
        out["effectiveValue"] = eff
        if keys is None or "formattedValue" in keys:
            out["formattedValue"] = formatted(cell)
    if keys is not None:
        out = {k: select(v, keys[k]) for k, v in out.items() if k in keys}
    return out


def _block(s: Sheet, r0: int, r1: int, c0: int, c1: int, keys: Json | None = None) -> Json:
    rows = []
    shown: dict[int, Json] = {}  # a cell dict shared by many cells is put out once
    columns = range(c0, min(c1, s.column_count))
    for r in range(r0, min(r1, s.row_count)):
        line = s.rows[r]
        values: list[Json] = []
        for c in columns:  # one loop, no call a cell: a read is of 100,000 cells
            cell = line.get(c)
            if cell is None:
                values.append({})
                continue
            made = shown.get(id(cell))
            if made is None:
                made = shown[id(cell)] = _cell_out(cell, keys)
            values.append(made)
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    out: Json = {"rowData": rows}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    return out


def _sheet_out(s: Sheet) -> Json:
    out: Json = {"properties": copy.deepcopy(s.props)}
    if s.conditional_formats:
        out["conditionalFormats"] = copy.deepcopy(s.conditional_formats)
    if s.charts:
        out["charts"] = copy.deepcopy(s.charts)
    if s.basic_filter:
        out["basicFilter"] = copy.deepcopy(s.basic_filter)
    return out


def _get(book: Spreadsheet, params: dict[str, list[str]]) -> Json:
    grid = params.get("includeGridData", ["false"])[0].lower() == "true"
    ranges = params.get("ranges", [])
    fields = params.get("fields", [""])[0]
    mask = parse_mask(fields) if fields else {}
    data_mask: Json | None = None
    if mask:
        sheets_mask = mask.get("sheets")
        data_mask = sheets_mask.get("data") if sheets_mask is not None else None
        grid = grid and data_mask is not None
    keys = None
    if data_mask:
        keys = (data_mask.get("rowData") or {}).get("values") or None
    blocks: dict[int, list[Json]] = {}
    order: list[int] = []
    if ranges:
        for text in ranges:
            ref = parse_a1(text)
            s = book.by_title(ref.sheet)
            r1 = ref.r1 if ref.r1 is not None else s.row_count
            c1 = ref.c1 if ref.c1 is not None else s.column_count
            if s.id not in blocks:
                blocks[s.id] = []
            if grid:
                blocks[s.id].append(_block(s, ref.r0 or 0, r1, ref.c0 or 0, c1, keys))
        order = [s.id for s in book.sheets if s.id in blocks]
    else:
        for s in book.sheets:
            rows, cols = s.used()
            blocks[s.id] = [_block(s, 0, rows, 0, cols, keys)] if grid else []
            order.append(s.id)
    answer: Json = {"spreadsheetId": book.id, "properties": copy.deepcopy(book.properties),
              "sheets": [_sheet_out(book.by_id(i)) for i in order],
              "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.id}/edit"}
    if mask:
        answer = select(answer, mask)
    if grid:
        for out, sid in zip(answer.get("sheets", []), order, strict=True):
            out["data"] = [select(b, data_mask) if data_mask else b for b in blocks[sid]] \
                if data_mask and set(data_mask) - {"rowData", "startRow", "startColumn"} \
                else blocks[sid]
    return answer


# ---- values.batchGet / batchUpdate ------------------------------------------------------

def _render(cell: Json, render: str, dates: str) -> Any:
    entered = cell.get("userEnteredValue") or {}
    if render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    if render == "FORMATTED_VALUE":
        return formatted(cell)
    v = effective(cell)
    if not v:
        return ""
    if "numberValue" in v:
        nf = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
        if dates == "FORMATTED_STRING" and nf.get("type") in ("DATE", "DATE_TIME"):
            return formatted(cell)
        x = v["numberValue"]
        return int(x) if float(x).is_integer() else x
    if "boolValue" in v:
        return v["boolValue"]
    if "errorValue" in v:
        return "#ERROR!"
    return v.get("stringValue", "")


def _values(s: Sheet, ref: A1, render: str, dates: str) -> list[list[Any]]:
    rows, cols = s.used()
    r0, c0 = ref.r0 or 0, ref.c0 or 0
    r1 = min(ref.r1 if ref.r1 is not None else rows, s.row_count)
    c1 = min(ref.c1 if ref.c1 is not None else cols, s.column_count)
    out: list[list[Any]] = []
    for r in range(r0, r1):
        line = [_render(s.rows[r].get(c, {}), render, dates) for c in range(c0, c1)]
        while line and line[-1] == "":
            line.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _range_text(s: Sheet, ref: A1) -> str:
    name = "'" + s.title.replace("'", "''") + "'"
    r0, c0 = (ref.r0 or 0) + 1, col_letter(ref.c0 or 0)
    r1 = ref.r1 if ref.r1 is not None else s.row_count
    c1 = col_letter((ref.c1 if ref.c1 is not None else s.column_count) - 1)
    return f"{name}!{c0}{r0}:{c1}{r1}"


def _batch_get(book: Spreadsheet, params: dict[str, list[str]]) -> Json:
    render = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
    dates = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
    major = params.get("majorDimension", ["ROWS"])[0]
    if render not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
        raise bad(f"Invalid value at 'value_render_option' ({render})")
    out = []
    for text in params.get("ranges", []):
        ref = parse_a1(text)
        s = book.by_title(ref.sheet)
        values = _values(s, ref, render, dates)
        if major == "COLUMNS":
            width = max((len(r) for r in values), default=0)
            values = [[r[c] if c < len(r) else "" for r in values] for c in range(width)]
        vr: Json = {"range": _range_text(s, ref), "majorDimension": major}
        if values:
            vr["values"] = values
        out.append(vr)
    return {"spreadsheetId": book.id, "valueRanges": out}


_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _extended(value: Any) -> Json:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, dt.date):
        return {"numberValue": (value - EPOCH).days}
    return {"stringValue": str(value)}


def _user_entered(value: Any, locale: str) -> tuple[Json, Json | None]:
    """(userEnteredValue, a number format Google would add) for a value typed in."""
    if not isinstance(value, str):
        return _extended(value), None
    text = value.strip()
    if text.startswith("'"):
        return {"stringValue": value[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    if text.upper() in ("TRUE", "FALSE", "VRAI", "FAUX"):
        return {"boolValue": text.upper() in ("TRUE", "VRAI")}, None
    number = text.replace("\u202f", "").replace("\xa0", "")
    if comma_locale(locale):
        number = number.replace(" ", "").replace(",", ".")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", number):
        return {"numberValue": float(number)}, None
    day = None
    if m := _DATE_ISO.match(text):
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        pattern = "yyyy-mm-dd"
    elif m := _DATE_FR.match(text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        us = locale.startswith("en_US")
        day = dt.date(y, a, b) if us else dt.date(y, b, a)
        pattern = "mm/dd/yyyy" if us else "dd/mm/yyyy"
    if day is not None:
        return {"numberValue": (day - EPOCH).days}, {"type": "DATE", "pattern": pattern}
    return {"stringValue": value}, None


def _entered_cell(old: Json, value: Any, option: str, locale: str) -> Json:
    cell = {k: v for k, v in old.items() if k not in ("userEnteredValue", "_cached")}
    if value is None:
        return old
    if value == "":
        return cell
    if option == "RAW":
        cell["userEnteredValue"] = _extended(value)
    else:
        entered, fmt = _user_entered(value, locale)
        cell["userEnteredValue"] = entered
        has = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        if fmt and not has:
            cell["userEnteredFormat"] = {**(cell.get("userEnteredFormat") or {}),
                                         "numberFormat": fmt}
    return _checked(cell, locale)


def _checked(cell: Json, locale: str) -> Json:
    """A formula the locale cannot parse shows Google's error instead of a value."""
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    if formula is None:
        return cell
    bad_sep = comma_locale(locale) and "," in outside_strings(formula)
    if bad_sep:
        return {**cell, "_cached": {"errorValue": {"type": "ERROR",
                                                   "message": "Formula parse error."}}}
    if "#REF!" in formula:
        return {**cell, "_cached": {"errorValue": {"type": "REF",
                                                   "message": "Reference does not exist."}}}
    return {k: v for k, v in cell.items() if k != "_cached"}


def _values_batch_update(book: Spreadsheet, body: Json) -> Json:
    option = body.get("valueInputOption")
    if option not in ("RAW", "USER_ENTERED"):
        raise bad("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    cells = 0
    for item in body.get("data", []):
        ref = parse_a1(item["range"])
        s = book.by_title(ref.sheet)
        r0, c0 = ref.r0 or 0, ref.c0 or 0
        for i, row in enumerate(item.get("values", [])):
            for j, v in enumerate(row):
                r, c = r0 + i, c0 + j
                _inside(s, r, c)
                new = _entered_cell(s.rows[r].get(c, {}), v, option, book.locale)
                if new:
                    s.rows[r][c] = new
                else:
                    s.rows[r].pop(c, None)
                cells += 1
    return {"spreadsheetId": book.id, "totalUpdatedCells": cells}


def _inside(s: Sheet, r: int, c: int) -> None:
    if r >= s.row_count or c >= s.column_count:
        raise bad(f"Range ('{s.title}'!{col_letter(c)}{r + 1}) exceeds grid limits. "
                  f"Max rows: {s.row_count}, max columns: {s.column_count}")


# ---- spreadsheets.batchUpdate -----------------------------------------------------------

def apply_batch(book: Spreadsheet, requests: list[Json]) -> Spreadsheet:
    """The spreadsheet after `requests`, all applied or none (an error leaves `book`)."""
    new = book.clone()
    for i, request in enumerate(requests):
        if len(request) != 1:
            raise bad(f"Invalid requests[{i}]: exactly one kind of request is needed")
        (kind, body), = request.items()
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise bad(f"Invalid requests[{i}]: unknown request {kind}")
        try:
            handler(new, body)
        except ApiError as exc:
            raise bad(f"Invalid requests[{i}].{kind}: {exc.message}") from exc
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise bad(f"Invalid requests[{i}].{kind}: {exc!r}") from exc
    new.reindex()
    return new


def _bounds(s: Sheet, rng: Json) -> tuple[int, int, int, int]:
    r0 = int(rng.get("startRowIndex", 0))
    r1 = int(rng.get("endRowIndex", s.row_count))
    c0 = int(rng.get("startColumnIndex", 0))
    c1 = int(rng.get("endColumnIndex", s.column_count))
    if r1 > s.row_count or c1 > s.column_count or r0 < 0 or c0 < 0 or r0 > r1 or c0 > c1:
        raise bad(f"Range ('{s.title}'!R{r0 + 1}C{c0 + 1}:R{r1}C{c1}) exceeds grid limits. "
                  f"Max rows: {s.row_count}, max columns: {s.column_count}")
    return r0, r1, c0, c1


def _add_sheet(book: Spreadsheet, body: Json) -> None:
    props = copy.deepcopy(body.get("properties") or {})
    if "sheetId" not in props:
        props["sheetId"] = max((s.id for s in book.sheets), default=0) + 1
    props.setdefault("title", f"Sheet{len(book.sheets) + 1}")
    if any(s.id == props["sheetId"] for s in book.sheets):
        raise bad(f"A sheet with id {props['sheetId']} already exists")
    if any(s.title.lower() == str(props["title"]).lower() for s in book.sheets):
        raise bad(f'A sheet with the name "{props["title"]}" already exists. Please enter '
                  "another name.")
    index = int(props.get("index", len(book.sheets)))
    for s in book.sheets:
        if s.props.get("index", 0) >= index:
            s.props["index"] = s.props.get("index", 0) + 1
    props["index"] = index
    book.sheets.append(new_sheet(props))
    book.reindex()


def _delete_sheet(book: Spreadsheet, body: Json) -> None:
    s = book.by_id(int(body["sheetId"]))
    if len(book.sheets) == 1:
        raise bad("You can't remove all the sheets in a document.")
    book.sheets.remove(s)
    book.reindex()


def _update_sheet_properties(book: Spreadsheet, body: Json) -> None:
    props = body["properties"]
    s = book.by_id(int(props["sheetId"]))
    s.props = apply_mask(s.props, props, parse_mask(body["fields"]))
    _resize(s)


def _update_spreadsheet_properties(book: Spreadsheet, body: Json) -> None:
    book.properties = apply_mask(book.properties, body["properties"], parse_mask(body["fields"]))


def _resize(s: Sheet) -> None:
    while len(s.rows) < s.row_count:
        s.rows.append({})
    del s.rows[s.row_count:]
    for r, row in enumerate(s.rows):
        if row and max(row) >= s.column_count:
            s.rows[r] = {c: v for c, v in row.items() if c < s.column_count}


def _write_cell(book: Spreadsheet, s: Sheet, r: int, c: int, given: Json, mask: Json,
                same: dict[int, tuple[Json, Json]] | None = None) -> None:
    """One cell written. `same` (one range, one given cell) remembers the new cell made from
    each old one: cell dicts are shared and never changed in place, so a range of cells
    that share one dict (a column formatted at once) shares the new one too."""
    old = s.rows[r].get(c, _NO_CELL)
    made = same.get(id(old)) if same is not None else None
    if made is not None:
        new = made[1]
    else:
        new = apply_mask(old, given, mask)
        if "userEnteredValue" in mask:
            new.pop("_cached", None)
            new = _checked(new, book.locale)
        if same is not None:
            same[id(old)] = (old, new)  # `old` kept: its id stays its own
    if new:  # rows were copied by the batch's clone: only cell dicts are shared
        s.rows[r][c] = new
    else:
        s.rows[r].pop(c, None)


_NO_CELL: Json = {}  # an empty cell (never changed: apply_mask makes new dicts)


def _update_cells(book: Spreadsheet, body: Json) -> None:
    mask = parse_mask(body["fields"])
    rows = body.get("rows", [])
    if "range" in body:
        s = book.by_id(int(body["range"]["sheetId"]))
        r0, r1, c0, c1 = _bounds(s, body["range"])
        for r in range(r0, r1):
            given_row = rows[r - r0].get("values", []) if r - r0 < len(rows) else []
            for c in range(c0, c1):
                given = given_row[c - c0] if c - c0 < len(given_row) else {}
                _write_cell(book, s, r, c, given, mask)
    else:
        start = body["start"]
        s = book.by_id(int(start["sheetId"]))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        for i, row in enumerate(rows):
            for j, given in enumerate(row.get("values", [])):
                _inside(s, r0 + i, c0 + j)
                _write_cell(book, s, r0 + i, c0 + j, given, mask)


def _repeat_cell(book: Spreadsheet, body: Json) -> None:
    mask = parse_mask(body["fields"])
    s = book.by_id(int(body["range"]["sheetId"]))
    r0, r1, c0, c1 = _bounds(s, body["range"])
    given: Json = body.get("cell", {})
    same: dict[int, tuple[Json, Json]] = {}
    for r in range(r0, r1):
        row = s.rows[r]
        for c in range(c0, c1):
            made = same.get(id(row.get(c, _NO_CELL)))  # _write_cell's own shortcut, inlined
            if made is None:
                _write_cell(book, s, r, c, given, mask, same)
            elif made[1]:
                row[c] = made[1]
            else:
                row.pop(c, None)


def _set_data_validation(book: Spreadsheet, body: Json) -> None:
    s = book.by_id(int(body["range"]["sheetId"]))
    r0, r1, c0, c1 = _bounds(s, body["range"])
    rule = body.get("rule")
    given: Json = {"dataValidation": rule} if rule else {}
    same: dict[int, tuple[Json, Json]] = {}
    for r in range(r0, r1):
        for c in range(c0, c1):
            _write_cell(book, s, r, c, given, {"dataValidation": {}}, same)


def _append_dimension(book: Spreadsheet, body: Json) -> None:
    s = book.by_id(int(body["sheetId"]))
    n = int(body["length"])
    if n < 1:
        raise bad("length must be positive")
    if body["dimension"] == "ROWS":
        s.grid["rowCount"] = s.row_count + n
    else:
        s.grid["columnCount"] = s.column_count + n
    _resize(s)


def _move_rows(book: Spreadsheet, s: Sheet, move: Callable[[int], int | None]) -> None:
    """Every formula of the spreadsheet that points at rows of `s`, rewritten."""
    for other in book.sheets:
        for r, row in enumerate(other.rows):
            changed = None
            for c, cell in row.items():
                f = (cell.get("userEnteredValue") or {}).get("formulaValue")
                if f is None:
                    continue
                g = shift_formula(f, other.title, s.title, move)
                if g != f:
                    changed = changed or dict(row)
                    changed[c] = _checked({**cell, "userEnteredValue": {"formulaValue": g}},
                                          book.locale)
            if changed is not None:
                other.rows[r] = changed


def _insert_dimension(book: Spreadsheet, body: Json) -> None:
    rng = body["range"]
    s = book.by_id(int(rng["sheetId"]))
    start, end = int(rng["startIndex"]), int(rng["endIndex"])
    n = end - start
    if rng["dimension"] != "ROWS":
        raise bad("the stand-in inserts rows only")
    if start > s.row_count or n < 1:
        raise bad("Invalid insert range")
    inherit = body.get("inheritFromBefore", False)
    model = s.rows[start - 1] if inherit and start > 0 else (
        s.rows[start] if start < len(s.rows) else {})
    template = {c: {k: v for k, v in cell.items() if k in ("userEnteredFormat", "dataValidation")}
                for c, cell in model.items()}
    template = {c: v for c, v in template.items() if v}
    _move_rows(book, s, lambda r: r + n if r >= start else r)
    s.rows[start:start] = [dict(template) for _ in range(n)]
    s.grid["rowCount"] = s.row_count + n


def _delete_dimension(book: Spreadsheet, body: Json) -> None:
    rng = body["range"]
    s = book.by_id(int(rng["sheetId"]))
    start, end = int(rng["startIndex"]), int(rng["endIndex"])
    if rng["dimension"] != "ROWS":
        raise bad("the stand-in deletes rows only")
    n = end - start
    _move_rows(book, s, lambda r: None if start <= r < end else (r - n if r >= end else r))
    del s.rows[start:end]
    s.grid["rowCount"] = s.row_count - n


def _sort_key(cell: Json) -> tuple[int, Any]:
    v = effective(cell) or {}
    if "numberValue" in v:
        return (0, v["numberValue"])
    if "stringValue" in v:
        return (1, v["stringValue"].lower())
    if "boolValue" in v:
        return (2, v["boolValue"])
    return (3, "")


def _sort_range(book: Spreadsheet, body: Json) -> None:
    s = book.by_id(int(body["range"]["sheetId"]))
    r0, r1, c0, c1 = _bounds(s, body["range"])
    order = list(range(r0, r1))
    for spec in reversed(body.get("sortSpecs", [])):
        col = int(spec["dimensionIndex"])
        desc = spec.get("sortOrder") == "DESCENDING"
        filled = [r for r in order if effective(s.cell(r, col))]
        empty = [r for r in order if not effective(s.cell(r, col))]
        filled.sort(key=lambda r: _sort_key(s.cell(r, col)), reverse=desc)
        order = filled + empty  # blanks last, as Google sorts them
    old_rows = [dict(s.rows[r]) for r in range(r0, r1)]
    new_of = {old: r0 + i for i, old in enumerate(order)}
    for i, old in enumerate(order):
        src = old_rows[old - r0]
        row = {c: v for c, v in s.rows[r0 + i].items() if not c0 <= c < c1}
        row.update({c: v for c, v in src.items() if c0 <= c < c1})
        s.rows[r0 + i] = row
    _move_rows(book, s, lambda r: new_of.get(r, r))


def _add_conditional_format_rule(book: Spreadsheet, body: Json) -> None:
    rule = copy.deepcopy(body["rule"])
    sheet_ids = {int(r["sheetId"]) for r in rule["ranges"]}
    if len(sheet_ids) != 1:
        raise bad("A conditional format rule's ranges must be on one sheet")
    s = book.by_id(sheet_ids.pop())
    for r in rule["ranges"]:
        _bounds(s, r)
    cond = (rule.get("booleanRule") or {}).get("condition") or {}
    for v in cond.get("values", []):
        text = str(v.get("userEnteredValue", ""))
        if text.startswith("=") and comma_locale(book.locale) and "," in outside_strings(text):
            raise bad(f"Invalid ConditionalFormatRule: formula parse error: {text}")
    s.conditional_formats.insert(int(body.get("index", len(s.conditional_formats))), rule)


def _add_chart(book: Spreadsheet, body: Json) -> None:
    chart = copy.deepcopy(body["chart"])
    anchor = chart["position"]["overlayPosition"]["anchorCell"]
    s = book.by_id(int(anchor["sheetId"]))
    chart.setdefault("chartId", 100 + sum(len(x.charts) for x in book.sheets))
    s.charts.append(chart)


def _set_basic_filter(book: Spreadsheet, body: Json) -> None:
    f = copy.deepcopy(body["filter"])
    s = book.by_id(int(f["range"]["sheetId"]))
    _bounds(s, f["range"])
    s.basic_filter = f


def _merge_cells(book: Spreadsheet, body: Json) -> None:
    """Cells joined into one: the API keeps the top-left value (MERGE_ALL) and refuses a
    range that overlaps one merged already."""
    rng = body["range"]
    s = book.by_id(int(rng["sheetId"]))
    box = _bounds(s, rng)
    if body.get("mergeType", "MERGE_ALL") != "MERGE_ALL":
        raise bad(f"mergeType {body.get('mergeType')!r} is not supported by the stand-in")
    for r0, r1, c0, c1 in s.merges:
        if box[0] < r1 and r0 < box[1] and box[2] < c1 and c0 < box[3]:
            raise bad("Invalid mergeCells: the range overlaps a merge")
    s.merges.append(box)


def _update_dimension_properties(book: Spreadsheet, body: Json) -> None:
    rng = body["range"]
    s = book.by_id(int(rng["sheetId"]))
    props, fields = body["properties"], body.get("fields", "")
    if fields == "hiddenByUser" and set(props) == {"hiddenByUser"}:
        size = 0 if props["hiddenByUser"] else 100  # a hidden column shows 0 pixels wide
    elif fields == "pixelSize" and "pixelSize" in props:
        size = int(props["pixelSize"])
    else:
        raise bad(f"Invalid updateDimensionProperties: fields {fields!r}, {sorted(props)}")
    limit = s.row_count if rng["dimension"] == "ROWS" else s.column_count
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", limit))
    if end > limit:
        raise bad(f"Invalid dimension range: {start}–{end} beyond {limit}")
    target = s.row_px if rng["dimension"] == "ROWS" else s.col_px
    for i in range(start, end):
        target[i] = size


_HANDLERS: dict[str, Callable[[Spreadsheet, Json], None]] = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "updateCells": _update_cells,
    "repeatCell": _repeat_cell,
    "setDataValidation": _set_data_validation,
    "appendDimension": _append_dimension,
    "insertDimension": _insert_dimension,
    "deleteDimension": _delete_dimension,
    "sortRange": _sort_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "addChart": _add_chart,
    "setBasicFilter": _set_basic_filter,
    "updateDimensionProperties": _update_dimension_properties,
    "mergeCells": _merge_cells,
}


# ---- the HTTP server -----------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    store: Store
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waits for the
    # client's delayed ACK (40 ms a request on Linux) — most of the Sheets tests' time.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra, answer = self.store.handle(self.command, self.path, headers, body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_DELETE = _serve


class StandIn:
    """The server: `url` for RETROSHEET_SHEETS_API_URL, `store.token` for the token."""

    def __init__(self, token: str = "test-token") -> None:
        self.store = Store(token)
        handler = type("Handler", (_Handler,), {"store": self.store})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def env(self) -> dict[str, str]:
        return {"RETROSHEET_SHEETS_API_URL": self.url,
                "RETROSHEET_SHEETS_TOKEN": self.store.token}


def iter_cells(sheet: Sheet) -> Iterator[tuple[int, int, Json]]:
    for r, row in enumerate(sheet.rows):
        for c, cell in sorted(row.items()):
            yield r, c, cell
