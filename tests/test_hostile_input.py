"""Issue 15, hostile input: a Strict workbook, dates out of range, line breaks in
Paramètres, HTML and formulas in user text, a mistyped owner. Each input is generated
here from a real plan."""

from __future__ import annotations

import csv
import hashlib
import io
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from clirun import made_file
from icalendar import Calendar
from markdown_it import MarkdownIt
from strict import make_strict
from test_mail import EMAILS, Sink, _env, smtp

from retrosheet.cli import cli
from retrosheet.export import FORMULA_STARTS, csv_cell

__all__ = ["smtp"]  # the real SMTP server fixture, shared with test_mail


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args), env=env)
    return res.exit_code, res.stdout, res.stderr


def one_error_line(text: str) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("Error: "), text
    return lines[0]


@pytest.fixture
def plan(tmp_path: Path, small_csv: Path) -> Path:
    return made_file(tmp_path / "plan.xlsx", small_csv, "--release", "2027-05-14",
                     "--title", "Nuit blanche", "--today", "2027-01-04")


def edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    """The plan with cells typed by a user (saved by openpyxl, as another program would)."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, as typed with a leading ' in a spreadsheet
    wb.save(path)
    return path


def planning_cells(path: Path, task: str) -> dict[str, str]:
    """Cell references of a task's row, by header."""
    ws = openpyxl.load_workbook(path)["Planning"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == task)
    return {str(h): f"{c.column_letter}{c.row}" for h, c in zip(head, row, strict=False)}


# ---- 16. Strict Open XML ------------------------------------------------------------------

def test_strict_workbook_is_refused_in_one_line(plan: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.xlsx"
    assert make_strict(plan, strict) > 10  # every XML part that names a namespace changed
    before = sha(strict)
    for args in (["recompute", str(strict)], ["check", str(strict)],
                 ["report", str(strict), "--write-sheet"], ["report", str(strict)],
                 ["export", str(strict)], ["ics", str(strict), "-o", str(tmp_path / "x.ics")],
                 ["new", str(strict), "--release", "2027-06-04", "-o",
                  str(tmp_path / "copy.xlsx")]):
        code, out, err = run(*args)
        assert code == 2, (args, out, err)
        line = one_error_line(err)
        assert "Strict Open XML" in line and "(.xlsx)" in line
    assert sha(strict) == before
    assert not (tmp_path / "copy.xlsx").exists() and not (tmp_path / "x.ics").exists()


# ---- 18, 19. dates out of range -----------------------------------------------------------

def test_report_far_in_the_future_is_one_line(plan: Path) -> None:
    code, _out, err = run("report", str(plan), "--as-of", "9999-12-20")
    assert code == 2
    line = one_error_line(err)
    assert "--as-of" in line and "(du 1901-01-01 au 9998-12-31)" in line
    code, _out, err = run("report", str(plan), "--as-of", "9999-12-20",
                          env={"RETROSHEET_LANG": "en"})
    assert one_error_line(err) == ("Error: --as-of: 9999-12-20 is outside the dates retrosheet "
                                   "accepts (1901-01-01 to 9998-12-31)")
    code, _out, err = run("report", str(plan), "--as-of", "9998-12-31")
    assert code == 0, err


@pytest.mark.parametrize("release", ["1850-05-14", "0027-05-14", "14/05/0027", "9999-12-31"])
def test_new_refuses_a_release_out_of_range_up_front(tmp_path: Path, release: str) -> None:
    out_path = tmp_path / "p.xlsx"
    code, _out, err = run("new", "single", "--release", release, "-o", str(out_path))
    assert code == 2
    line = one_error_line(err)
    assert "--release" in line and "(du 1901-01-01 au 9998-12-31)" in line
    assert not out_path.exists()


# ---- 21. a line break typed in a Paramètres cell ------------------------------------------

def team_with_breaks(path: Path) -> Path:
    """Emails for the team, a line break in the title and in a member's name (with a
    header injection attempt after it)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Paramètres"]
    head = next(c.row for c in ws["A"] if c.value == "Équipe")
    for row in ws.iter_rows(min_row=head + 2, max_col=3):
        role = str(row[2].value)
        if role in EMAILS:
            row[0].value, row[1].value = EMAILS[role]
            if role == "Manager":
                row[0].value = "Léa\r\nBcc: spy@evil.example"
    title = next(c for c in ws["A"] if c.value == "Titre")
    ws.cell(title.row, 2).value = "Nuit\nblanche"
    wb.save(path)
    return path


def test_line_breaks_in_parametres_do_not_stop_the_mailing(
        plan: Path, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    team_with_breaks(plan)
    code, _out, err = run("report", str(plan), "--as-of", "2027-04-29", "--mail",
                         env=_env(port))
    assert code == 0, err
    assert "3 message(s) envoyé(s)" in err
    rcpts = sorted(r for e in sink.envelopes for r in e.rcpt_tos)
    assert rcpts == ["lea@example.com", "paul@example.com", "radio@example.com"]
    to = {}
    for raw in sink.messages():
        msg = message_from_bytes(raw.as_bytes(), policy=default)
        assert isinstance(msg, EmailMessage)
        assert "Bcc" not in msg
        assert msg["Subject"].startswith("[retrosheet] Nuit blanche — semaine du 26/04")
        (address,) = msg["To"].addresses  # one recipient each, no group slipped in
        to[address.addr_spec] = address.display_name
    assert to["lea@example.com"] == "Léa Bcc: spy@evil.example"  # one name, on one line
    assert set(to) == set(rcpts)


def test_line_breaks_in_parametres_do_not_stop_the_calendar(plan: Path) -> None:
    team_with_breaks(plan)
    out_path = plan.with_name("lea.ics")
    code, _out, err = run("ics", str(plan), "-o", str(out_path))
    assert code == 0, err
    cal = Calendar.from_ical(out_path.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "Nuit blanche"
    cns = {str(a.params["CN"]) for ev in cal.walk("VEVENT") for a in
           ([ev["ORGANIZER"]] if "ORGANIZER" in ev else [])}
    assert "Léa Bcc: spy@evil.example" in cns


# ---- 22. the Markdown report shows user text, never runs it -------------------------------

HOSTILE_ACTION = 'Pitch <img src=x onerror="alert(1)"> **now** [here](javascript:alert(2))\n| x |'


def test_markdown_report_escapes_user_text(plan: Path) -> None:
    cells = planning_cells(plan, "T040")
    edit(plan, "Planning", {cells["Action"]: HOSTILE_ACTION,
                            cells["Responsable"]: "Manager <script>x</script>"})
    code, md, err = run("report", str(plan), "--as-of", "2027-04-19", "--format", "md")
    assert code == 0, err
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert "<strong>now</strong>" not in html
    shown = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    assert 'Pitch <img src=x onerror="alert(1)"> **now** [here](javascript:alert(2)) | x |' \
        in shown  # the text as typed, on one line
    # A table row stays one row whatever the user typed.
    tables = [t for t in md.split("\n\n") if t.startswith("| ")]
    for table in tables:
        widths = {line.count(" | ") - line.count("\\|") for line in table.splitlines()
                  if not line.startswith("|-")}
        assert len(widths) == 1, table


def test_markdown_table_cells_keep_pipes_and_line_breaks_in_their_row(plan: Path) -> None:
    cells = planning_cells(plan, "T020")
    edit(plan, "Planning", {cells["Axe"]: "Radio | FM\nlocales"})
    code, md, err = run("report", str(plan), "--as-of", "2027-04-19", "--format", "md")
    assert code == 0, err
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<td>Radio | FM locales</td>" in html


# ---- 23. CSV export: no live formula ------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "=cmd|' /C calc'!A0", "@SUM(1+1)",
            "+33 6 12", "-2+3", "\tTab", "\rCR"]


def test_csv_export_neutralises_formulas(plan: Path) -> None:
    ids = ["T010", "T020", "T030", "T040", "T050", "T060"]
    typed = {}
    for tid, text in zip(ids, FORMULAS, strict=False):
        typed[planning_cells(plan, tid)["Action"]] = text
    typed[planning_cells(plan, "T060")["Notes"]] = FORMULAS[-1]
    edit(plan, "Planning", typed)
    code, out, err = run("export", str(plan), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = [v for r in rows for v in r.values() if v and not v.lstrip("+-").isdigit()]
    assert not [v for v in cells if v.startswith(FORMULA_STARTS)]
    actions = {r["id"]: r["action"] for r in rows}
    for tid, text in zip(ids[:5], FORMULAS[:5], strict=True):
        assert actions[tid] == "'" + text  # kept, with the apostrophe spreadsheets hide
    offsets = {r["id"]: r["offset"] for r in rows}
    assert offsets["T010"] == "-28"  # numbers stay numbers


def test_csv_cell_follows_the_owasp_rule() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_cell("Mailing radios") == "Mailing radios"
    assert csv_cell(-28) == -28 and csv_cell(None) == ""


# ---- 24. report --owner with a typo -------------------------------------------------------

def test_report_unknown_owner_is_refused_with_the_closest_names(plan: Path) -> None:
    code, out, err = run("report", str(plan), "--owner", "Promo-radio")
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "'Promo-radio'" in line and "vouliez-vous dire 'Promo radio'" in line
    code, out, err = run("ics", str(plan), "--owner", "Promo-radio", "-o",
                         str(plan.with_name("x.ics")))
    assert code == 2 and "vouliez-vous dire 'Promo radio'" in one_error_line(err)
    code, out, err = run("report", str(plan), "--owner", "promo RADIO", "--as-of",
                         "2027-04-19")
    assert code == 0 and "T020" in out  # case is not a typo
