#!/usr/bin/env python3
"""Render the README's pictures (docs/img/planning.png, docs/img/dashboard.png).

    python3 docs/make_images.py            # rewrites docs/img/*.png
    python3 docs/make_images.py --out DIR  # writes them in DIR instead

The worked example (examples/nuit-blanche.xlsx: a single halfway through its campaign,
at J-15) is written again as a new workbook with its release moved to 15 days after the
day the script runs: LibreOffice computes TODAY() from its own clock, so the Dashboard's
late and due figures are those of J-15. LibreOffice draws each sheet on one page. Needs
LibreOffice and poppler-utils (pdftoppm). Tests never write these files: run this
script and review the pictures before committing them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from libreoffice import render_png  # noqa: E402  (tests/libreoffice.py)

from retrosheet.effective import effective  # noqa: E402
from retrosheet.labels import sheet_name  # noqa: E402
from retrosheet.xlsx.create import write_new  # noqa: E402
from retrosheet.xlsx.read import read_plan  # noqa: E402

EXAMPLE = ROOT / "examples" / "nuit-blanche.xlsx"
DAYS_BEFORE_RELEASE = 15  # the example's report is at J-15
PICTURES = {"planning": "planning.png", "dashboard": "dashboard.png"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    plan = read_plan(EXAMPLE)
    today = dt.date.today()
    plan.settings = dataclasses.replace(
        plan.settings, release=today + dt.timedelta(days=DAYS_BEFORE_RELEASE))
    eff = effective(plan)
    with tempfile.TemporaryDirectory(prefix="retrosheet-img-") as tmp:
        book = Path(tmp) / "nuit-blanche.xlsx"
        write_new(eff.plan, eff.dates, book, today)
        args.out.mkdir(parents=True, exist_ok=True)
        for key, name in PICTURES.items():
            png = render_png(book, Path(tmp) / "png", sheet_name(key, eff.plan.settings.lang))
            shutil.copyfile(png, args.out / name)
            print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
