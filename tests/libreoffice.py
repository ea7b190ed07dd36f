"""LibreOffice as the real spreadsheet in tests: recalculate a workbook, picture a sheet.

Every soffice process gets its own fresh profile (a temporary directory) whose
registrymodifications.xcu sets OOXMLRecalcMode to 0 ("always recalculate"), so a file's
cached values are never trusted. soffice exits 0 even when a file failed to load: each
function checks that its output exists.

Convention: tests that use this module carry the `libreoffice` marker (declared in
pyproject.toml; `pytest -m "not libreoffice"` leaves them out) and `requires_soffice`,
which skips them when `soffice` is not on PATH:

    pytestmark = [pytest.mark.libreoffice, requires_soffice]
"""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from office_env import office_env

TIMEOUT = 180  # seconds for one soffice run (a batch of files shares one run)

requires_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


@contextmanager
def _profile(recalculate: bool = True) -> Iterator[Path]:
    """A fresh LibreOffice user profile that always recalculates on load (or, with
    `recalculate` False, shows the values cached in the file)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        user = Path(tmp) / "user"
        user.mkdir()
        # OOXMLRecalcMode 0: always recalculate; 1: never (show the cached values)
        xcu = _XCU if recalculate else _XCU.replace("<value>0</value>", "<value>1</value>")
        (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
        yield Path(tmp)


def _convert(srcs: Sequence[Path], out_dir: Path, target: str, *,
             recalculate: bool = True) -> str:
    """One soffice process converting `srcs` into `out_dir` with --convert-to `target`.

    Returns what soffice printed (it exits 0 even when a file failed to load). LibreOffice
    7.4 sometimes aborts at start-up (std::bad_alloc in its Python loader, whatever the
    file, on a loaded machine): such a crash is retried with a fresh profile, twice.
    """
    for _ in range(3):
        said = _convert_once(srcs, out_dir, target, recalculate)
        if said is not None:
            return said
    raise AssertionError(f"soffice aborted three times converting {[s.name for s in srcs]}")


def _convert_once(srcs: Sequence[Path], out_dir: Path, target: str,
                  recalculate: bool) -> str | None:
    with _profile(recalculate) as profile:
        cmd = [
            soffice(), "--headless", "--norestore", "--nologo", "--nodefault",
            "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", target, "--outdir", str(out_dir), *map(str, srcs),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False, env=office_env())
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"soffice timed out after {TIMEOUT} s: {cmd}") from exc
    if done.returncode == 134 and "bad_alloc" in done.stderr:
        return None
    if done.returncode != 0:
        raise AssertionError(f"soffice failed ({done.returncode}): {done.stderr or done.stdout}")
    return (done.stdout + done.stderr).strip()


def recalc_many(srcs: Sequence[Path], out_dir: Path) -> list[Path]:
    """Each workbook opened, recalculated and saved as .xlsx by one LibreOffice process.

    Returns the outputs in the order of `srcs`, each at `out_dir / src.name`. The sources
    must have distinct names and must not sit in `out_dir` (soffice would overwrite them).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [s.name for s in srcs]
    if len(set(names)) != len(names):
        raise ValueError(f"recalc_many needs distinct file names: {names}")
    outs = [out_dir / s.name for s in srcs]
    for src, out in zip(srcs, outs, strict=True):
        if out.resolve() == src.resolve():
            raise ValueError(f"{src} is already in {out_dir}: choose another output folder")
        out.unlink(missing_ok=True)
    said = _convert(srcs, out_dir, "xlsx:Calc MS Excel 2007 XML")
    missing = [str(o) for o in outs if not o.exists() or o.stat().st_size == 0]
    if missing:
        raise AssertionError(f"soffice wrote no file for {missing}: {said}")
    return outs


def to_pdf(src: Path, out_dir: Path) -> Path:
    """`src` printed to PDF by LibreOffice with the workbook's own page setup."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{src.stem}.pdf"
    pdf.unlink(missing_ok=True)
    said = _convert([src], out_dir, "pdf:calc_pdf_Export")
    if not pdf.exists():
        raise AssertionError(f"soffice wrote no PDF for {src.name}: {said}")
    return pdf


def recalc(src: Path, out_dir: Path) -> Path:
    """`src` opened in LibreOffice, every formula recalculated, saved as .xlsx in `out_dir`."""
    return recalc_many([src], out_dir)[0]


def sheet_first(src: Path, dst: Path, sheet: str, *, keep_cached: bool = False) -> Path:
    """A copy of `src` where `sheet` comes first and is the active sheet.

    Only xl/workbook.xml changes (the order of <sheet> entries, sheet-local defined
    names' indexes, the active tab) and the sheets lose their manual page breaks; every
    other part is copied byte for byte, so formulas, charts and formats are as in `src`
    (formulas name sheets, not positions).
    """
    with zipfile.ZipFile(src) as zin:
        xml = zin.read("xl/workbook.xml").decode("utf-8")
        block = re.search(r"<sheets>(.*?)</sheets>", xml, re.DOTALL)
        if block is None:
            raise ValueError(f"{src.name}: no <sheets> in xl/workbook.xml")
        tags = re.findall(r"<sheet\b[^>]*?/>", block[1])
        names = [html.unescape(m[1]) for t in tags if (m := re.search(r'\bname="([^"]*)"', t))]
        if sheet not in names:
            raise ValueError(f"{src.name} has no sheet {sheet!r} (sheets: {names})")
        index = names.index(sheet)
        order = [index] + [i for i in range(len(tags)) if i != index]
        new_index = {old: new for new, old in enumerate(order)}
        xml = xml.replace(block[0], "<sheets>" + "".join(tags[i] for i in order) + "</sheets>")
        xml = re.sub(r'localSheetId="(\d+)"',
                     lambda m: f'localSheetId="{new_index[int(m[1])]}"', xml)
        if keep_cached:  # XlsxWriter asks for a full recalculation on load
            xml = xml.replace(' fullCalcOnLoad="1"', "")
        view = re.search(r"<workbookView\b[^>]*?/?>", xml)
        if view:
            tag = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", view[0])
            end = "/>" if tag.endswith("/>") else ">"
            xml = xml.replace(view[0], tag[: -len(end)].rstrip() + f' activeTab="0"{end}', 1)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    data = xml.encode("utf-8")
                elif item.filename.startswith("xl/worksheets/sheet"):
                    # Manual page breaks make LibreOffice 7.4 crash in a one-page export.
                    data = re.sub(rb"<(colBreaks|rowBreaks)\b.*?</\1>", b"", data,
                                  flags=re.DOTALL)
                zout.writestr(item, data)
    return dst


def render_png(src: Path, out_dir: Path, sheet: str, dpi: int = 80, *,
               recalculate: bool = True) -> Path:
    """A picture of one sheet: LibreOffice → PDF (the whole sheet on one page) → PNG.

    Returns `out_dir / f"{src.stem}-{sheet}.png"` (spaces in the sheet name become `-`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^\w.-]+", "-", f"{src.stem}-{sheet}").strip("-")
    with tempfile.TemporaryDirectory(prefix="lo-render-") as tmp:
        one = sheet_first(src, Path(tmp) / f"{slug}.xlsx", sheet, keep_cached=not recalculate)
        pdf_filter = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
        said = _convert([one], Path(tmp), pdf_filter, recalculate=recalculate)
        pdf = Path(tmp) / f"{slug}.pdf"
        if not pdf.exists():
            raise AssertionError(f"soffice wrote no PDF for {src.name} / {sheet}: "
                                 f"{said}")
        shutil.copyfile(pdf, out_dir / pdf.name)
        if shutil.which("pdftoppm") is None:
            pytest.skip("pdftoppm (poppler-utils) is not installed")
        stem = out_dir / slug
        cmd = ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
               str(pdf), str(stem)]
        subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=True)
    png = stem.with_suffix(".png")
    if not png.exists():
        raise AssertionError(f"pdftoppm wrote no PNG for {pdf.name}")
    return png


def png_size(png: Path) -> tuple[int, int]:
    """Width and height from the PNG header."""
    data = png.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{png} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ink_ratio(png: Path) -> float:
    """Share of pixels that are not near-white (0.0 for a blank page).

    Uses Pillow when installed, otherwise decodes the PNG itself (8-bit grey or RGB(A),
    not interlaced: what pdftoppm writes).
    """
    try:
        from PIL import Image  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return _ink_ratio_plain(png)
    with Image.open(png) as img:
        grey = img.convert("L")
        hist = grey.histogram()
    total = sum(hist)
    return sum(hist[:240]) / total if total else 0.0


def _ink_ratio_plain(png: Path) -> float:
    data = png.read_bytes()
    pos, idat = 8, b""
    width = height = depth = color = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{png}: unsupported PNG (depth {depth}, colour type {color})")
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    inked = 0
    colours = min(channels, 3)
    for y in range(height):
        start = y * (stride + 1)
        method = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if method == 1:
                line[x] = (line[x] + a) & 0xFF
            elif method == 2:
                line[x] = (line[x] + b) & 0xFF
            elif method == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif method == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        for x in range(0, stride, channels):
            if min(line[x:x + colours]) < 240:
                inked += 1
        prev = line
    return inked / (width * height) if width and height else 0.0


def shared_lock() -> IO[bytes]:
    """Held while the retrosheet extension is installed shared (as root): runs on one
    machine (tests, benchmarks, screenshots) install and remove the same extension in the
    same LibreOffice, so they take turns. Closing the file releases it."""
    import fcntl

    lock = open(Path(tempfile.gettempdir()) / "retrosheet-unopkg-shared.lock", "wb")  # noqa: SIM115
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock
