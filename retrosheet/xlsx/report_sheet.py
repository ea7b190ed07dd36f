"""`report --write-sheet`: the weekly report on the Report sheet, one row per axis on History.

The Report sheet is wholly retrosheet's: its sheetData is replaced by this week's report,
laid out for people (sections, headers, real dates and numbers), and the rest of its part
(columns, views, margins) is kept. History only grows: one row per axis and run, appended
below the last used row. Every other part of the file is copied byte for byte; a plan
made before these sheets existed (or by hand) gets them added as new parts.

Cells are written as inline strings, so sharedStrings.xml is never touched. Dates are
date serials shown with a date style the workbook already has (a plan written by
retrosheet always has one); only a workbook with no date style at all gets one, added to
styles.xml, so that dates stay real dates (docs/dates.md) rather than text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..design.looks import looks
from ..design.planning import LINE_POINTS, text_lines
from ..errors import WorkbookError, msg
from ..labels import (
    normalize,
    sheet_name,
)

# The layout moved to the core (retrosheet.report_cells); the names this module had.
from ..report_cells import (
    REPORT_WIDTHS,
    Styles,
    clean_text,
    pick_sheet,
)
from ..store import Row, SheetSpec, Val
from ..updates import CellUpdate
from ..values import EXCEL_EPOCH, EXCEL_EPOCH_1904, column_letter
from ..words import catalogue
from .package import NS_MAIN, NS_REL, Package, Writer
from .report_styles import add_date_style, add_role_styles, find_styles
from .sheetxml import SheetXml, col_index, grow_table

NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_WORKSHEET = NS_REL + "/worksheet"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


# ---- writing rows into a sheet part -----------------------------------------------------

def _serial(day: dt.date, date1904: bool) -> int:
    return (day - (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH)).days


def _cell_xml(prefix: str, ref: str, v: Val, date1904: bool) -> str:
    s = f' s="{v.style}"' if v.style is not None else ""
    if v.kind == "text":
        text = clean_text(str(v.value))
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return (f'<{prefix}c r="{ref}"{s} t="inlineStr"><{prefix}is><{prefix}t{space}>'
                f"{escape(text)}</{prefix}t></{prefix}is></{prefix}c>")
    if v.kind == "date":
        assert isinstance(v.value, dt.date)
        number = str(_serial(v.value, date1904))
    else:
        assert isinstance(v.value, int | float)
        number = _number_text(v.value)
    return f'<{prefix}c r="{ref}"{s}><{prefix}v>{number}</{prefix}v></{prefix}c>'


def _lines(row: Row, wrap: str | None) -> int:
    """Lines the row's wrapped text takes in the Report's columns."""
    return max([text_lines(str(v.value), REPORT_WIDTHS[0] if c == 0 else REPORT_WIDTHS[1])
                for c, v in enumerate(row)
                if v is not None and wrap is not None and v.style == wrap] or [1])


def _rows_xml(prefix: str, rows: list[Row], date1904: bool,
              wrap: str | None = None) -> tuple[list[bytes], list[int]]:
    out: list[bytes] = []
    numbers: list[int] = []
    for i, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(prefix, f"{column_letter(c)}{i}", v, date1904)
                        for c, v in enumerate(row) if v is not None)
        if cells:
            # the title's big font and wrapped text need taller rows (readers do not all
            # grow them by themselves)
            lines = _lines(row, wrap)
            tall = (' ht="24" customHeight="1"' if i == 1 else
                    f' ht="{LINE_POINTS * lines}" customHeight="1"' if lines > 1 else "")
            out.append(f'<{prefix}row r="{i}"{tall}>{cells}</{prefix}row>'.encode())
            numbers.append(i)
    return out, numbers


_DIMENSION = re.compile(r'(<(?:[\w.-]+:)?dimension\b[^>]*?\sref=")([^"]*)(")')


def _set_dimension(head: str, ref: str) -> str:
    return _DIMENSION.sub(lambda m: m.group(1) + ref + m.group(3), head, count=1)


def _grow_dimension(head: str, last_row: int, last_col: int) -> str:
    def grow(m: re.Match[str]) -> str:
        parts = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", m.group(2))
        if parts is None:
            return m.group(0)
        c1, r1 = parts.group(1), int(parts.group(2))
        c2 = parts.group(3) or c1
        r2 = int(parts.group(4) or r1)
        col = column_letter(max(col_index(c2), last_col))
        return f"{m.group(1)}{c1}{r1}:{col}{max(r2, last_row)}{m.group(3)}"

    return _DIMENSION.sub(grow, head, count=1)



def _with_widths(head: str, prefix: str, count: int) -> str:
    """`head` whose <cols> gives a width to each of the first `count` columns that has none
    (dates show as ### in a default-width column); existing <col> elements stay as they are.
    """
    tag = re.compile(r"<(?:[\w.-]+:)?col\b[^>]*>")
    block = re.search(r"<((?:[\w.-]+:)?)cols>(.*?)</(?:[\w.-]+:)?cols>", head, re.DOTALL)
    cols: list[tuple[int, str]] = []
    covered: set[int] = set()
    for t in tag.findall(block.group(2)) if block else []:
        lo = re.search(r'\smin="(\d+)"', t)
        hi = re.search(r'\smax="(\d+)"', t)
        if lo is None:
            return head  # a <cols> this code does not understand: leave it alone
        first = int(lo.group(1))
        covered.update(range(first, int(hi.group(1) if hi else first) + 1))
        cols.append((first, t))
    added = False
    for c in range(1, count + 1):
        if c not in covered:
            width = REPORT_WIDTHS[0] if c == 1 else REPORT_WIDTHS[1]
            cols.append((c, f'<{prefix}col min="{c}" max="{c}" width="{width}" '
                            'customWidth="1"/>'))
            added = True
    if not added:
        return head
    body = "".join(t for _, t in sorted(cols, key=lambda x: x[0]))
    if block is not None:
        return head[:block.start(2)] + body + head[block.end(2):]
    new = f"<{prefix}cols>{body}</{prefix}cols>"
    empty = re.search(r"<(?:[\w.-]+:)?cols\s*/>", head)
    if empty is not None:
        return head[:empty.start()] + new + head[empty.end():]
    at = head.rfind(f"<{prefix}sheetData")
    return head[:at] + new + head[at:]


def write_report_rows(sheet: SheetXml, rows: list[Row], date1904: bool,
                      wrap: str | None = None) -> None:
    """Replace the sheet's rows with `rows`; the rest of the part stays as it was, but for
    widths given to the columns used that had none."""
    new_rows, sheet.numbers = _rows_xml(sheet.prefix, rows, date1904, wrap)
    sheet.rows = list(new_rows)
    sheet.index = {n: i for i, n in enumerate(sheet.numbers)}
    width = max(max((len(r) for r in rows), default=1), 1)
    sheet.head = _set_dimension(sheet.head, f"A1:{column_letter(width - 1)}"
                                            f"{max(len(rows), 1)}")
    sheet.head = _with_widths(sheet.head, sheet.prefix, width)
    sheet.changed = True


class AppendSheet(SheetXml):
    """A sheet part that rows are appended to, with helpers to style whole rows."""

    def style_of(self, row: int, cols: Iterable[int]) -> str | None:
        """The style of the first styled cell of `row` among `cols`."""
        for c in sorted(cols):
            cell = self._cell(row, c)
            if cell is not None and "s" in cell.attrs:
                return cell.attrs["s"]
        return None

    def restyle(self, cells: Iterable[tuple[int, int]], style: str | None) -> None:
        """Give these existing cells (row, 0-based column) `style` (None: the default)."""
        for row, col in cells:
            i = self.index.get(row)
            if i is None:
                continue
            text = self._row_text(i)
            ref = f' r="{column_letter(col)}{row}"'
            at = text.find(ref)
            if at < 0:
                continue
            start = text.rfind("<", 0, at)
            end = text.index(">", at)
            tag = re.sub(r'\ss="[^"]*"', "", text[start:end])
            if style is not None:
                tag = tag.replace(ref, f'{ref} s="{style}"', 1)
            self.rows[i] = (text[:start] + tag + text[end:]).encode("utf-8")
            self.changed = True


# ---- adding the sheets to a workbook that lacks them ------------------------------------

_NEW_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><dimension ref="A1"/>'
    '<sheetViews><sheetView workbookViewId="0"{pane}</sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    "</worksheet>"
)


def _new_sheet_xml(key: str, st: Styles) -> bytes:
    if key == "report":
        cols = f'<col min="1" max="1" width="{REPORT_WIDTHS[0]}" customWidth="1"/>'
        pane = "/>"
    else:
        styles = [st.date] + [None] + [st.int] * 3 + [st.money] * 2 + [st.int] * 2
        cols = "".join(
            f'<col min="{c + 1}" max="{c + 1}" width="{14.7109375 if c < 2 else 11.7109375}"'
            + (f' style="{s}"' if s is not None else "") + ' customWidth="1"/>'
            for c, s in enumerate(styles))
        pane = ('><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/>')
    if pane == "/>":
        xml = _NEW_SHEET.replace("{pane}</sheetView>", "/>")
    else:
        xml = _NEW_SHEET.replace("{pane}", pane)
    return xml.replace("{cols}", cols).encode("utf-8")


def _ns_prefix(text: str, ns: str) -> str | None:
    """The prefix (with its colon; '' for the default namespace) bound to `ns` on the root."""
    root = re.search(r"<(?!\?)[^>]*>", text)
    if root is None:
        return None
    for m in re.finditer(r'\sxmlns(?::([\w.-]+))?="([^"]*)"', root.group(0)):
        if m.group(2) == ns:
            return f"{m.group(1)}:" if m.group(1) else ""
    return None


@dataclass
class _Added:
    """New sheet parts and the edits of the package parts that list them."""

    parts: dict[str, bytes]
    replaced: dict[str, bytes]
    sheets: dict[str, str]  # sheet key → part


def _add_sheets(pkg: Package, keys: list[str], lang: str, st: Styles) -> _Added:
    wb_text = pkg.read("xl/workbook.xml").decode("utf-8")
    rels_part = "xl/_rels/workbook.xml.rels"
    rels_text = pkg.read(rels_part).decode("utf-8")
    ct_part = "[Content_Types].xml"
    ct_text = pkg.read(ct_part).decode("utf-8")
    lower = {n.lower() for n in pkg._names}

    main = _ns_prefix(wb_text, NS_MAIN)
    close_sheets = re.search(rf"</{re.escape(main or '')}sheets>", wb_text) if main is not None \
        else None
    close_rels = re.search(r"</((?:[\w.-]+:)?)Relationships>", rels_text)
    close_types = re.search(r"</((?:[\w.-]+:)?)Types>", ct_text)
    if main is None or close_sheets is None or close_rels is None or close_types is None:
        raise WorkbookError(msg("report.sheet.cannot_add", n=len(keys), sheets=catalogue(
            lang)["fmt.and"].join(sheet_name(k, lang) for k in keys)), lang=lang)
    r_prefix = _ns_prefix(wb_text, NS_REL)
    ids = [int(x) for x in re.findall(r'\ssheetId="(\d+)"', wb_text)]
    rel_ids = set(re.findall(r'\sId="([^"]*)"', rels_text))
    added = _Added({}, {}, {})
    sheet_tags, rel_tags, type_tags = "", "", ""
    n_sheet = 1
    n_rel = 1
    next_id = max(ids, default=0) + 1
    for key in keys:
        while f"xl/worksheets/sheet{n_sheet}.xml" in lower:
            n_sheet += 1
        part = f"xl/worksheets/sheet{n_sheet}.xml"
        lower.add(part)
        while f"rId{n_rel}" in rel_ids:
            n_rel += 1
        rid = f"rId{n_rel}"
        rel_ids.add(rid)
        name = quoteattr(sheet_name(key, lang))
        if r_prefix:
            ref = f"{r_prefix}id"
            decl = ""
        else:
            ref = "r:id"
            decl = f' xmlns:r="{NS_REL}"'
        sheet_tags += f'<{main}sheet{decl} name={name} sheetId="{next_id}" {ref}="{rid}"/>'
        next_id += 1
        rp = close_rels.group(1)
        rel_tags += (f'<{rp}Relationship Id="{rid}" Type="{REL_WORKSHEET}" '
                     f'Target="worksheets/sheet{n_sheet}.xml"/>')
        tp = close_types.group(1)
        type_tags += f'<{tp}Override PartName="/{part}" ContentType="{CT_WORKSHEET}"/>'
        added.parts[part] = _new_sheet_xml(key, st)
        added.sheets[key] = part
    at = close_sheets.start()
    added.replaced["xl/workbook.xml"] = (wb_text[:at] + sheet_tags + wb_text[at:]).encode()
    at = close_rels.start()
    added.replaced[rels_part] = (rels_text[:at] + rel_tags + rels_text[at:]).encode()
    at = close_types.start()
    added.replaced[ct_part] = (ct_text[:at] + type_tags + ct_text[at:]).encode()
    if pkg.has("docProps/app.xml"):
        app = _app_titles(pkg.read("docProps/app.xml").decode("utf-8"),
                          [sheet_name(k, lang) for k in keys])
        if app is not None:
            added.replaced["docProps/app.xml"] = app.encode("utf-8")
    return added


_WORKSHEETS_HEADINGS = {"worksheets", "feuilles de calcul", "arbeitsblatter", "tabellen",
                        "hojas de calculo", "fogli di lavoro", "planilhas", "werkbladen"}


def _app_titles(text: str, names: list[str]) -> str | None:
    """docProps/app.xml listing `names` as more worksheets, or None to leave it as it is
    (a layout it does not recognise: the part is informative, Excel rewrites it)."""
    pairs = re.search(r"(<(?:[\w.-]+:)?HeadingPairs>\s*<([\w.-]+:)?vector\b[^>]*>)(.*?)"
                      r"(</(?:[\w.-]+:)?vector>)", text, re.DOTALL)
    titles = re.search(r"(<(?:[\w.-]+:)?TitlesOfParts>\s*<([\w.-]+:)?vector\b)([^>]*)>(.*?)"
                       r"(</(?:[\w.-]+:)?vector>)", text, re.DOTALL)
    if pairs is None or titles is None:
        return None
    vt = pairs.group(2) or ""
    variants = re.findall(rf"<{vt}variant>\s*<{vt}(lpstr|i4)>([^<]*)</{vt}(?:lpstr|i4)>\s*"
                          rf"</{vt}variant>", pairs.group(3))
    if len(variants) % 2 or any(variants[i][0] != "lpstr" or variants[i + 1][0] != "i4"
                                for i in range(0, len(variants), 2)):
        return None
    counts = [(variants[i][1], int(variants[i + 1][1])) for i in range(0, len(variants), 2)]
    which = next((i for i, (label, _) in enumerate(counts)
                  if normalize(label) in _WORKSHEETS_HEADINGS), None)
    items = re.findall(rf"<{vt}lpstr>[^<]*</{vt}lpstr>", titles.group(4))
    if which is None or sum(c for _, c in counts) != len(items):
        return None
    at = sum(c for _, c in counts[: which + 1])
    items[at:at] = [f"<{vt}lpstr>{escape(n)}</{vt}lpstr>" for n in names]
    # the worksheets' count, inside the pair found above
    pair_i4 = [m for m in re.finditer(rf"<{vt}i4>(\d+)</{vt}i4>", pairs.group(3))][which]
    body = (pairs.group(3)[: pair_i4.start()]
            + f"<{vt}i4>{counts[which][1] + len(names)}</{vt}i4>"
            + pairs.group(3)[pair_i4.end():])
    new_pairs = pairs.group(1) + body + pairs.group(4)
    attrs = re.sub(r'\ssize="\d+"', f' size="{len(items)}"', titles.group(3))
    new_titles = titles.group(1) + attrs + ">" + "".join(items) + titles.group(5)
    # replace the later match first so the earlier one's offsets stay right
    spans = sorted([(pairs.span(), new_pairs), (titles.span(), new_titles)], reverse=True)
    for (a, b), new in spans:
        text = text[:a] + new + text[b:]
    return text


# ---- saving -----------------------------------------------------------------------------

# ---- the command ------------------------------------------------------------------------

def _styled_rows(rows: Sequence[Row], st: Styles) -> list[Row]:
    """Rows whose style roles are replaced by this workbook's own cellXfs indexes."""
    return [[None if v is None else Val(v.kind, v.value, getattr(st, v.style, None)
                                        if v.style else None) for v in row] for row in rows]


def write_specs(pkg: Package, specs: Sequence[SheetSpec], date1904: bool,
                replaced: dict[str, bytes | Writer]) -> dict[str, bytes]:
    """Report and History written as `specs` say, into `replaced` (edited parts); returns
    the parts of sheets the workbook lacked, to add to the package."""
    if not specs:
        return {}
    lang = specs[0].lang
    styles_part = next((p for t, p in pkg.rels("xl/workbook.xml").values()
                        if t == NS_REL + "/styles"), None)
    styles_xml = pkg.read(styles_part) if styles_part and pkg.has(styles_part) else None
    st = find_styles(styles_xml)
    if st.date is None and styles_part is not None and styles_xml is not None:
        with_date = add_date_style(styles_xml)
        if with_date is not None:
            replaced[styles_part], st.date = with_date
            styles_xml = with_date[0]
    if styles_part is not None and styles_xml is not None:
        # Styled like the Dashboard: roles the workbook has no style for get one.
        with_roles = add_role_styles(styles_xml, st, looks(lang))
        if with_roles is not None:
            replaced[styles_part] = with_roles
    at = {spec.key: pick_sheet(pkg.sheets, spec.key, lang) for spec in specs}
    missing = [spec.key for spec in specs if at[spec.key] is None]
    new_parts: dict[str, bytes] = {}
    parts = {k: pkg.sheets[n] for k, n in at.items() if n is not None}
    if missing:
        adding = _add_sheets(pkg, missing, lang, st)
        replaced.update(adding.replaced)
        new_parts = adding.parts
        parts.update(adding.sheets)

    for spec in specs:
        part = parts[spec.key]
        data = new_parts[part] if part in new_parts else pkg.read(part)
        rows = _styled_rows(spec.rows, st)
        if spec.replace:
            sheet: SheetXml = SheetXml(data, part)
            write_report_rows(sheet, list(rows), date1904, st.wrap)
        else:
            sheet = _append(data, part, spec, rows, st, date1904)
            last = spec.first_row + len(rows) - 1
            width = max((len(r) for r in rows), default=1)
            sheet.head = _grow_dimension(sheet.head, last, width - 1)
            for table_part in pkg.tables_of(part) if part not in new_parts else []:
                grown = grow_table(pkg.read(table_part), table_part, spec.first_row - 1, last)
                if grown is not None:
                    replaced[table_part] = grown
        if part in new_parts:
            new_parts[part] = sheet.to_bytes()
        else:
            replaced[part] = sheet.to_bytes()
    return new_parts


def _append(data: bytes, part: str, spec: SheetSpec, rows: Sequence[Row], st: Styles,
            date1904: bool) -> SheetXml:
    """History's new cells: below the last row, each new cell with its column's style;
    header cells with the header's style (an existing header's own, else ours)."""
    headers = [(r, c) for r, row in enumerate(spec.rows, start=spec.first_row)
               for c, v in enumerate(row) if v is not None and v.style == "header"]
    header_row = spec.header_row
    sheet = AppendSheet(data, part, header_row=header_row)
    header_style = (sheet.style_of(header_row, range(len(rows[0]) if rows else 0))
                    if header_row else None) or st.header
    updates: list[CellUpdate] = []
    for r, row in enumerate(rows, start=spec.first_row):
        for c, v in enumerate(row):
            if v is None:
                continue
            if v.kind == "date":
                assert isinstance(v.value, dt.date)
                updates.append(CellUpdate(part, r, c, "date", _serial(v.value, date1904)))
            elif v.kind == "number":
                assert isinstance(v.value, int | float)
                updates.append(CellUpdate(part, r, c, "number", v.value))
            else:
                updates.append(CellUpdate(part, r, c, "text", clean_text(str(v.value))))
    sheet.apply(updates)
    sheet.restyle(headers, header_style)
    return sheet
