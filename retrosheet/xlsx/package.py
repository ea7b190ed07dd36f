"""An .xlsx/.xlsm file as a zip of parts: find a sheet's part, replace parts, copy the rest.

A rewrite replaces only the parts retrosheet changes and copies every other part's bytes
as they were, so nothing retrosheet does not own (images, VBA, controls, charts,
cached values) can be lost on the way.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import WorkbookError, msg
from .safe import atomic_path
from .spelling import usual

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TABLE = NS_REL + "/table"
REL_SHARED_STRINGS = NS_REL + "/sharedStrings"
# ISO/IEC 29500 Strict names the same parts in other namespaces (docs/guarantees.md).
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
Writer = Callable[[IO[bytes]], None]

if TYPE_CHECKING:
    from lxml import etree


def _xml(data: bytes, what: str) -> etree._Element:
    from lxml import etree  # imported when a file is read: Pyodide has no lxml wheel

    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(msg("err.read.damaged", part=what, reason=str(exc))) from exc


class Package:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as z:
                self.infos = z.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise WorkbookError(msg("err.read.bad_zip", name=path.name, reason=str(exc))) from exc
        self._names = {i.filename for i in self.infos}
        if "xl/workbook.xml" not in self._names:
            raise WorkbookError(msg("err.read.no_workbook_part", name=path.name))
        self.sheets = self._sheet_parts()
        self.shared_strings = next((p for t, p in self.rels("xl/workbook.xml").values()
                                    if t == REL_SHARED_STRINGS and p in self._names), None)
        self._usual: dict[str, bytes] = {}  # respelled parts: the file does not hold them
        self._plain: set[str] = set()  # parts found in the usual spelling: read again
        self.respelled: set[str] = set()  # parts read in another XML spelling
        self._facts: dict[tuple[str, str], bool] = {}

    def usual(self, part: str) -> bytes:
        """A sheet or shared-strings part in the usual XML spelling (respelled when it is
        written otherwise). A part already in that spelling is not kept: it is read again
        from the file when asked again (a 100,000-row sheet is 120 MB of XML, which would
        otherwise sit beside calamine's own copy of its cells)."""
        if part in self._usual:
            return self._usual[part]
        if part in self._plain:
            return self._read_again(part)
        names = {p: n for n, p in self.sheets.items()}
        what = (msg("err.read.sheet_of", name=self.path.name, sheet=repr(names[part]))
                if part in names else f"{self.path.name}: {part}")
        data, respelled = usual(self.read(part), what)
        if respelled:
            self.respelled.add(part)
            self._usual[part] = data
        else:
            self._plain.add(part)
        return data

    def usual_pieces(self, part: str, size: int = 1 << 20) -> Iterator[bytes]:
        """`usual(part)` in pieces of `size` bytes for a reader that needs no more: a part
        in the usual spelling is streamed from the file (checked to be the same bytes at
        its end), never held whole."""
        if part not in self._plain:
            yield self.usual(part)
            return
        crc = 0
        try:
            with zipfile.ZipFile(self.path) as z, z.open(part) as stream:
                while piece := stream.read(size):
                    crc = zlib.crc32(piece, crc)
                    yield piece
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
            raise WorkbookError(msg("err.read.bad_part", name=self.path.name, part=part,
                                    reason=str(exc))) from exc
        if crc != next((i.CRC for i in self.infos if i.filename == part), crc):
            raise WorkbookError(msg("err.read.changed_meanwhile", name=self.path.name))

    def _read_again(self, part: str) -> bytes:
        """A part read again: the same bytes as when the file was opened, or a refusal."""
        data = self.read(part)
        crc = next((i.CRC for i in self.infos if i.filename == part), None)
        if crc is not None and zlib.crc32(data) != crc:
            raise WorkbookError(msg("err.read.changed_meanwhile", name=self.path.name))
        return data

    def fact(self, part: str, name: str, compute: Callable[[], bool]) -> bool:
        """Something learnt once about a part (whether it is sparse)."""
        key = (part, name)
        if key not in self._facts:
            self._facts[key] = compute()
        return self._facts[key]

    def respelled_copy(self) -> bytes:
        """The whole package, its respelled parts in the usual spelling (for a reader
        that knows only that one)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(self.path) as src, zipfile.ZipFile(buf, "w") as out:
            for info in self.infos:
                data = self._usual[info.filename] if info.filename in self.respelled \
                    else src.read(info)
                out.writestr(info.filename, data)  # stored: read once, at once
        return buf.getvalue()

    def _refuse_strict(self, wb: etree._Element) -> None:
        """A Strict workbook's parts are in other namespaces: writing Transitional cells
        into it would make a mixed file no spreadsheet reads. Say how to convert it."""
        if isinstance(wb.tag, str) and wb.tag.startswith(f"{{{NS_STRICT_MAIN}}}"):
            raise WorkbookError(msg("err.read.strict", name=self.path.name))

    def read(self, part: str) -> bytes:
        """A part's bytes, read when asked: a big sheet is not held twice."""
        try:
            with zipfile.ZipFile(self.path) as z:
                return z.read(part)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
            raise WorkbookError(msg("err.read.bad_part", name=self.path.name, part=part,
                                    reason=str(exc))) from exc

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
        self._refuse_strict(wb)
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


class PartEdits:
    """The parts a conversion replaces or adds (for `save_with_parts`), and the text of a
    part as the conversion has made it so far."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.replaced: dict[str, bytes | Writer] = {}
        self.added: dict[str, bytes] = {}

    def text(self, part: str) -> str:
        data = self.replaced.get(part)
        return data.decode("utf-8") if isinstance(data, bytes) else \
            self.pkg.read(part).decode("utf-8")


def save_with_parts(pkg: Package, replaced: dict[str, bytes | Writer],
                    added: dict[str, bytes], dest: Path | None = None) -> None:
    """Package.save, plus parts the package did not have (appended at the end); a file
    that cannot be written is a WorkbookError naming it (the original stays as it was)."""
    target = dest or pkg.path
    try:
        if not added:
            pkg.save(replaced, dest)
            return
        stamp = pkg.infos[0].date_time if pkg.infos else (1980, 1, 1, 0, 0, 0)
        with atomic_path(target) as tmp:
            pkg.save(replaced, tmp)
            with zipfile.ZipFile(tmp, "a") as z:
                for name, data in added.items():
                    info = zipfile.ZipInfo(name, stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, data)
    except OSError as exc:
        raise WorkbookError(msg("err.read.cannot_write", name=target.name,
                                reason=str(exc))) from exc
