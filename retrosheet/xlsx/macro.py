"""Excel buttons: a plan made macro-enabled (.xlsm) at the zip level, every other part kept.

`retrosheet new --macro` and `new --from PAST.xlsx --macro` end here. The workbook gets:

- `xl/vbaProject.bin`: the VBA project of the *installed* xlwings' standalone quickstart
  (its `xlwings` module, with RunPython, and the `Dictionary` class it needs), read at
  generation time, never a committed binary, its sample module replaced by ours
  (`Retrosheet`, generated below as text: one Sub per button, each calling
  `RunPython "import retrosheet.excel; retrosheet.excel.<entry>()"`). pyopenvba writes
  the module into the OLE container (MS-OVBA compression).
- its relationship from the workbook, and the workbook's content type made macro-enabled;
- VBA code names on the workbook and on each sheet that has none (what Excel and
  XlsxWriter write), so the project's document modules find their sheets;
- a VML drawing on Planning with two form buttons ("Recalculer"/"Recompute",
  "Rapport"/"Report") bound to the Subs (`<x:FmlaMacro>[0]!Sub</x:FmlaMacro>`).

Nothing needs to sit beside the workbook: the users' Python needs retrosheet and the same
xlwings version (docs/excel.md). A click in a real Excel cannot be checked here; the
structure is (tests/test_excel_macro.py).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..errors import WorkbookError
from .package import NS_REL, Package, PartEdits, save_with_parts
from .vba import (
    CAPTIONS,
    ENTRY_POINTS,
    MODULE,
    XLWINGS_MODULES,
    has_code,
    installed_xlwings,
    module_source,
    needs,
    vba_project,
    vba_xlwings_version,
    xlwings_template,
)

if TYPE_CHECKING:
    from .edit import Edited

__all__ = ["CAPTIONS", "ENTRY_POINTS", "MODULE", "XLWINGS_MODULES", "installed_xlwings",
           "module_source", "vba_project", "vba_xlwings_version", "xlwings_template"]

REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_VML = NS_REL + "/vmlDrawing"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_BOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_BOOK_MACRO = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_SHEET_RELS = {NS_REL + "/worksheet": "Sheet", NS_REL + "/chartsheet": "Chart"}


# ---- the package edits ------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where the buttons go: over the right part of a header cell of Planning."""

    sheet: str
    row: int  # 0-based
    col: int  # 0-based
    lang: str


@dataclass
class Macros:
    """What add_macros did."""

    xlwings: str  # the xlwings version of the VBA written
    buttons: list[str]  # Sub names bound to buttons on Planning
    refreshed: bool  # an existing retrosheet project was replaced by the current one


_ROOT = re.compile(rb"<(?![?!])[^>]*>")


def _attr(tag: str | bytes, name: str) -> str | None:
    text = tag.decode("utf-8") if isinstance(tag, bytes) else tag
    m = re.search(rf'\s{re.escape(name)}\s*=\s*"([^"]*)"', text)
    return m.group(1) if m else None


def _sheet_list(pkg: Package) -> list[tuple[str, str, str]]:
    """(name, part, relationship type) of each sheet, in the workbook's order."""
    wb = pkg.read("xl/workbook.xml").decode("utf-8")
    rels = pkg.rels("xl/workbook.xml")
    out = []
    for tag in re.findall(r"<(?:[\w.-]+:)?sheet\b[^>]*>", wb):
        rid = next((v for k, v in re.findall(r'\s([\w.:-]+)="([^"]*)"', tag)
                    if k.endswith(":id") or k == "id"), "")
        kind, part = rels.get(rid, ("", ""))
        out.append((_unescape_attr(_attr(tag, "name") or ""), part, kind))
    return out


def _unescape_attr(text: str) -> str:
    from html import unescape

    return unescape(text)


def _with_code_name(data: bytes, code: str) -> bytes | None:
    """A sheet part whose sheetPr carries `code` as codeName (None: it has one already)."""
    root = _ROOT.search(data)
    if root is None:
        raise WorkbookError("a sheet part has no root element")
    prefix = re.match(rb"<((?:[\w.-]+:)?)", root.group(0))
    p = prefix.group(1) if prefix else b""
    head_end = data.find(b"<" + p + b"sheetData", root.end())
    head_end = len(data) if head_end < 0 else head_end
    pr = re.compile(rb"<" + re.escape(p) + rb"sheetPr\b[^>]*?(/?)>").search(data, root.end(),
                                                                           head_end)
    if pr is not None:
        if _attr(pr.group(0), "codeName"):
            return None
        at = pr.start() + len(b"<" + p + b"sheetPr")
        return data[:at] + f' codeName="{code}"'.encode() + data[at:]
    return (data[:root.end()] + f'<{p.decode()}sheetPr codeName="{code}"/>'.encode()
            + data[root.end():])


def _code_name(data: bytes) -> str | None:
    """The code name on a sheet part's sheetPr, if any."""
    end = data.find(b"sheetData")
    m = re.search(rb"<(?:[\w.-]+:)?sheetPr\b[^>]*>", data[: end if end > 0 else 65536])
    return _attr(m.group(0), "codeName") if m else None


def _book_code_name(wb: str) -> tuple[str, str | None]:
    """The workbook's code name, and workbook.xml with it (None: it has one already)."""
    m = re.search(r"<((?:[\w.-]+:)?)workbookPr\b[^>]*?/?>", wb)
    if m is not None:
        name = _attr(m.group(0), "codeName")
        if name:
            return name, None
        at = m.start() + len(f"<{m.group(1)}workbookPr")
        return "ThisWorkbook", wb[:at] + ' codeName="ThisWorkbook"' + wb[at:]
    root = re.search(r"<(?![?!])((?:[\w.-]+:)?)workbook\b[^>]*>", wb)
    if root is None:
        raise WorkbookError("xl/workbook.xml has no workbook element")
    after = re.compile(rf"<{re.escape(root.group(1))}(?:fileVersion|fileSharing)\b[^>]*/>")
    at = root.end()
    for m2 in after.finditer(wb, root.end()):
        at = m2.end()
    return "ThisWorkbook", (wb[:at] + f'<{root.group(1)}workbookPr codeName="ThisWorkbook"/>'
                            + wb[at:])


def _content_types(ct: str) -> str:
    m = re.search(r'<((?:[\w.-]+:)?)Override\b[^>]*PartName="/xl/workbook\.xml"[^>]*/>', ct)
    if m is None:
        raise WorkbookError("[Content_Types].xml does not list xl/workbook.xml")
    tag = m.group(0)
    kind = _attr(tag, "ContentType")
    if kind == CT_BOOK:
        ct = ct[:m.start()] + tag.replace(CT_BOOK, CT_BOOK_MACRO) + ct[m.end():]
    elif kind != CT_BOOK_MACRO:
        raise WorkbookError(f"a workbook of type {kind} cannot take buttons: save it as .xlsx")
    p = m.group(1)
    defaults = {(_attr(d, "Extension") or "").lower(): _attr(d, "ContentType")
                for d in re.findall(rf"<{re.escape(p)}Default\b[^>]*/>", ct)}
    add = ""
    if "bin" not in defaults:
        add += f'<{p}Default Extension="bin" ContentType="{CT_VBA}"/>'
    elif defaults["bin"] != CT_VBA and "/xl/vbaProject.bin" not in ct:
        add += f'<{p}Override PartName="/xl/vbaProject.bin" ContentType="{CT_VBA}"/>'
    if "vml" not in defaults:
        add += f'<{p}Default Extension="vml" ContentType="{CT_VML}"/>'
    found = list(re.finditer(rf"<{re.escape(p)}Default\b[^>]*/>", ct))
    at = found[-1].end() if found else ct.rindex(f"</{p}Types>")  # Defaults first
    return ct[:at] + add + ct[at:]


def _add_rel(rels: str | None, kind: str, target: str) -> tuple[str, str]:
    """A relationships part with one more relationship, and its id."""
    if rels is None:
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                "</Relationships>")
    close = re.search(r"</((?:[\w.-]+:)?)Relationships>", rels)
    if close is None:  # <Relationships .../>
        empty = re.search(r"<((?:[\w.-]+:)?)Relationships\b([^>]*)/>", rels)
        if empty is None:
            raise WorkbookError("a relationships part is damaged")
        rels = (rels[:empty.start()] + f"<{empty.group(1)}Relationships{empty.group(2)}>"
                f"</{empty.group(1)}Relationships>" + rels[empty.end():])
        close = re.search(r"</((?:[\w.-]+:)?)Relationships>", rels)
        assert close is not None
    used = set(re.findall(r'\sId="([^"]*)"', rels))
    n = 1
    while f"rId{n}" in used:
        n += 1
    rid = f"rId{n}"
    tag = f'<{close.group(1)}Relationship Id="{rid}" Type="{kind}" Target="{escape(target)}"/>'
    return rels[:close.start()] + tag + rels[close.start():], rid


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relative(from_part: str, to_part: str) -> str:
    return posixpath.relpath(to_part, posixpath.dirname(from_part))


# ---- the buttons' geometry (pixels, as Excel and XlsxWriter count them) ----------------

BUTTON_W, BUTTON_GAP, BUTTON_H = 96, 8, 34  # both fit in the Action header cell
FILTER_ARROW = 24  # the table's filter button at the right of a header cell stays free
DEFAULT_COL_PX, DEFAULT_ROW_PT = 64, 15.0


def _col_px(width: float) -> int:
    return int(width * 7 + 0.5) if width >= 1 else int(width * 12 + 0.5)


class _Geometry:
    """Column widths and row heights of a sheet part, from its head and rows."""

    def __init__(self, data: bytes, rows_needed: int) -> None:
        end = data.find(b"sheetData")
        head = data[: end if end > 0 else len(data)].decode("utf-8", "replace")
        fmt = re.search(r"<(?:[\w.-]+:)?sheetFormatPr\b[^>]*>", head)
        width = _attr(fmt.group(0), "defaultColWidth") if fmt else None
        base = _attr(fmt.group(0), "baseColWidth") if fmt else None
        height = _attr(fmt.group(0), "defaultRowHeight") if fmt else None
        self.default_col = (_col_px(float(width)) if width else
                            _col_px(int(base) + 0.7109375) if base else DEFAULT_COL_PX)
        self.default_row = float(height) if height else DEFAULT_ROW_PT
        self.cols: dict[int, int] = {}
        for tag in re.findall(r"<(?:[\w.-]+:)?col\b[^>]*>", head):
            lo, hi, w = _attr(tag, "min"), _attr(tag, "max"), _attr(tag, "width")
            hidden = _attr(tag, "hidden") in ("1", "true")
            if lo and hi and lo.isdigit() and hi.isdigit() and hi != "16384":
                for c in range(int(lo) - 1, int(hi)):
                    self.cols[c] = 0 if hidden else _col_px(float(w)) if w else \
                        self.default_col
        self.rows: dict[int, float] = {}
        for m in re.finditer(rb"<(?:[\w.-]+:)?row\b[^>]*>", data):
            r = _attr(m.group(0), "r")
            if r is None or not r.isdigit():
                continue
            if int(r) > rows_needed:
                break
            ht = _attr(m.group(0), "ht")
            if ht:
                self.rows[int(r) - 1] = float(ht)

    def col(self, c: int) -> int:
        return self.cols.get(c, self.default_col)

    def row(self, r: int) -> int:
        return int(self.rows.get(r, self.default_row) * 4 / 3 + 0.5)

    def at_x(self, x: int) -> tuple[int, int]:
        """(column, offset in it) of the absolute x."""
        c = 0
        while x >= self.col(c) and c < 16383:
            x -= self.col(c)
            c += 1
        return c, x

    def at_y(self, y: int) -> tuple[int, int]:
        r = 0
        while y >= self.row(r) and r < 1048575:
            y -= self.row(r)
            r += 1
        return r, y


@dataclass(frozen=True)
class _Button:
    sub: str
    caption: str
    x: int  # absolute, pixels
    y: int
    w: int
    h: int


def _buttons(geo: _Geometry, place: Place) -> list[_Button]:
    left = sum(geo.col(c) for c in range(place.col))
    top = sum(geo.row(r) for r in range(place.row))
    col_w, row_h = geo.col(place.col), geo.row(place.row)
    h = max(min(BUTTON_H, row_h - 6), min(20, row_h), 16)
    room = 2 * BUTTON_W + BUTTON_GAP
    x = left + max(col_w - FILTER_ARROW - room, min(col_w, 70))  # after the header's word
    y = top + max((row_h - h) // 2, 0)
    lang = 0 if place.lang == "fr" else 1
    out = []
    for entry, (sub, _) in ENTRY_POINTS.items():
        out.append(_Button(sub, CAPTIONS[entry][lang], x, y, BUTTON_W, h))
        x += BUTTON_W + BUTTON_GAP
    return out


_SHAPETYPE = (
    '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
    '<o:lock v:ext="edit" shapetype="t"/></v:shapetype>'
)


_NS_VML = ('xmlns:v="urn:schemas-microsoft-com:vml" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')


def _shape_xml(b: _Button, shape_id: int, z: int, geo: _Geometry, ns: str = "") -> str:
    """One button; `ns` declares the v/o/x prefixes on the shape itself, for a drawing
    whose root declares other prefixes (openpyxl writes ns0, ns1…)."""
    c1, dx1 = geo.at_x(b.x)
    r1, dy1 = geo.at_y(b.y)
    c2, dx2 = geo.at_x(b.x + b.w)
    r2, dy2 = geo.at_y(b.y + b.h)
    pt = 0.75
    return (
        f'<v:shape{" " + ns if ns else ""} id="_x0000_s{shape_id}" type="#_x0000_t201" '
        'style="position:absolute;'
        f"margin-left:{b.x * pt:g}pt;margin-top:{b.y * pt:g}pt;width:{b.w * pt:g}pt;"
        f'height:{b.h * pt:g}pt;z-index:{z};mso-wrap-style:tight" o:button="t" '
        'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
        '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
        '<o:lock v:ext="edit" rotation="t"/>'
        '<v:textbox style="mso-direction-alt:auto" o:singleclick="f">'
        '<div style="text-align:center"><font face="Calibri" size="220" color="#000000">'
        f"{escape(b.caption)}</font></div></v:textbox>"
        '<x:ClientData ObjectType="Button">'
        f"<x:Anchor>{c1}, {dx1}, {r1}, {dy1}, {c2}, {dx2}, {r2}, {dy2}</x:Anchor>"
        "<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{b.sub}</x:FmlaMacro>"
        "<x:TextHAlign>Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign>"
        "</x:ClientData></v:shape>"
    )


def _new_vml(buttons: list[_Button], data_id: int, geo: _Geometry) -> bytes:
    shapes = "".join(_shape_xml(b, data_id * 1024 + i, i, geo)
                     for i, b in enumerate(buttons, start=1))
    return (
        f"<xml {_NS_VML}>"
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{data_id}"/>'
        f"</o:shapelayout>{_SHAPETYPE}{shapes}</xml>"
    ).encode()


def _merged_vml(vml: bytes, buttons: list[_Button], geo: _Geometry) -> bytes:
    """An existing VML drawing (comments, say) with our buttons appended."""
    text = vml.decode("utf-8", "replace") if not vml.startswith(b"\xff\xfe") else \
        vml.decode("utf-16")
    ids = [int(x) for x in re.findall(r"_x0000_s(\d+)", text)]
    blocks = [int(x) for d in re.findall(r'<(?:[\w.-]+:)?idmap\b[^>]*\sdata="([^"]*)"', text)
              for x in re.split(r"[,\s]+", d) if x.isdigit()]
    first = max(ids + [b * 1024 for b in blocks] + [1024]) + 1
    z = len(re.findall(r"<(?:[\w.-]+:)?shape\b", text))
    add = "" if 'id="_x0000_t201"' in text else \
        _SHAPETYPE.replace("<v:shapetype", f"<v:shapetype {_NS_VML}", 1)
    add += "".join(_shape_xml(b, first + i, z + 1 + i, geo, _NS_VML)
                   for i, b in enumerate(buttons))
    close = text.rindex("</xml>")
    return (text[:close] + add + text[close:]).encode("utf-8")


def vml_macros(vml: bytes) -> list[str]:
    """The Subs the buttons of a VML drawing are bound to."""
    text = vml.decode("utf-8", "replace")
    return [m.split("!")[-1].strip() for m in
            re.findall(r"<(?:[\w.-]+:)?FmlaMacro>([^<]*)</(?:[\w.-]+:)?FmlaMacro>", text)]


_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")


def _with_legacy_drawing(data: bytes, rid: str) -> bytes:
    """A worksheet part with <legacyDrawing r:id=…/> where the schema puts it."""
    return with_sheet_ref(data, "legacyDrawing", rid, _AFTER_LEGACY)


def with_sheet_ref(data: bytes, tag: str, rid: str, after: Sequence[str]) -> bytes:
    """A worksheet part with `<tag r:id=rid/>` after sheetData, before the first of the
    elements `after` (the schema's order)."""
    close = data.rfind(b"sheetData>")
    if close < 0:
        raise WorkbookError("the Planning sheet part has no sheetData")
    root = _ROOT.search(data)
    assert root is not None
    root_tag = root.group(0).decode("utf-8", "replace")
    p = re.match(r"<((?:[\w.-]+:)?)", root_tag)
    prefix = p.group(1) if p else ""
    r = next((m.group(1) for m in re.finditer(r'\sxmlns:([\w.-]+)="([^"]*)"', root_tag)
              if m.group(2) == NS_REL), None)
    element = (f'<{prefix}{tag} {r}:id="{rid}"/>' if r else
               f'<{prefix}{tag} xmlns:r="{NS_REL}" r:id="{rid}"/>').encode("utf-8")
    tail_at = close + len(b"sheetData>")
    tail = data[tail_at:]
    names = b"|".join(re.escape(n.encode()) for n in after)
    m = re.search(rb"<" + re.escape(prefix.encode()) + rb"(?:" + names + rb")\b", tail)
    at = m.start() if m else tail.rindex(b"</")
    return data[:tail_at] + tail[:at] + element + tail[at:]


def sheet_ref_rid(data: bytes, tag: str) -> str | None:
    """The r:id of a worksheet part's `<tag r:id=…/>` after sheetData (any prefix)."""
    end = data.rfind(b"sheetData>")
    m = re.search(rb"<(?:[\w.-]+:)?" + tag.encode() + rb"\b[^>]*>", data[max(end, 0):])
    if m is None:
        return None
    text = m.group(0).decode("utf-8", "replace")
    return next((v for k, v in re.findall(r'\s([\w.:-]+)="([^"]*)"', text)
                 if k.endswith(":id")), None)


# ---- the whole conversion ---------------------------------------------------------------

def find_place(path: Path) -> Place:
    """Planning's header cell of the Action column (the first column when there is none)."""
    from .read import load_plan

    loaded = load_plan(path)
    table = loaded.planning
    col = table.columns.get("action", min(table.columns.values(), default=0))
    return Place(table.sheet, table.header_row, col, loaded.plan.settings.lang)


def _project_is_ours(pkg: Package) -> bool:
    """Whether the workbook's VBA project holds only what retrosheet put there."""
    try:
        from pyopenvba import ExcelFile  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise needs("pyopenvba") from None
    with ExcelFile(pkg.path) as wb:
        project = wb.vba_project()
        names = set(project.module_names())
        if MODULE not in names:
            return False
        for m in project.modules:
            if m.name in (*XLWINGS_MODULES, MODULE):
                continue
            if not (m.attribute_header and "VB_Base" in m.attribute_header) or \
                    has_code(m.source):
                return False
    return True


def add_macros(src: Path, dest: Path, place: Place | None = None) -> Macros:
    """Write at `dest` (.xlsm) the workbook `src` with retrosheet's buttons and VBA.

    Every part but the ones listed in this module's docstring is copied byte for byte. A
    workbook that already has retrosheet's project gets the current one (the installed
    xlwings' VBA); one with VBA of its own is refused rather than mixed with ours.
    """
    if dest.suffix.lower() != ".xlsm":
        raise WorkbookError(f"{dest.name}: a workbook with buttons is an .xlsm file")
    place = place or find_place(src)
    pkg = Package(src)
    refreshed = False
    if pkg.has("xl/vbaProject.bin"):
        if not _project_is_ours(pkg):
            raise WorkbookError(
                f"{src.name} already has VBA macros of its own: retrosheet does not mix its "
                "buttons into them (save a copy as .xlsx and use that)")
        refreshed = True

    edits = PartEdits(pkg)
    replaced, added, text = edits.replaced, edits.added, edits.text

    # Code names: the workbook's and each sheet's (added where missing).
    book_code, wb_xml = _book_code_name(pkg.read("xl/workbook.xml").decode("utf-8"))
    if wb_xml is not None:
        replaced["xl/workbook.xml"] = wb_xml.encode("utf-8")
    sheets = _sheet_list(pkg)
    codes: list[str] = []
    taken = {book_code.casefold()}
    part_code: dict[str, str] = {}
    for _, part, kind in sheets:
        if kind in _SHEET_RELS and pkg.has(part):
            code = _code_name(pkg.read(part))
            if code:
                taken.add(code.casefold())
                part_code[part] = code
    for n, (name, part, kind) in enumerate(sheets, start=1):
        if kind not in _SHEET_RELS:
            raise WorkbookError(f"sheet {name!r} is a {kind.rsplit('/', 1)[-1]}: retrosheet "
                                "adds buttons only to workbooks of worksheets and charts")
        code = part_code.get(part)
        if code is None:
            code = f"{_SHEET_RELS[kind]}{n}"
            k = n
            while code.casefold() in taken:
                k += 1
                code = f"{_SHEET_RELS[kind]}{k}"
            taken.add(code.casefold())
            new = _with_code_name(pkg.read(part), code)
            if new is not None:
                replaced[part] = new
        codes.append(code)

    # The VBA project and its relationship; the workbook becomes macro-enabled.
    vba = vba_project(book_code, [code for code, (_, _, kind) in zip(codes, sheets, strict=True)
                                  if kind == NS_REL + "/worksheet"])
    if refreshed:
        replaced["xl/vbaProject.bin"] = vba
    else:
        added["xl/vbaProject.bin"] = vba
        rels_part = "xl/_rels/workbook.xml.rels"
        replaced[rels_part] = _add_rel(text(rels_part), REL_VBA, "vbaProject.bin")[0] \
            .encode("utf-8")
    replaced["[Content_Types].xml"] = _content_types(text("[Content_Types].xml")) \
        .encode("utf-8")

    # The buttons on Planning.
    planning = next((p for n, p, _ in sheets if n == place.sheet), None)
    if planning is None:
        raise WorkbookError(f"{src.name} has no sheet {place.sheet!r}")
    pdata = replaced.get(planning)
    sheet_bytes = pdata if isinstance(pdata, bytes) else pkg.read(planning)
    geo = _Geometry(sheet_bytes, place.row + 1)
    buttons = _buttons(geo, place)
    rid = sheet_ref_rid(sheet_bytes, "legacyDrawing")
    srels_part = _rels_part(planning)
    vml_part = None
    if rid is not None:
        kind, vml_part = pkg.rels(planning).get(rid, ("", ""))
        if kind != REL_VML or not pkg.has(vml_part):
            raise WorkbookError(f"{src.name}: the drawing of sheet {place.sheet!r} is missing")
        old = pkg.read(vml_part)
        have = set(vml_macros(old))
        buttons = [b for b in buttons if b.sub not in have]
        if buttons:
            replaced[vml_part] = _merged_vml(old, buttons, geo)
    else:
        parts = {p.lower() for p in pkg._names} | {p.lower() for p in added}
        k = 1
        while f"xl/drawings/vmldrawing{k}.vml" in parts:
            k += 1
        vml_part = f"xl/drawings/vmlDrawing{k}.vml"
        blocks = [1]  # VML shape ids come in blocks of 1024, one per drawing
        idmap = re.compile(rb'<(?:[\w.-]+:)?idmap\b[^>]*\sdata="([^"]*)"')
        for p in pkg._names:
            if p.lower().endswith(".vml"):
                blocks += [int(x) for d in idmap.findall(pkg.read(p))
                           for x in re.split(rb"[,\s]+", d) if x.isdigit()]
        added[vml_part] = _new_vml(buttons, max(blocks) + 1, geo)
        srels = text(srels_part) if pkg.has(srels_part) else None
        new_rels, rid = _add_rel(srels, REL_VML, _relative(planning, vml_part))
        if pkg.has(srels_part):
            replaced[srels_part] = new_rels.encode("utf-8")
        else:
            added[srels_part] = new_rels.encode("utf-8")
        replaced[planning] = _with_legacy_drawing(sheet_bytes, rid)

    save_with_parts(pkg, replaced, added, dest)
    return Macros(installed_xlwings(), [sub for sub, _ in ENTRY_POINTS.values()], refreshed)


def reanchor_with_macros(src: Path, dest: Path, release: dt.date) -> Edited:
    """`new --from PAST --macro`: the re-anchored copy of a past plan, as an .xlsm with
    the buttons (a past .xlsm of retrosheet's gets the installed xlwings' VBA)."""
    return reanchor_then(src, dest, release, add_macros)


def reanchor_then(src: Path, dest: Path, release: dt.date,
                  add: Callable[[Path, Path, Place], object]) -> Edited:
    """The re-anchored copy of a past plan, then `add(copy, dest, place)` puts buttons on
    its Planning (over the Action header)."""
    from .edit import reanchor_file

    with tempfile.TemporaryDirectory(prefix="retrosheet-") as tmp:
        middle = Path(tmp) / f"plan{src.suffix.lower()}"
        edited = reanchor_file(src, middle, release)
        table = edited.loaded.planning
        col = table.columns.get("action", min(table.columns.values(), default=0))
        add(middle, dest, Place(table.sheet, table.header_row, col,
                                edited.loaded.plan.settings.lang))
    return edited
