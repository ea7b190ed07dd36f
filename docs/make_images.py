#!/usr/bin/env python3
"""Render every picture the README and docs/*.md show, from today's code.

    python3 docs/make_images.py                 # rewrites docs/img/*.png
    python3 docs/make_images.py --out DIR       # writes them in DIR instead
    python3 docs/make_images.py --no-toolbar    # all but the LibreOffice window

The worked example (examples/make_examples.py: "Nuit blanche", a single out on Friday
14 May 2027, its first weekly report on 29 April, J-15) is built again in a temporary
folder and taken one week further, as the team would: on Thursday 6 May (J-8) they type
what changed (the clip delivered, more pre-saves and plays…), run `recompute` and
`report --write-sheet` again. So the Dashboard and the report show each indicator's change
over 7 days, read from the first report's History rows. Pictures:

- planning.png, dashboard.png, report-sheet.png: the Planning, Tableau de bord and Rapport
  sheets as LibreOffice draws them after recalculating (one page per sheet), with its clock
  set to 6 May 2027 (libfaketime: TODAY() is the report's day) and French number formats;
  of the Planning, its header over the rows around this week, ID to Notes;
- planning-print.png: the first printed page of the Planning (A4 landscape, page setup as
  the workbook holds it);
- report-desktop.png, report-phone.png: `report --format html` in Chromium at 1280 and
  390 pixels wide (the top of the page);
- libreoffice-toolbar.png: docs/img/libreoffice_toolbar.py (Calc under Xvfb).

Each PNG is reduced to a palette of 128 colours (Pillow) to stay small. Needs LibreOffice,
poppler-utils, Chromium, faketime, Xvfb and Pillow (the `test` extra); tests never write
these files: run this script and look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "examples")]

import make_examples as ex  # noqa: E402  (examples/make_examples.py)
from libreoffice import render_png, to_pdf  # noqa: E402  (tests/libreoffice.py)

from retrosheet.labels import Status  # noqa: E402

WEEK_LATER = "2027-05-06"  # Thursday, J-8: the second weekly report
FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
# What the team typed between 29 April and 6 May.
STATUS = {"T260": Status.DONE.fr, "T300": Status.DONE.fr, "T330": Status.DONE.fr,
          "T340": Status.DONE.fr, "T360": Status.DONE.fr, "T450": Status.IN_PROGRESS.fr,
          "T350": Status.IN_PROGRESS.fr}
RESULT = {"T140": 4, "T210": 11, "T240": 118, "T250": 7100, "T270": 3900, "T340": 3,
          "T380": 80}
SHEETS = {"planning.png": "Planning", "dashboard.png": "Tableau de bord",
          "report-sheet.png": "Rapport"}
PAGES = {"report-desktop.png": (1280, 1500), "report-phone.png": (390, 1700)}


def build(tmp: Path) -> tuple[Path, Path]:
    """The example's workbook and HTML report one week on."""
    ex.build(tmp)
    plan = tmp / ex.PLAN
    ex.fill_in(plan, STATUS, RESULT)
    ex.retrosheet("recompute", plan, "--today", WEEK_LATER)
    ex.retrosheet("report", plan, "--as-of", WEEK_LATER, "--today", WEEK_LATER,
                  "--write-sheet")
    html = tmp / "rapport.html"
    ex.retrosheet("report", plan, "--as-of", WEEK_LATER, "--today", WEEK_LATER,
                  "--format", "html", "-o", html)
    return plan, html


def office_at(day: str) -> None:
    """LibreOffice started from here on sees `day` as today and formats numbers as a
    French user's does (1 500 €)."""
    if not Path(FAKETIME).exists():
        sys.exit("libfaketime is missing (Debian package faketime)")
    os.environ.update(LD_PRELOAD=FAKETIME, FAKETIME=f"@{day} 10:00:00",
                      LC_ALL="fr_FR.UTF-8", LANGUAGE="fr")


def shoot_html(html: Path, png: Path, width: int, height: int) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium is missing (Debian package chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
                        f"--window-size={width},{height}", f"--screenshot={png}",
                        html.as_uri()], check=True, capture_output=True, timeout=180)


def first_page(pdf: Path, png: Path) -> None:
    stem = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True)


def planning_band(src: Path, dest: Path) -> None:
    """The whole Planning is 3 000 pixels wide: its header row over the rows of this week
    and last (late in red, due in yellow), from ID to the start of Notes."""
    from PIL import Image

    with Image.open(src) as im:
        rgb = im.convert("RGB")
        width, height = rgb.size
        grey = rgb.convert("L")  # the header ends at the first mostly white line
        header = next(y for y in range(height)
                      if sum(grey.crop((0, y, width, y + 1)).tobytes()) > 200 * width)
        top, bottom = int(height * 0.44), int(height * 0.74)
        right = min(width, 2250)
        out = Image.new("RGB", (right, header + bottom - top), "white")
        out.paste(rgb.crop((0, 0, right, header)), (0, 0))
        out.paste(rgb.crop((0, top, right, bottom)), (0, header))
        out.save(dest)


def small(src: Path, dest: Path) -> None:
    """A palette PNG: a tenth of the size of LibreOffice's, the text as sharp."""
    from PIL import Image

    with Image.open(src) as im:
        im.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE).save(
            dest, optimize=True)
    print(f"{dest}  {dest.stat().st_size // 1024} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--no-toolbar", action="store_true",
                        help="skip the LibreOffice window (Xvfb, a minute)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="retrosheet-img-") as tmp:
        t = Path(tmp)
        plan, html = build(t / "example")
        for name, (width, height) in PAGES.items():
            shoot_html(html, t / name, width, height)
            small(t / name, args.out / name)
        office_at(WEEK_LATER)
        for name, sheet in SHEETS.items():
            png = render_png(plan, t / "png", sheet)
            if name == "planning.png":
                planning_band(png, png)
            small(png, args.out / name)
        pdf = to_pdf(plan, t / "pdf")
        first_page(pdf, t / "planning-print.png")
        small(t / "planning-print.png", args.out / "planning-print.png")
        if not args.no_toolbar:
            for key in ("LD_PRELOAD", "FAKETIME", "LC_ALL", "LANGUAGE"):
                os.environ.pop(key)
            shot = t / "libreoffice-toolbar.png"
            subprocess.run([sys.executable, str(ROOT / "docs/img/libreoffice_toolbar.py"),
                            str(shot)], check=True)
            small(shot, args.out / "libreoffice-toolbar.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
