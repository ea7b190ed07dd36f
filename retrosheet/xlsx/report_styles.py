"""The styles a Report or History cell points at, found in (or added to) styles.xml.

A plan's workbook keeps its look: each style role (`store.ROLES`) takes the plainest
existing cellXfs entry that shows it (a date format, bold, the header's fill…); a role no
entry shows gets one, appended to styles.xml with the look new plans draw
(retrosheet/design/looks.py), and is found again on the next run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..design import Look
from ..errors import WorkbookError, msg
from ..report_cells import Styles
from .package import NS_MAIN

if TYPE_CHECKING:
    from lxml import etree

_BUILTIN_DATE_FORMATS = {14, 15}  # m/d/yyyy (shown in the reader's locale), d-mmm-yy
_BUILTIN_INT_FORMATS = {1, 3}  # 0, #,##0
_BUILTIN_PCT_FORMATS = {9, 10}


def _format_kind(code: str) -> str | None:
    """`date`, `pct`, `money`, `int` or None for a number format code."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    if "y" in bare and "d" in bare and "m" in bare and "h" not in bare and "s" not in bare:
        return "date"
    if "%" in bare:
        return "pct"
    if any(c in code for c in "€$£"):
        return "money"
    if re.fullmatch("#?[, \u00a0\u202f]?#*0+", bare.replace("#,##", "#,").strip()):
        return "int"
    return None


@dataclass
class _Xf:
    index: int
    num_fmt: int
    kind: str | None  # of its number format
    bold: bool
    italic: bool
    size: float
    filled: bool
    bordered: bool
    wrap: bool = False
    right: bool = False

    @property
    def plainness(self) -> int:
        return int(self.filled) * 4 + int(self.bordered) * 2 + int(self.bold) + int(self.italic)


def _parse_xml(data: bytes, what: str) -> etree._Element:
    from lxml import etree  # only the file backend parses XML (xlwings Lite has no lxml)

    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(msg("report.sheet.damaged", part=what, error=exc)) from exc


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _size(text: str | None) -> float:
    try:
        return float(text) if text is not None else 11.0
    except ValueError:
        return 11.0


def _xfs(styles_xml: bytes) -> list[_Xf]:
    root = _parse_xml(styles_xml, "xl/styles.xml")
    ns = {"m": NS_MAIN}
    codes = {_int(n.get("numFmtId"), -1): n.get("formatCode", "")
             for n in root.iterfind("m:numFmts/m:numFmt", ns)}
    fonts = []
    for f in root.iterfind("m:fonts/m:font", ns):
        b, i = f.find("m:b", ns), f.find("m:i", ns)
        sz = f.find("m:sz", ns)
        fonts.append((b is not None and b.get("val", "1") not in ("0", "false"),
                      i is not None and i.get("val", "1") not in ("0", "false"),
                      _size(sz.get("val")) if sz is not None else 11.0))
    fills = []
    for f in root.iterfind("m:fills/m:fill", ns):
        p = f.find("m:patternFill", ns)
        fills.append(p is not None and p.get("patternType", "none") not in ("none", "gray125"))
    borders = []
    for b in root.iterfind("m:borders/m:border", ns):
        borders.append(any(side.get("style") for side in b))
    out = []
    for n, xf in enumerate(root.iterfind("m:cellXfs/m:xf", ns)):
        num = _int(xf.get("numFmtId"))
        font_id = _int(xf.get("fontId"))
        font = fonts[font_id] if 0 <= font_id < len(fonts) else (False, False, 11.0)
        fill = _int(xf.get("fillId"))
        border = _int(xf.get("borderId"))
        if num in _BUILTIN_DATE_FORMATS:
            kind: str | None = "date"
        elif num in _BUILTIN_PCT_FORMATS:
            kind = "pct"
        elif num in _BUILTIN_INT_FORMATS:
            kind = "int"
        elif num in codes:
            kind = _format_kind(codes[num])
        else:
            kind = None
        align = xf.find("m:alignment", ns)
        wrap = align is not None and align.get("wrapText") in ("1", "true")
        right = align is not None and align.get("horizontal") == "right"
        out.append(_Xf(n, num, kind, font[0], font[1], font[2],
                       0 <= fill < len(fills) and fills[fill],
                       0 <= border < len(borders) and borders[border], wrap, right))
    return out


def find_styles(styles_xml: bytes | None) -> Styles:
    """The plainest existing style for each kind of Report cell."""
    st = Styles()
    if styles_xml is None:
        return st
    xfs = _xfs(styles_xml)

    def best(ok: Callable[[_Xf], bool]) -> str | None:
        found = [x for x in xfs if ok(x)]
        return str(min(found, key=lambda x: (x.plainness, x.index)).index) if found else None

    st.date = best(lambda x: x.kind == "date" and not x.filled)
    st.int = best(lambda x: x.kind == "int" and not x.filled)
    st.money = best(lambda x: x.kind == "money" and not x.filled)
    st.pct = best(lambda x: x.kind == "pct" and not x.filled)
    st.bold = best(lambda x: x.num_fmt == 0 and x.bold and not x.filled and x.size < 11.5)
    st.title = best(lambda x: x.num_fmt == 0 and x.bold and not x.filled and x.size >= 13)
    st.header = best(lambda x: x.num_fmt == 0 and x.bold and x.filled and not x.right)
    st.note = best(lambda x: x.num_fmt == 0 and x.italic and not x.bold and not x.filled)
    st.section = best(lambda x: x.num_fmt == 0 and x.bold and not x.filled
                      and 11.5 <= x.size < 13)
    st.header_num = best(lambda x: x.num_fmt == 0 and x.bold and x.filled and x.right)
    st.wrap = best(lambda x: x.num_fmt == 0 and x.wrap and not x.bold and not x.italic
                   and not x.filled and not x.bordered)
    return st


# The roles a plan written before the Report sheet was styled may lack, added on demand.
ADDABLE = ("section", "header_num", "wrap", "bold", "title", "header", "note")


def _font_xml(p: str, look: Look) -> str:
    parts = ["<b/>" if look.bold else "", "<i/>" if look.italic else "",
             f'<sz val="{look.size or 11:g}"/>',
             f'<color rgb="FF{look.color.lstrip("#").upper()}"/>' if look.color else "",
             '<name val="Calibri"/><family val="2"/><scheme val="minor"/>']
    return f"<{p}font>" + "".join(parts).replace("<", f"<{p}") + f"</{p}font>"


def _fill_xml(p: str, look: Look) -> str:
    assert look.fill
    rgb = "FF" + look.fill.lstrip("#").upper()
    return (f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{rgb}"/>'
            f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>')


def _border_xml(p: str) -> str:
    side = "".join(f'<{p}{s} style="thin"><{p}color indexed="64"/></{p}{s}>'
                   for s in ("left", "right", "top", "bottom"))
    return f"<{p}border>{side}<{p}diagonal/></{p}border>"


def _append(text: str, p: str, plural: str, singular: str, item: str
            ) -> tuple[str, int] | None:
    """`text` with `item` appended to its <plural> list, and the new item's index."""
    m = re.search(rf"<{re.escape(p)}{plural}\b([^>]*?)(/?)>", text)
    if m is None or m.group(2):
        return None
    close = text.find(f"</{p}{plural}>", m.end())
    if close < 0:
        return None
    count = len(re.findall(rf"<{re.escape(p)}{singular}\b", text[m.end():close]))
    attrs = re.sub(r'\scount="\d+"', "", m.group(1))
    head = f'<{p}{plural} count="{count + 1}"{attrs}>'
    return text[:m.start()] + head + text[m.end():close] + item + text[close:], count


def add_role_styles(styles_xml: bytes, st: Styles, looks: dict[str, Look]
                    ) -> bytes | None:
    """styles.xml with a cell style for each of ADDABLE's roles `st` lacks (their indexes
    set in `st`); None when nothing was added or the part is not one this code edits."""
    text = styles_xml.decode("utf-8")
    m = _CELL_XFS.search(text)
    if m is None or m.group(3):
        return None
    p = m.group(1)
    changed = False
    for role in ADDABLE:
        if getattr(st, role) is not None:
            continue
        look = looks[role]
        fonts = _append(text, p, "fonts", "font", _font_xml(p, look))
        if fonts is None:
            return None
        text, font_id = fonts
        fill_id = border_id = 0
        if look.fill:
            fills = _append(text, p, "fills", "fill", _fill_xml(p, look))
            if fills is None:
                return None
            text, fill_id = fills
        if look.border:
            borders = _append(text, p, "borders", "border", _border_xml(p))
            if borders is None:
                return None
            text, border_id = borders
        align = "".join(f' {k}="{v}"' for k, v in (
            ("horizontal", "right" if role == "header_num" else look.align),
            ("vertical", "top" if look.top else "center" if look.middle else None),
            ("wrapText", "1" if look.wrap else None)) if v)
        xf = (f'<{p}xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" '
              f'borderId="{border_id}" xfId="0" applyFont="1"'
              + (' applyFill="1"' if look.fill else "") + (' applyBorder="1"' if look.border
                                                         else "")
              + (f' applyAlignment="1"><{p}alignment{align}/></{p}xf>' if align else "/>"))
        xfs = _append(text, p, "cellXfs", "xf", xf)
        if xfs is None:
            return None
        text, index = xfs
        setattr(st, role, str(index))
        changed = True
    return text.encode("utf-8") if changed else None


_CELL_XFS = re.compile(r"<((?:[\w.-]+:)?)cellXfs\b([^>]*?)(/?)>")


def add_date_style(styles_xml: bytes) -> tuple[bytes, str] | None:
    """styles.xml with one more cell style, the built-in short date (numFmtId 14), and its
    index; None when the part has no cellXfs to add it to."""
    text = styles_xml.decode("utf-8")
    m = _CELL_XFS.search(text)
    if m is None or m.group(3):
        return None
    p = m.group(1)
    close = text.find(f"</{p}cellXfs>", m.end())
    if close < 0:
        return None
    count = len(re.findall(rf"<{re.escape(p)}xf\b", text[m.end():close]))
    xf = (f'<{p}xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
          f'applyNumberFormat="1"/>')
    attrs = re.sub(r'\scount="\d+"', "", m.group(2))
    start = f'<{p}cellXfs count="{count + 1}"{attrs}>'
    text = text[:m.start()] + start + text[m.end():close] + xf + text[close:]
    return text.encode("utf-8"), str(count)


