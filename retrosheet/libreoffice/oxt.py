"""`retrosheet libreoffice-extension`: the LibreOffice extension (.oxt) with the buttons.

The .oxt is a zip that LibreOffice installs as it is (double-click, Tools > Extension
Manager, or `unopkg add`):

    META-INF/manifest.xml        what the other files are
    description.xml              identifier, version, name
    Addons.xcu                   the Retrosheet menu and toolbar in Calc
    ProtocolHandler.xcu          vnd.retrosheet:* URLs go to our component
    retrosheet.components        the component, a Python one (passive registration)
    python/retrosheet_uno.py     the component (component.py)
    python/pythonpath/           retrosheet and its pure-Python dependencies

Dependencies are copied from the Python that runs this command (the installed
distributions' own files), never downloaded: building works offline and ships what was
tested. Only what the buttons import is carried (holidays and what it requires), and a
compiled file (.so, .pyd) stops the build: LibreOffice's Python on another system could
not load it.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .. import __version__
from ..errors import RetrosheetError, msg
from ..say import caption
from ..words import langs, t
from .names import COMMANDS, IDENTIFIER, IMPLEMENTATION, PROTOCOL, SERVICE

COMPONENT = "python/retrosheet_uno.py"
PYTHONPATH = "python/pythonpath"
RUNTIME = ("holidays",)  # what the core imports beyond the standard library
COMPILED = (".so", ".pyd", ".dll", ".dylib")
CONTEXT = "com.sun.star.sheet.SpreadsheetDocument"
_STAMP = (2024, 1, 1, 0, 0, 0)  # fixed times: the same sources give the same .oxt


@dataclass(frozen=True)
class Built:
    path: Path
    files: int
    size: int  # bytes
    packages: tuple[str, ...]  # the distributions carried, "name version"


def _requirement_names(dist: metadata.Distribution) -> list[str]:
    names = []
    for req in dist.requires or []:
        if "extra ==" in req.replace('"', " ").replace("'", " ") or "extra==" in req:
            continue
        m = re.match(r"\s*([A-Za-z0-9_.-]+)", req)
        if m:
            names.append(m.group(1))
    return names


def runtime_distributions() -> list[metadata.Distribution]:
    """holidays and everything it requires, as installed here."""
    seen: dict[str, metadata.Distribution] = {}
    todo = list(RUNTIME)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise RetrosheetError(msg("err.surface.oxt.not_installed", name=name)) from exc
        seen[key] = dist
        todo.extend(_requirement_names(dist))
    return [seen[k] for k in sorted(seen)]


def _skipped(rel: str) -> bool:
    return "__pycache__" in rel.split("/") or rel.endswith((".pyc", ".pyo"))


def _check_pure(rel: str, what: str) -> None:
    if rel.lower().endswith(COMPILED):
        raise RetrosheetError(msg("err.surface.oxt.compiled", what=what, file=rel))


def vendored_files() -> Iterator[tuple[str, Path]]:
    """(path inside the .oxt, file on disk) of everything under python/pythonpath/."""
    package = Path(__file__).resolve().parent.parent
    for f in sorted(package.rglob("*")):
        rel = f.relative_to(package.parent).as_posix()
        if f.is_file() and not _skipped(rel):
            _check_pure(rel, "retrosheet")
            yield f"{PYTHONPATH}/{rel}", f
    for dist in runtime_distributions():
        for p in sorted(dist.files or [], key=str):
            rel = p.as_posix() if hasattr(p, "as_posix") else str(p)
            if rel.startswith("..") or _skipped(rel):
                continue  # console scripts installed outside site-packages
            _check_pure(rel, dist.metadata["Name"])
            f = Path(str(dist.locate_file(p)))
            if f.is_file():
                yield f"{PYTHONPATH}/{rel}", f


def _lang_values(text: Callable[[str], str]) -> str:
    """A title in every language of the catalogue; English for an office in any other
    (`en-US` too: the language LibreOffice falls back to)."""
    return ("".join(f'<value xml:lang="{lang}">{escape(text(lang))}</value>'
                    for lang in langs())
            + f'<value xml:lang="en-US">{escape(text("en"))}</value>'
            + f"<value>{escape(text('en'))}</value>")


def _entry(node: str, command: str) -> str:
    return (f'<node oor:name="{node}" oor:op="replace">'
            f'<prop oor:name="URL" oor:type="xs:string"><value>{PROTOCOL}{command}</value>'
            "</prop>"
            '<prop oor:name="Title" oor:type="xs:string">'
            f"{_lang_values(lambda lang: caption(command, lang))}</prop>"
            '<prop oor:name="Target" oor:type="xs:string"><value>_self</value></prop>'
            f'<prop oor:name="Context" oor:type="xs:string"><value>{CONTEXT}</value></prop>'
            "</node>")


def addons_xcu() -> str:
    """The Retrosheet menu (between Tools and Window) and toolbar, in Calc only."""
    menu = "".join(_entry(f"m{i}", c) for i, c in enumerate(COMMANDS, start=1))
    bar = "".join(_entry(f"t{i}", c) for i, c in enumerate(COMMANDS, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="Addons" '
        'oor:package="org.openoffice.Office">\n<node oor:name="AddonUI">\n'
        '<node oor:name="OfficeMenuBar">'
        f'<node oor:name="{IDENTIFIER}.menu" oor:op="replace">'
        '<prop oor:name="Title" oor:type="xs:string"><value>Retrosheet</value></prop>'
        f'<prop oor:name="Context" oor:type="xs:string"><value>{CONTEXT}</value></prop>'
        f'<node oor:name="Submenu">{menu}</node></node></node>\n'
        '<node oor:name="OfficeToolBar">'
        f'<node oor:name="{IDENTIFIER}.toolbar" oor:op="replace">'
        '<prop oor:name="Title" oor:type="xs:string"><value>Retrosheet</value></prop>'
        f"{bar}</node></node>\n"
        "</node>\n</oor:component-data>\n")


def protocol_handler_xcu() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" oor:name="ProtocolHandler" '
        'oor:package="org.openoffice.Office">\n<node oor:name="HandlerSet">'
        f'<node oor:name="{IMPLEMENTATION}" oor:op="replace">'
        '<prop oor:name="Protocols" oor:type="oor:string-list">'
        f"<value>{PROTOCOL}*</value></prop></node></node>\n</oor:component-data>\n")


def components_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<components xmlns="http://openoffice.org/2010/uno-components">'
        f'<component loader="com.sun.star.loader.Python" uri="{COMPONENT}">'
        f'<implementation name="{IMPLEMENTATION}"><service name="{SERVICE}"/>'
        "</implementation></component></components>\n")


def manifest_xml() -> str:
    entries = (("application/vnd.sun.star.uno-components", "retrosheet.components"),
               ("application/vnd.sun.star.configuration-data", "ProtocolHandler.xcu"),
               ("application/vnd.sun.star.configuration-data", "Addons.xcu"))
    body = "".join(f'<manifest:file-entry manifest:media-type="{t}" '
                   f'manifest:full-path="{p}"/>' for t, p in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">'
            f"{body}</manifest:manifest>\n")


def description_xml() -> str:
    names = "".join(f'<name lang="{lang}">{escape(t("err.surface.extension", lang))}</name>'
                    for lang in langs())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<description xmlns="http://openoffice.org/extensions/description/2006" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<identifier value="{IDENTIFIER}"/><version value="{__version__}"/>'
        f"<display-name>{names}</display-name>"
        '<platform value="all"/></description>\n')


def build_oxt(dest: Path) -> Built:
    """Write the extension to `dest` (replaced if it exists, atomically)."""
    from ..xlsx.safe import atomic_path

    texts = {
        "META-INF/manifest.xml": manifest_xml(),
        "description.xml": description_xml(),
        "Addons.xcu": addons_xcu(),
        "ProtocolHandler.xcu": protocol_handler_xcu(),
        "retrosheet.components": components_xml(),
    }
    component = Path(__file__).with_name("component.py")
    files = list(vendored_files())
    with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in texts.items():
            z.writestr(zipfile.ZipInfo(name, _STAMP), text.encode("utf-8"),
                       zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo(COMPONENT, _STAMP), component.read_bytes(),
                   zipfile.ZIP_DEFLATED)
        for name, f in files:
            z.writestr(zipfile.ZipInfo(name, _STAMP), f.read_bytes(), zipfile.ZIP_DEFLATED)
    packages = tuple(f"{d.metadata['Name']} {d.version}" for d in runtime_distributions())
    return Built(dest, len(texts) + 1 + len(files), dest.stat().st_size, packages)
