"""Make an ISO/IEC 29500 Strict workbook from a normal (Transitional) one, for tests.

LibreOffice cannot save Strict files and Excel is not on a test machine, so the test
rewrites a real plan the way Excel's "Strict Open XML Spreadsheet" save does: every
Transitional namespace and relationship type becomes its Strict twin (the map below is
ISO/IEC 29500-1's, copied in docs/guarantees.md) and the workbook says
conformance="strict". Package-level names (content types, package relationships, core
properties) are the same in both, as ISO/IEC 29500-2 defines them once.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

TRANSITIONAL_TO_STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main":
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main":
        "http://purl.oclc.org/ooxml/drawingml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes":
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing":
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/chart":
        "http://purl.oclc.org/ooxml/drawingml/chart",
}


def make_strict(src: Path, dest: Path) -> int:
    """Write `dest`, a Strict copy of `src`; returns how many parts changed."""
    changed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                before = text
                # longest first: a relationship Type is the namespace plus a suffix
                for old, new in sorted(TRANSITIONAL_TO_STRICT.items(), key=lambda kv: -len(kv[0])):
                    text = text.replace(old, new)
                # Strict spells this relationship type in camel case.
                text = text.replace(
                    "http://purl.oclc.org/ooxml/officeDocument/relationships/extended-properties",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties")
                if info.filename == "xl/workbook.xml":
                    text = text.replace("<workbook ", '<workbook conformance="strict" ', 1)
                if text != before:
                    changed += 1
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return changed
