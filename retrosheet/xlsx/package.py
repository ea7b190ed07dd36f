"""An .xlsx/.xlsm file as a zip of parts: find a sheet's part, replace parts, copy the rest.

A rewrite replaces only the parts retrosheet changes and copies every other part's bytes
as they were, so nothing retrosheet does not own (images, VBA, controls, charts,
cached values) can be lost on the way.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from lxml import etree

from ..errors import WorkbookError
from .safe import atomic_path

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TABLE = NS_REL + "/table"

Writer = Callable[[IO[bytes]], None]


def _xml(data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(f"{what} is damaged: {exc}") from exc


class Package:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as z:
                self.infos = z.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise WorkbookError(f"{path.name} is not a readable .xlsx/.xlsm file: {exc}") from exc
        self._names = {i.filename for i in self.infos}
        if "xl/workbook.xml" not in self._names:
            raise WorkbookError(f"{path.name} is not an .xlsx/.xlsm workbook (no xl/workbook.xml)")
        self.sheets = self._sheet_parts()

    def read(self, part: str) -> bytes:
        """A part's bytes, read when asked: a big sheet is not held twice."""
        try:
            with zipfile.ZipFile(self.path) as z:
                return z.read(part)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
            raise WorkbookError(f"{self.path.name}: part {part} cannot be read: {exc}") from exc

    def has(self, part: str) -> bool:
        return part in self._names

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: id → (type, target part path)."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        if rels_part not in self._names:
            return {}
        root = _xml(self.read(rels_part), rels_part)
        out = {}
        for rel in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target)))
            out[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return out

    def _sheet_parts(self) -> dict[str, str]:
        wb = _xml(self.read("xl/workbook.xml"), "xl/workbook.xml")
        rels = self.rels("xl/workbook.xml")
        out = {}
        for sheet in wb.iter(f"{{{NS_MAIN}}}sheet"):
            rid = sheet.get(f"{{{NS_REL}}}id", "")
            if rid in rels:
                out[sheet.get("name", "")] = rels[rid][1]
        return out

    def tables_of(self, sheet_part: str) -> list[str]:
        return [p for t, p in self.rels(sheet_part).values() if t == REL_TABLE]

    def save(self, replaced: Mapping[str, bytes | Writer], dest: Path | None = None) -> None:
        """Write the package with `replaced` parts, atomically, every other part as it was.

        A replacement is the part's bytes or a function that writes them to a stream.
        """
        target = dest or self.path
        with (atomic_path(target) as tmp, zipfile.ZipFile(self.path) as src,
              zipfile.ZipFile(tmp, "w") as out):
            for info in self.infos:
                new = replaced.get(info.filename)
                if new is None:
                    out.writestr(info, src.read(info), compress_type=info.compress_type)
                elif isinstance(new, bytes):
                    out.writestr(info, new, compress_type=info.compress_type)
                else:
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    with out.open(copy, "w", force_zip64=True) as stream:
                        new(stream)


def save_with_parts(pkg: Package, replaced: dict[str, bytes | Writer],
                    added: dict[str, bytes], dest: Path | None = None) -> None:
    """Package.save, plus parts the package did not have (appended at the end)."""
    if not added:
        pkg.save(replaced, dest)
        return
    stamp = pkg.infos[0].date_time if pkg.infos else (1980, 1, 1, 0, 0, 0)
    with atomic_path(dest or pkg.path) as tmp:
        pkg.save(replaced, tmp)
        with zipfile.ZipFile(tmp, "a") as z:
            for name, data in added.items():
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
