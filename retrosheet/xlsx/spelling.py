"""Which XML spellings of a sheet part the text-level editor reads, and the respelling of
the others.

XML lets one sheet be written many ways: either quote around attributes, any prefix for
the spreadsheet namespace, whitespace inside tags, character references in attributes,
CDATA sections, comments, rows and cells without their `r` reference. The editor
(`sheetxml.SheetXml`) works on the bytes of the usual spelling, the one Excel,
LibreOffice, openpyxl and XlsxWriter write: `plain` says in one pass whether a part is
written that way. Any other part is parsed by a real XML parser and written again in the
usual spelling (`respell`): same cells, same values. What cannot be respelled is refused.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import Msg, WorkbookError, msg
from ..values import column_letter

_NAME = rb"[A-Za-z_][\w.-]*+"
# Inside sheetData: every tag in the usual spelling (one space before each double-quoted
# attribute, no reference or ">" in a value, no namespace declaration), and every row and
# cell with its reference first.
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b")
# Before and after sheetData: any prefix, references allowed in values (not read there
# but for ranges and styles, which never hold one).
_LOOSE = re.compile(rb'<(?!/[\w.:-]++>|[A-Za-z_][\w.:-]*+(?:\s++[\w:.-]++="[^"<>]*+")*+\s*+/?>)')
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_STRICT: dict[bytes, re.Pattern[bytes]] = {}
# A reference to a character XML forbids (NUL, most control characters): a damaged part.
_FORBIDDEN_REF = re.compile(
    rb"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])|x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));")


def _strict(prefix: bytes) -> re.Pattern[bytes]:
    if prefix not in _STRICT:
        p = re.escape(prefix)
        attrs = rb'(?: [\w:.-]++="[^"<>&]*+")*+'
        _STRICT[prefix] = re.compile(
            rb"<(?!/" + p + _NAME + rb">|" + p
            + rb'(?:c r="[A-Z]{1,3}[0-9]{1,7}"|v|f|row r="[0-9]{1,7}"|(?!c[ />]|row[ />])'
            + _NAME + rb")" + attrs + rb"/?>)")
    return _STRICT[prefix]


def plain(data: bytes) -> Msg | None:
    """None when the part is in the usual spelling, else what is unusual in it."""
    start = 0
    decl = _DECLARATION.match(data)
    if decl:
        start = decl.end()
    m = _SHEET_DATA.search(data, start)
    if m is None:
        return None if _LOOSE.search(data, start) is None else msg("err.read.why_tags")
    open_end = data.find(b">", m.end())
    prefix = m.group(1)
    close = data.rfind(b"</" + prefix + b"sheetData>")
    if data[open_end - 1: open_end] == b"/" or close < 0:
        close = open_end + 1
    if _LOOSE.search(data, start, m.start()) or _LOOSE.search(data, close):
        return msg("err.read.why_tags")
    if data.find(b"xmlns", open_end, close) >= 0:
        return msg("err.read.why_namespace")
    bad = _strict(prefix).search(data, open_end + 1, close)
    if bad is not None:
        return msg("err.read.why_spelling", what=repr(data[bad.start(): bad.start() + 40]))
    return None


def _key(el: etree._Element) -> str:
    return etree.QName(el).localname


def _refs(sheet_data: etree._Element, name: str | Msg) -> None:
    """Each row and cell given its reference, first among its attributes (a row or cell
    without one follows the previous), as Excel reads them."""
    row_num = 0
    for row in sheet_data:
        if not isinstance(row.tag, str) or _key(row) != "row":
            continue
        r = row.get("r")
        row_num = int(r) if r and r.isdigit() else row_num + 1
        if r is not None and not r.isdigit():
            raise WorkbookError(msg("err.read.bad_row_ref", part=name, ref=repr(r)))
        _first(row, "r", str(row_num))
        col = -1
        for c in row:
            if not isinstance(c.tag, str) or _key(c) != "c":
                continue
            ref = c.get("r")
            if ref is None:
                col += 1
            else:
                m = re.fullmatch(r"([A-Za-z]{1,3})([0-9]+)", ref)
                if m is None or int(m.group(2)) != row_num:
                    raise WorkbookError(msg("err.read.bad_cell_ref", part=name, ref=repr(ref),
                                            row=row_num))
                col = 0
                for ch in m.group(1).upper():
                    col = col * 26 + ord(ch) - 64
                col -= 1
            _first(c, "r", f"{column_letter(col)}{row_num}")


def _first(el: etree._Element, attr: str, value: str) -> None:
    rest = [(k, v) for k, v in el.attrib.items() if k != attr]
    el.attrib.clear()
    el.set(attr, value)
    for k, v in rest:
        el.set(k, v)


def _rebuilt(el: etree._Element, parent: etree._Element) -> etree._Element:
    """`el` copied under `parent`: the copy takes the prefixes in force there, so local
    namespace declarations inside the cells disappear."""
    new = etree.SubElement(parent, el.tag, attrib={str(k): str(v) for k, v in el.attrib.items()})
    new.text = el.text
    new.tail = el.tail
    for child in el:
        if isinstance(child.tag, str):
            _rebuilt(child, new)
    return new


def respell(data: bytes, name: str | Msg) -> bytes:
    """The part in the usual spelling, same content; refused when it cannot be."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise WorkbookError(msg("err.read.doctype", part=name))
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True, remove_comments=True,
                             remove_pis=True, strip_cdata=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(msg("err.read.bad_xml", part=name, reason=str(exc))) from exc
    ns = etree.QName(root).namespace
    sheet_data = root.find(f"{{{ns}}}sheetData") if ns else root.find("sheetData")
    if sheet_data is not None:
        _refs(sheet_data, name)
        new = _rebuilt(sheet_data, root)  # made at the end, in the root's scope
        sheet_data.addprevious(new)
        root.remove(sheet_data)
    out: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                                standalone=True)
    why = plain(out)
    if why is not None:
        raise WorkbookError(msg("err.read.unsafe_xml", part=name, why=why))
    return out


def usual(data: bytes, name: str | Msg) -> tuple[bytes, bool]:
    """The part in the usual spelling, and whether it had to be respelled."""
    bad = _FORBIDDEN_REF.search(data)
    if bad is not None:
        raise WorkbookError(msg("err.read.bad_char", part=name, ref=bad.group(0).decode()))
    if plain(data) is None:
        return data, False
    return respell(data, name), True
