"""The xlwings Lite buttons in a plan: its scripts and two sheet buttons, at the zip level.

`retrosheet new --xlwings-lite` and `new --from PAST --xlwings-lite` end here. The
workbook gets, every other part copied byte for byte:

- `xl/webextensions/webextension1.xml`: the xlwings Lite add-in (Office store reference
  `wa200008175`) with its settings as Office stores them, one `<we:property>` each, the
  value JSON-encoded: `main.py` and `requirements.txt` (the code and what it installs),
  `pyodideVersion`, `addinVersion`, `xlwingsWorkbookId`, `xlwingsSettingsWorkbook` (start
  the add-in with the workbook) and Office's `Office.AutoShowTaskpaneWithDocument`;
- `xl/webextensions/taskpanes.xml` (+ its relationship to the add-in), related from
  `_rels/.rels`, and the content types of both parts: Microsoft's web-extension format;
- on Planning, a drawing with two shapes, "Recalculer"/"Recompute" and "Rapport"/"Report",
  each with a link to a header cell: xlwings Lite runs the script whose
  `@script(button="[Shape]Sheet!Cell")` names that cell when the link selects it.

The container is Microsoft's documented format; the property names and their encoding are
xlwings Lite's own, matched against public workbooks of the add-in version in
`lite_scripts.ADDIN_VERSION` (docs/excel.md). A real Excel is not available here: what is
checked and what is not is listed there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..errors import WorkbookError
from ..lite_scripts import (
    ADDIN_VERSION,
    MAIN_MARK,
    PYODIDE_VERSION,
    SCRIPTS,
    main_py,
    requirements_txt,
)
from .macro import (
    _AFTER_LEGACY,
    Place,
    _add_rel,
    _attr,
    _buttons,
    _Geometry,
    _relative,
    _rels_part,
    find_place,
    reanchor_then,
    sheet_ref_rid,
    with_sheet_ref,
)
from .package import NS_REL, Package, PartEdits, save_with_parts

if TYPE_CHECKING:
    from .edit import Edited

STORE_ID = "wa200008175"  # xlwings Lite in the Office add-in store
NS_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
NS_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
REL_DRAWING = NS_REL + "/drawing"
REL_HYPERLINK = NS_REL + "/hyperlink"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
TASKPANES = "xl/webextensions/taskpanes.xml"
WEBEXTENSION = "xl/webextensions/webextension1.xml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMU_PER_PX = 9525
BUTTON_FILL, BUTTON_TEXT = "1F3864", "FFFFFF"  # the header's colours


@dataclass
class Lite:
    """What add_lite did."""

    buttons: dict[str, str]  # entry point → the cell its button links to ("Planning!C1")
    refreshed: bool  # the workbook already had retrosheet's scripts: they were replaced


def properties(part: bytes) -> dict[str, object]:
    """A web-extension part's settings, decoded (`main.py` → its source)."""
    text = part.decode("utf-8")
    out: dict[str, object] = {}
    for tag in re.findall(r"<(?:[\w.-]+:)?property\b[^>]*>", text):
        name, value = _attr(tag, "name"), _attr(tag, "value")
        if name is not None and value is not None:
            out[unescape(name)] = json.loads(unescape(value))
    return out


def _property(name: str, value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (f'<we:property name="{escape(name, {chr(34): "&quot;"})}" '
            f'value="{escape(text, {chr(34): "&quot;"})}"/>')


def webextension_xml(code: str, requirements: str, workbook_id: str) -> bytes:
    props = [
        ("Office.AutoShowTaskpaneWithDocument", True),
        ("xlwingsSettingsWorkbook", {"startupBehavior": "taskpane"}),
        ("xlwingsWorkbookId", workbook_id),
        ("pyodideVersion", PYODIDE_VERSION),
        ("addinVersion", ADDIN_VERSION),
        ("main.py", code),
        ("requirements.txt", requirements),
    ]
    return (
        XML_HEAD + f'<we:webextension xmlns:we="{NS_WE}" id="{{{str(uuid.uuid4()).upper()}}}">'
        f'<we:reference id="{STORE_ID}" version="1.0.0.0" store="en-US" storeType="OMEX"/>'
        '<we:alternateReferences><we:reference id="WA200008175" version="1.0.0.0" '
        'store="WA200008175" storeType="OMEX"/></we:alternateReferences>'
        f"<we:properties>{''.join(_property(n, v) for n, v in props)}</we:properties>"
        f'<we:bindings/><we:snapshot xmlns:r="{NS_REL}"/></we:webextension>'
    ).encode("utf-8")


TASKPANES_XML = (
    XML_HEAD + f'<wetp:taskpanes xmlns:wetp="{NS_WETP}">'
    '<wetp:taskpane dockstate="right" visibility="1" width="350" row="4">'
    f'<wetp:webextensionref xmlns:r="{NS_REL}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
).encode("utf-8")
TASKPANES_RELS = (
    XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    f'relationships"><Relationship Id="rId1" Type="{REL_WEBEXTENSION}" '
    'Target="webextension1.xml"/></Relationships>'
).encode("utf-8")


def _overrides(ct: str, parts: Mapping[str, str]) -> str:
    """[Content_Types].xml with an Override for each part it does not list yet."""
    m = re.search(r"</((?:[\w.-]+:)?)Types>", ct)
    if m is None:
        raise WorkbookError("[Content_Types].xml is damaged")
    add = "".join(f'<{m.group(1)}Override PartName="/{p}" ContentType="{t}"/>'
                  for p, t in parts.items() if f'PartName="/{p}"' not in ct)
    return ct[:m.start()] + add + ct[m.start():]


# ---- the buttons: shapes in a drawing, each linking to a cell ----------------------------

def _anchor(shape_id: int, name: str, caption: str, rid: str, x: int, y: int, w: int, h: int,
            geo: _Geometry, lang: str) -> str:
    c1, dx1 = geo.at_x(x)
    r1, dy1 = geo.at_y(y)
    c2, dx2 = geo.at_x(x + w)
    r2, dy2 = geo.at_y(y + h)
    e = EMU_PER_PX

    def point(tag: str, c: int, dx: int, r: int, dy: int) -> str:
        return (f"<xdr:{tag}><xdr:col>{c}</xdr:col><xdr:colOff>{dx * e}</xdr:colOff>"
                f"<xdr:row>{r}</xdr:row><xdr:rowOff>{dy * e}</xdr:rowOff></xdr:{tag}>")

    return (
        f'<xdr:twoCellAnchor editAs="absolute">{point("from", c1, dx1, r1, dy1)}'
        f'{point("to", c2, dx2, r2, dy2)}<xdr:sp macro="" textlink=""><xdr:nvSpPr>'
        f'<xdr:cNvPr id="{shape_id}" name="{name}" descr="{escape(caption)}">'
        f'<a:hlinkClick xmlns:r="{NS_REL}" r:id="{rid}"/></xdr:cNvPr><xdr:cNvSpPr/>'
        f'</xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="{x * e}" y="{y * e}"/>'
        f'<a:ext cx="{w * e}" cy="{h * e}"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst/>'
        f'</a:prstGeom><a:solidFill><a:srgbClr val="{BUTTON_FILL}"/></a:solidFill>'
        f'<a:ln w="9525"><a:solidFill><a:srgbClr val="{BUTTON_FILL}"/></a:solidFill></a:ln>'
        '</xdr:spPr><xdr:txBody><a:bodyPr vertOverflow="clip" wrap="square" lIns="0" '
        'tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p>'
        f'<a:pPr algn="ctr"/><a:r><a:rPr lang="{"fr-FR" if lang == "fr" else "en-US"}" '
        f'sz="1000" b="1"><a:solidFill><a:srgbClr val="{BUTTON_TEXT}"/></a:solidFill>'
        f"</a:rPr><a:t>{escape(caption)}</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
        "<xdr:clientData/></xdr:twoCellAnchor>"
    )


def _cells(place: Place) -> dict[str, tuple[int, int]]:
    """The header cell each button links to (row, col, 0-based): Rapport/Report the one it
    sits on (the Action header), Recalculer/Recompute the header to its left (right for a
    first column). Recompute twice is harmless; a report adds History rows."""
    beside = place.col - 1 if place.col > 0 else place.col + 1
    return {"recompute": (place.row, beside), "report": (place.row, place.col)}


def _cell_ref(sheet: str, row: int, col: int) -> str:
    from ..values import column_letter

    return f"{sheet}!{column_letter(col)}{row + 1}"


def _link(sheet: str, row: int, col: int) -> str:
    """A link to a cell of the workbook: quotes only when needed, `$` so that no reader
    takes `C1` for R1C1 notation (LibreOffice does: column 1)."""
    from ..layout import quote_sheet
    from ..values import column_letter

    name = sheet if re.fullmatch(r"[A-Za-z_][\w.]*", sheet) else quote_sheet(sheet)
    return f"#{name}!${column_letter(col)}${row + 1}"


def _shape_names(drawing: bytes) -> set[str]:
    return {n for n in re.findall(rb'<(?:[\w.-]+:)?cNvPr\b[^>]*\sname="([^"]*)"', drawing)
            for n in [n.decode("utf-8", "replace")]}


# ---- the whole conversion ---------------------------------------------------------------

def add_lite(src: Path, dest: Path, place: Place | None = None,
             requirement: str | None = None) -> Lite:
    """Write at `dest` the workbook `src` with retrosheet's xlwings Lite scripts and buttons.

    A workbook that has them already gets the current scripts (the buttons stay); one
    with other add-ins' task panes, or with xlwings Lite code of its own, is refused
    rather than mixed with ours. `requirement`: the retrosheet line of requirements.txt
    (default: this version from PyPI).
    """
    if requirement is not None and (not requirement.strip() or "\n" in requirement
                                    or "\r" in requirement):
        raise WorkbookError("--lite-requirement takes one requirement on one line")
    place = place or find_place(src)
    pkg = Package(src)
    planning = pkg.sheets.get(place.sheet)
    if planning is None:
        raise WorkbookError(f"{src.name} has no sheet {place.sheet!r}")
    cells = _cells(place)
    buttons = {k: _cell_ref(place.sheet, r, c) for k, (r, c) in cells.items()}
    code = main_py(buttons, place.lang)
    edits = PartEdits(pkg)
    replaced, added, text = edits.replaced, edits.added, edits.text

    # The add-in and its task pane.
    refreshed = pkg.has(TASKPANES)
    workbook_id = str(uuid.uuid4())
    if refreshed:
        ours = [p for t, p in pkg.rels(TASKPANES).values() if t == REL_WEBEXTENSION]
        if ours != [WEBEXTENSION] or STORE_ID not in pkg.read(WEBEXTENSION).decode().lower():
            raise WorkbookError(f"{src.name} already has add-ins of its own in task panes: "
                                "retrosheet does not mix its buttons into them")
        old = properties(pkg.read(WEBEXTENSION))
        if not str(old.get("main.py", "")).startswith(MAIN_MARK):
            raise WorkbookError(f"{src.name} already has xlwings Lite code of its own: "
                                "retrosheet does not replace it (save a copy without it)")
        workbook_id = str(old.get("xlwingsWorkbookId") or workbook_id)
        requirement = requirement or _own_requirement(str(old.get("requirements.txt", "")))
        replaced[WEBEXTENSION] = webextension_xml(code, requirements_txt(requirement),
                                                  workbook_id)
    else:
        added[WEBEXTENSION] = webextension_xml(code, requirements_txt(requirement),
                                               workbook_id)
        added[TASKPANES] = TASKPANES_XML
        added[_rels_part(TASKPANES)] = TASKPANES_RELS
        root_rels = "_rels/.rels"
        replaced[root_rels] = _add_rel(text(root_rels) if pkg.has(root_rels) else None,
                                       REL_TASKPANES, TASKPANES)[0].encode("utf-8")

    # The buttons on Planning, in a drawing of its own or added to the one it has.
    sheet_bytes = pkg.read(planning)
    geo = _Geometry(sheet_bytes, place.row + 1)
    boxes = _buttons(geo, place)
    rid = sheet_ref_rid(sheet_bytes, "drawing")
    drawing = None
    if rid is not None:
        kind, drawing = pkg.rels(planning).get(rid, ("", ""))
        if kind != REL_DRAWING or not pkg.has(drawing):
            raise WorkbookError(f"{src.name}: the drawing of sheet {place.sheet!r} is missing")
    have = _shape_names(pkg.read(drawing)) if drawing else set()
    todo = [(entry, box) for entry, box in zip(SCRIPTS, boxes, strict=True)
            if SCRIPTS[entry][0] not in have]
    if todo:
        if drawing is None:
            names = {p.lower() for p in pkg._names}
            k = 1
            while f"xl/drawings/drawing{k}.xml" in names:
                k += 1
            drawing = f"xl/drawings/drawing{k}.xml"
            body, drels = "", None
            srels_part = _rels_part(planning)
            new_rels, srid = _add_rel(text(srels_part) if pkg.has(srels_part) else None,
                                      REL_DRAWING, _relative(planning, drawing))
            (replaced if pkg.has(srels_part) else added)[srels_part] = new_rels.encode()
            replaced[planning] = with_sheet_ref(sheet_bytes, "drawing", srid,
                                                ("legacyDrawing", *_AFTER_LEGACY))
        else:
            body = pkg.read(drawing).decode("utf-8")
            drels = text(_rels_part(drawing)) if pkg.has(_rels_part(drawing)) else None
        ids = [int(i) for i in re.findall(r'<(?:[\w.-]+:)?cNvPr\b[^>]*\sid="(\d+)"', body)]
        next_id = max([1, *ids]) + 1
        anchors = []
        for i, (entry, box) in enumerate(todo):
            r, c = cells[entry]
            drels, hrid = _add_rel(drels, REL_HYPERLINK, _link(place.sheet, r, c))
            anchors.append(_anchor(next_id + i, SCRIPTS[entry][0], box.caption, hrid,
                                   box.x, box.y, box.w, box.h, geo, place.lang))
        drawing_xml = _with_anchors(body, "".join(anchors))
        (replaced if pkg.has(drawing) else added)[drawing] = drawing_xml.encode("utf-8")
        assert drels is not None
        (replaced if pkg.has(_rels_part(drawing)) else added)[_rels_part(drawing)] = \
            drels.encode("utf-8")

    parts = {TASKPANES: CT_TASKPANES, WEBEXTENSION: CT_WEBEXTENSION}
    if drawing is not None:
        parts[drawing] = CT_DRAWING
    replaced["[Content_Types].xml"] = _overrides(text("[Content_Types].xml"), parts) \
        .encode("utf-8")
    save_with_parts(pkg, replaced, added, dest)
    return Lite(buttons, refreshed)


def _own_requirement(text: str) -> str | None:
    """The retrosheet line of a past plan's requirements.txt when a team changed it (a
    wheel it hosts): kept; None for the default pin, which takes the current version."""
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and not ln.strip().startswith("#") and "# required" not in ln]
    last = lines[-1] if lines else ""
    return None if not last or re.match(r"retrosheet\s*==", last) else last


def _with_anchors(body: str, anchors: str) -> str:
    """A drawing part (or a new one when `body` is empty) with `anchors` appended; the
    anchors use the xdr/a prefixes, declared on them when the part uses others."""
    if not body:
        return (f'{XML_HEAD}<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{anchors}'
                "</xdr:wsDr>")
    root = re.search(r"<(?![?!])((?:[\w.-]+:)?)wsDr\b[^>]*>", body)
    close = body.rfind("</")
    if root is None or close < 0:
        raise WorkbookError("the Planning drawing is damaged")
    declared = (f'xmlns:xdr="{NS_XDR}"' in root.group(0) and f'xmlns:a="{NS_A}"'
                in root.group(0))
    if not declared:
        anchors = anchors.replace("<xdr:twoCellAnchor ",
                                  f'<xdr:twoCellAnchor xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}" ')
    return body[:close] + anchors + body[close:]


def reanchor_with_lite(src: Path, dest: Path, release: dt.date,
                       requirement: str | None = None) -> Edited:
    """`new --from PAST --xlwings-lite`: the re-anchored copy of a past plan with the
    xlwings Lite buttons (a past plan of retrosheet's gets the current scripts)."""
    return reanchor_then(src, dest, release,
                         lambda copy, to, place: add_lite(copy, to, place, requirement))
