#!/usr/bin/env python3
"""Build the worked example: a single's campaign halfway through, and its weekly report.

    python3 examples/make_examples.py            # rewrites the files beside this script
    python3 examples/make_examples.py --out DIR  # writes them in DIR instead

What it does, as a team would:

1. `retrosheet new single` for "Nuit blanche" by Lune Rousse, out on Friday 14 May 2027
   (the plan is made on 1 March 2027);
2. types what the team did by Thursday 29 April 2027 (J-15): names and e-mails of the team
   in Paramètres, each task's owner, statuses (done, in progress, blocked, late), results
   and spend, and twelve press, radio and playlist contacts with their replies;
3. `retrosheet recompute` (contacts' follow-up dates, counts on the follow-up rows);
4. `retrosheet report --as-of 2027-04-29` in every format, and `--write-sheet` so the
   workbook's Rapport and Historique sheets hold it too.

Everything is fixed (dates, names, the workbook's creation time), so running it twice
gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from retrosheet.cli import cli
from retrosheet.labels import Reply, Status
from retrosheet.updates import CellUpdate
from retrosheet.values import to_serial
from retrosheet.xlsx.package import Package, Writer
from retrosheet.xlsx.read import load_plan
from retrosheet.xlsx.report_sheet import AppendSheet

HERE = Path(__file__).resolve().parent
PLAN = "nuit-blanche.xlsx"
RELEASE = "2027-05-14"
CREATED = "2027-03-01"
AS_OF = "2027-04-29"
REPORTS = {"text": "rapport.txt", "md": "rapport.md", "html": "rapport.html",
           "json": "rapport.json"}

# The template's roles, and who holds them.
TEAM: dict[str, tuple[str, str]] = {
    "Manager": ("Camille Roux", "camille@lune-rousse.example"),
    "Artiste": ("Inès Marchand", "ines@lune-rousse.example"),
    "Attaché·e de presse": ("Hugo Lambert", "hugo@bureau-lambert.example"),
    "Label": ("Sarah Benali", "sarah@maison-ardente.example"),
    "Réalisateur·rice": ("Yanis Caron", "yanis@caron-films.example"),
    "Community manager": ("Léa Fontaine", "lea@lune-rousse.example"),
    "Promo radio": ("Bastien Morel", "bastien@ondes-promo.example"),
    "Distributeur": ("Nora Petit", "nora@distrib-sud.example"),
    "Tourneur": ("Malik Diallo", "malik@tournees-du-soir.example"),
}

DONE, IN_PROGRESS, BLOCKED = Status.DONE.fr, Status.IN_PROGRESS.fr, Status.BLOCKED.fr
# Where things stand on Thursday 29 April: what is not listed is still "À faire".
# T260 (clip edit, due 16/04) is in progress and late; T300 (Deezer/Apple pitch, due 23/04)
# was never started; the TV pitch (T450) waits for the clip.
STATUS: dict[str, str] = {
    **{tid: DONE for tid in (
        "T010", "T020", "T030", "T040", "T050", "T060", "T070", "T080", "T090", "T100",
        "T110", "T120", "T130", "T140", "R140-1", "R140-2", "T150", "T160", "T170", "T180",
        "T190", "T200", "T210", "T220", "T230", "T240", "T250", "T270", "T290", "T310",
        "T320", "R200-1", "R210-1")},
    "T260": IN_PROGRESS, "T450": BLOCKED, "T280": IN_PROGRESS, "T340": IN_PROGRESS,
    "T360": IN_PROGRESS, "T380": IN_PROGRESS,
}
RESULT: dict[str, float] = {
    "T140": 3,  # articles, of 5
    "T150": 3,  # interviews, of 3
    "T210": 6,  # plays after the associative and campus mailing, of 20: it did not work
    "T240": 62,  # pre-saves, of 150: behind, hence the Meta campaign (T380)
    "T250": 6200,  # views, of 5,000
    "T270": 3400,  # views, of 3,000
    "T340": 1,  # playlist adds so far, of 8
    "T380": 35,  # pre-saves from the ads so far, of 100
}
SPENT: dict[str, float] = {
    "T060": 800, "T070": 450, "T040": 250, "T090": 150, "T180": 1350, "T210": 600,
    "T340": 60, "T380": 40,
}
NOTES: dict[str, str] = {
    "T450": "En attente de la version finale du clip (T260).",
    "T260": "Étalonnage refait : livraison prévue le 03/05.",
}

YES, NO, NONE = Reply.YES.fr, Reply.NO.fr, Reply.NONE.fr
# (axis, outlet, name, e-mail, sending task, sent on, reply, replied on, outcome)
CONTACTS: list[tuple[str, str, str, str, str, str, str, str, str]] = [
    ("Presse", "Le Bruit Blanc (webzine)", "Julie Verdier", "julie@bruitblanc.example",
     "T140", "2027-04-02", YES, "2027-04-06", "Chronique publiée le 20/04"),
    ("Presse", "Ondes Urbaines (magazine)", "Marc Olivier", "marc@ondes-urbaines.example",
     "T140", "2027-04-02", YES, "2027-04-12", "Interview le 11/05"),
    ("Presse", "La Gazette du Sud", "Anne Rivière", "redaction@gazette-sud.example",
     "T140", "2027-04-02", NO, "2027-04-09", "Pas de place avant juin"),
    ("Presse", "Pop Fiction (blog)", "Samir Haddad", "samir@popfiction.example",
     "T140", "2027-04-02", NONE, "", ""),
    ("Radio", "Radio Cactus", "Pauline Girard", "prog@radiocactus.example",
     "T210", "2027-04-12", YES, "2027-04-21", "En rotation à partir du 03/05"),
    ("Radio", "Fréquence Garonne", "Thomas Blanc", "thomas@frequence-garonne.example",
     "T210", "2027-04-12", NO, "2027-04-20", "Hors format"),
    ("Radio", "Ondes Nord FM", "Claire Dupuis", "claire@ondesnord.example",
     "T210", "2027-04-12", NONE, "", ""),
    ("Radio", "Radio Lune", "Karim Benaissa", "karim@radiolune.example",
     "T210", "2027-04-12", NONE, "", ""),
    ("Radio", "Campus Tolosa", "Emma Faure", "emma@campustolosa.example",
     "T210", "2027-04-12", NONE, "", ""),
    ("Playlists", "Indé Fraîche (playlist)", "Lucas Meyer", "lucas@indefraiche.example",
     "T340", "2027-04-27", YES, "2027-04-28", "Ajouté en playlist"),
    ("Playlists", "Chill FR (playlist)", "Chloé Martin", "chloe@chillfr.example",
     "T340", "2027-04-27", NONE, "", ""),
    ("Playlists", "Nouvelle Scène (playlist)", "Jules Perrin", "jules@nouvellescene.example",
     "T340", "2027-04-27", NONE, "", ""),
]


def retrosheet(*args: str | Path) -> str:
    """One `retrosheet` command, run in this process; stops the script if it fails."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exit_code != 0:
        sys.exit(f"retrosheet {' '.join(map(str, args))} failed ({result.exit_code}):\n"
                 f"{result.output}")
    return result.output


def serial(day: str) -> int:
    return to_serial(dt.date.fromisoformat(day))


def team_rows(path: Path, sheet: str) -> dict[str, int]:
    """Paramètres: the row (1-based) of each team member, by the name written there."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    start = next(i for i, row in enumerate(grid) if row and row[0] == "Équipe")
    rows: dict[str, int] = {}
    for i in range(start + 2, len(grid)):
        name = grid[i][0]
        if not name:
            break
        rows[str(name)] = i + 1
    return rows


def fill_in(path: Path, status: dict[str, str] | None = None,
            result: dict[str, float] | None = None) -> None:
    """Type the team's progress into the plan (by default where things stand on 29 April;
    `status` and `result` replace those of the tasks they name, as the team would a week
    later).

    The cells are edited in the sheets' XML by retrosheet's own cell editor, as recompute
    does, so the dashboard's charts, the formats and every cached value stay as they were
    (an openpyxl load and save would lose some of them).
    """
    loaded = load_plan(path)
    planning, contacts = loaded.planning, loaded.contacts
    assert contacts is not None
    pc, cc = planning.columns, contacts.columns
    updates: dict[str, list[CellUpdate]] = {planning.sheet: [], contacts.sheet: [],
                                            loaded.settings_sheet: []}
    up = updates[planning.sheet]
    statuses, results = {**STATUS, **(status or {})}, {**RESULT, **(result or {})}
    for t in loaded.plan.tasks:
        assert t.source is not None
        r = t.source.row
        if t.owner in TEAM:
            up.append(CellUpdate(planning.sheet, r, pc["owner"], "text", TEAM[t.owner][0]))
        if t.id in statuses:
            up.append(CellUpdate(planning.sheet, r, pc["status"], "text", statuses[t.id]))
        if t.id in results:
            up.append(CellUpdate(planning.sheet, r, pc["result"], "number", results[t.id]))
        if t.id in SPENT:
            up.append(CellUpdate(planning.sheet, r, pc["spent"], "number", SPENT[t.id]))
        if t.id in NOTES:
            up.append(CellUpdate(planning.sheet, r, pc["notes"], "text", NOTES[t.id]))

    settings = loaded.settings_sheet
    for role, row in team_rows(path, settings).items():
        if role not in TEAM:  # typed already, a week before
            continue
        name, email = TEAM[role]
        updates[settings] += [CellUpdate(settings, row, 0, "text", name),
                              CellUpdate(settings, row, 1, "text", email)]

    sheet = contacts.sheet
    first = contacts.header_row + 2  # 1-based row under the header
    for i, (axis, outlet, name, email, task, sent, reply, replied, outcome) in enumerate(
            CONTACTS):
        r = first + i
        cells: list[CellUpdate] = [
            CellUpdate(sheet, r, cc["id"], "text", f"C{i + 1:02d}"),
            CellUpdate(sheet, r, cc["axis"], "text", axis),
            CellUpdate(sheet, r, cc["outlet"], "text", outlet),
            CellUpdate(sheet, r, cc["name"], "text", name),
            CellUpdate(sheet, r, cc["email"], "text", email),
            CellUpdate(sheet, r, cc["task"], "text", task),
            CellUpdate(sheet, r, cc["sent"], "date", serial(sent)),
            CellUpdate(sheet, r, cc["reply"], "text", reply),
            # Follow-up dates are recompute's; a date here first gives the cells the
            # column's date format, as a teammate formatting the column would.
            CellUpdate(sheet, r, cc["followup1"], "date", serial(sent)),
            CellUpdate(sheet, r, cc["followup2"], "date", serial(sent)),
        ]
        if replied:
            cells.append(CellUpdate(sheet, r, cc["replied"], "date", serial(replied)))
        if outcome:
            cells.append(CellUpdate(sheet, r, cc["outcome"], "text", outcome))
        updates[sheet] += cells

    header_rows = {planning.sheet: planning.header_row + 1,
                   contacts.sheet: contacts.header_row + 1,
                   settings: min(team_rows(path, settings).values()) - 1}
    pkg = Package(path)
    replaced: dict[str, bytes | Writer] = {}
    for name, ups in updates.items():
        part = pkg.sheets[name]
        xml = AppendSheet(pkg.read(part), part, header_row=header_rows[name])
        xml.apply(ups)
        replaced[part] = xml.to_bytes()
    pkg.save(replaced)


def fixed_times(path: Path) -> None:
    """The workbook's created/modified times (docProps/core.xml), fixed so that the file
    is the same on every run."""
    pkg = Package(path)
    core = pkg.read("docProps/core.xml").decode("utf-8")
    for tag, day in (("created", CREATED), ("modified", AS_OF)):
        core = re.sub(rf"(<dcterms:{tag}\b[^>]*>)[^<]*(</dcterms:{tag}>)",
                      rf"\g<1>{day}T09:00:00Z\g<2>", core)
    pkg.save({"docProps/core.xml": core.encode("utf-8")})


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    plan = out / PLAN
    retrosheet("new", "single", "--release", RELEASE, "-o", plan, "--title", "Nuit blanche",
               "--artist", "Lune Rousse", "--lang", "fr", "--today", CREATED, "--force")
    fill_in(plan)
    retrosheet("recompute", plan, "--today", AS_OF)
    written = [plan]
    for fmt, name in REPORTS.items():
        extra = ["--write-sheet"] if fmt == "text" else []
        retrosheet("report", plan, "--as-of", AS_OF, "--today", AS_OF, "--format", fmt,
                   "-o", out / name, *extra)
        written.append(out / name)
    fixed_times(plan)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--out", type=Path, default=HERE, metavar="DIR",
                        help="where to write the files (default: beside this script)")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
