"""`report --write-sheet`: the Report sheet replaced, History appended, nothing else touched."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from clirun import edits_once, made_file
from conftest import SINGLE
from libreoffice import recalc_many, requires_soffice
from python_calamine import CalamineWorkbook

from retrosheet.cli import cli
from retrosheet.labels import HISTORY_COLUMNS, history_header
from retrosheet.report import build_report
from retrosheet.xlsx.package import Package
from retrosheet.xlsx.read import read_plan
from retrosheet.xlsx.report_sheet import add_date_style, clean_text, find_styles

AS_OF = "2027-04-29"  # J-15 of a release on 2027-05-14
NEXT = "2027-05-06"  # J-8

DONE = ("T010", "T020", "T030", "T040", "T050", "T060", "T080", "T070", "T090", "T100",
        "T110", "T120", "R090-1", "R090-2", "T140", "T150", "T160", "T170")


def run(*args: str | Path) -> tuple[int, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r.exit_code, r.output


def new_plan(path: Path, *extra: str) -> Path:
    return made_file(path, SINGLE, "--release", "2027-05-14", "--today", "2027-03-01",
                     "--title", "Nuit blanche", *extra)


@edits_once
def set_progress(path: Path) -> None:
    """Statuses, results and spend typed as a team would (openpyxl: fine for a test)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for tid in DONE:
        ws.cell(row[tid], 12).value = "Fait"  # L: Statut
    ws.cell(row["T240"], 12).value = "Bloqué"
    ws.cell(row["T250"], 12).value = "En cours"
    ws.cell(row["T090"], 17).value = 2  # Q: Résultat (objective 5 articles)
    ws.cell(row["T160"], 17).value = 6000  # objective 5000 views
    ws.cell(row["T020"], 19).value = 800  # S: Dépensé
    wb.save(path)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = new_plan(tmp_path / "plan.xlsx")
    set_progress(path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def part_of(path: Path, sheet: str) -> str:
    return Package(path).sheets[sheet]


def rows_of(path: Path, sheet: str) -> list[list[Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [list(r) for r in rows]


def section(rows: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows of the section whose heading starts with `title`, up to the blank row."""
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith(title))
    out = []
    for r in rows[start + 1:]:
        if all(v == "" for v in r):
            break
        out.append(r)
    return out


def write(path: Path, as_of: str = AS_OF) -> None:
    code, out = run("report", path, "--as-of", as_of, "--write-sheet")
    assert code == 0, out


def test_report_sheet_holds_the_report_and_only_two_parts_change(plan: Path) -> None:
    before = parts(plan)
    write(plan)
    after = parts(plan)
    assert list(after) == list(before)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {part_of(plan, "Rapport"), part_of(plan, "Historique")}

    rows = rows_of(plan, "Rapport")
    assert "J-15" in rows[0][0] and "29/04/2027" in rows[0][0] and "Nuit blanche" in rows[0][0]
    assert rows[1][:2] == ["Date du rapport", dt.date(2027, 4, 29)]
    assert rows[2][:2] == ["Sortie (J)", dt.date(2027, 5, 14)]
    assert rows[3][1:3] == [15, "J-15"]

    late = section(rows, "En retard")
    assert late[0][:3] == ["Action", "ID", "Responsable"]
    by_id = {r[1]: r for r in late[1:]}
    assert by_id["T130"][0] == "Envoyer le titre au distributeur"
    assert by_id["T130"][5] == dt.date(2027, 4, 9)  # deadline: a real date
    assert by_id["T130"][7] == 20  # days late: a number
    assert by_id["T130"][8] == "Planning!K15"

    week = section(rows, "À faire cette semaine")
    groups = [r[0] for r in week[1:] if r[1] == ""]
    assert groups == ["Community manager", "Label", "Manager", "Promo radio"]
    radio = week.index(["Promo radio"] + [""] * (len(week[0]) - 1))
    assert {week[radio + 1][1], week[radio + 2][1]} == {"R170-1", "T230"}

    axes = {r[0]: r for r in section(rows, "Résultats par axe")[1:]}
    assert axes["Réseaux sociaux"][2:5] == [5000, 6000, 1.2]
    assert axes["Réseaux sociaux"][8] == "a marché"
    actions = {r[9]: r for r in section(rows, "Résultats par action")[1:]}
    assert actions["T090"][8] == "n'a pas marché"

    blocked = section(rows, "Bloqué")
    assert [r[1] for r in blocked[1:]] == ["T240"]
    assert rows[-1][0].startswith("Cette feuille est écrite par")

    wb = openpyxl.load_workbook(plan)
    assert wb["Rapport"]["B2"].is_date
    assert wb["Rapport"]["B2"].number_format == "dd/mm/yyyy"
    assert wb["Rapport"]["A1"].font.b


def test_history_gets_one_row_per_axis_then_one_per_indicator(plan: Path) -> None:
    write(plan)
    rep = build_report(read_plan(plan), dt.date(2027, 4, 29))
    rows = rows_of(plan, "Historique")
    assert rows[0] == [history_header(k, "fr") for k in HISTORY_COLUMNS]
    axes = [p.axis for p in rep.progress]
    indicators = [r for r in rep.results_by_indicator if r.kpi]
    assert len(rows) == 1 + len(axes) + len(indicators)
    assert [r[1] for r in rows[1:len(axes) + 1]] == axes
    assert {r[0] for r in rows[1:]} == {dt.date(2027, 4, 29)}
    press = next(r for r in rows if r[1] == "Presse")
    # Press mixes articles and interviews: no objective and no result add up.
    assert press[2:] == ["", 5, 5, 0, 800, 800, "", ""]  # tasks, done, late, budget, spent
    social = next(r for r in rows if r[1] == "Réseaux sociaux")
    assert social[8:] == [5000, 6000]
    # Each indicator on a row of its own: its axis, KPI, objective and result.
    kept = [(r[1], r[2], r[8], r[9]) for r in rows[len(axes) + 1:]]
    assert kept == [(r.key, r.kpi, r.objective if r.objective is not None else "",
                     r.result if r.result is not None else "") for r in indicators]
    assert ("Presse", "articles", 5, 2) in kept and all(r[3:8] == [""] * 5
                                                        for r in rows[len(axes) + 1:])
    # New cells look like the column they are in, not like the header above them.
    ws = openpyxl.load_workbook(plan)["Historique"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FF1F3864"  # header as it was
    r = 2 + axes.index("Presse")
    assert ws[f"A{r}"].number_format == "dd/mm/yyyy" and not ws[f"A{r}"].font.b
    assert "€" in ws[f"G{r}"].number_format and ws[f"G{r}"].fill.fgColor.rgb != "FF1F3864"


def test_second_run_replaces_report_and_appends_history(plan: Path, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine.xlsx"
    shutil.copyfile(plan, pristine)
    write(plan)
    first = parts(plan)
    history1 = rows_of(plan, "Historique")
    write(plan, NEXT)
    second = parts(plan)
    report_part, history_part = part_of(plan, "Rapport"), part_of(plan, "Historique")
    assert {n for n in first if first[n] != second[n]} == {report_part, history_part}

    rows = rows_of(plan, "Rapport")
    assert "J-8" in rows[0][0] and "06/05/2027" in rows[0][0]
    assert not any("J-15" in str(v) for r in rows for v in r)
    # Nothing of the first report is left: the sheet is what one run at NEXT writes, but
    # for the week-on-week change the first run's History rows give each indicator.
    write(pristine, NEXT)
    fresh = rows_of(pristine, "Rapport")
    assert len(rows) == len(fresh)
    differ = {(i, j) for i, (a, b) in enumerate(zip(rows, fresh, strict=True))
              for j, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Résultats par ind"))
    assert rows[start + 1][7:9] == ["Sur 7 jours", "Depuis le"]
    assert differ and {j for _, j in differ} == {7, 8}  # the change and its date
    assert all(start < i <= start + len(section(rows, "Résultats par ind")) for i, _ in differ)
    assert {rows[i][8] for i, j in differ if j == 8} == {dt.date(2027, 4, 29)}
    assert all(fresh[i][j] == "" for i, j in differ)  # no History before: no change

    history2 = rows_of(plan, "Historique")
    n = len(history1) - 1
    assert len(history2) == 1 + 2 * n
    assert history2[: n + 1] == history1
    assert {r[0] for r in history2[n + 1:]} == {dt.date(2027, 5, 6)}
    dimension = re.search(rb'<dimension ref="([^"]+)"', second[history_part])
    assert dimension is not None and dimension.group(1) == f"A1:J{1 + 2 * n}".encode()


def test_english_plan(tmp_path: Path) -> None:
    path = new_plan(tmp_path / "plan-en.xlsx", "--lang", "en")
    write(path)
    rows = rows_of(path, "Report")
    assert "J-15" in rows[0][0] and "2027-04-29" in rows[0][0]
    assert section(rows, "Late")[0][:3] == ["Action", "ID", "Owner"]
    assert rows_of(path, "History")[0] == [history_header(k, "en") for k in HISTORY_COLUMNS]
    wb = openpyxl.load_workbook(path)
    assert wb["Report"]["B2"].number_format == "yyyy-mm-dd"


def test_owner_report_writes_the_whole_team_on_the_sheet(plan: Path) -> None:
    code, out = run("report", plan, "--as-of", AS_OF, "--owner", "Label", "--write-sheet")
    assert code == 0, out
    rows = rows_of(plan, "Rapport")
    owners = {r[2] for r in section(rows, "En retard")[1:]}
    assert {"Label", "Réalisateur·rice"} <= owners


@pytest.mark.parametrize("lock", ["~$plan.xlsx", ".~lock.plan.xlsx#"])
def test_open_plan_is_refused_and_left_as_it_was(plan: Path, lock: str) -> None:
    (plan.parent / lock).write_text("locked", encoding="utf-8")
    before = plan.read_bytes()
    code, out = run("report", plan, "--as-of", AS_OF, "--write-sheet")
    assert code == 2
    assert "verrou" in out and "plan.xlsx" in out
    assert "Traceback" not in out
    assert plan.read_bytes() == before
    assert sorted(p.name for p in plan.parent.iterdir()) == sorted(["plan.xlsx", lock])


def test_user_columns_on_history_are_kept(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    ws = wb["Historique"]
    ws.insert_cols(3)
    ws["C1"] = "Commentaire"
    ws["A2"], ws["B2"], ws["C2"] = dt.datetime(2027, 4, 1), "Radio", "à la main"
    wb.save(plan)
    write(plan)
    rows = rows_of(plan, "Historique")
    head = rows[0]
    assert head[:5] == ["Date", "Axe", "Commentaire", "Indicateur", "Tâches"]
    assert rows[1][:3] == [dt.date(2027, 4, 1), "Radio", "à la main"]
    records = [dict(zip(head, r, strict=True)) for r in rows[2:]]
    press = next(r for r in records if r["Axe"] == "Presse")
    assert press["Commentaire"] == "" and press["Tâches"] == 5 and press["Dépensé"] == 800


# ---- plans without the Report and History sheets ------------------------------------------

def without_report_sheets_openpyxl(path: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    del wb["Rapport"]
    del wb["Historique"]
    wb.save(path)
    return path


def without_report_sheets_xml(src: Path, dest: Path) -> Path:
    """A plan as XlsxWriter wrote it before Report and History existed: the two sheets cut
    out of the package's XML (workbook, rels, content types, app.xml)."""
    p = parts(src)
    gone = {"xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml",
            "xl/worksheets/_rels/sheet6.xml.rels", "xl/comments2.xml",
            "xl/drawings/vmlDrawing2.vml"}
    wbx = p["xl/workbook.xml"].decode()
    wbx = re.sub(r'<sheet name="(Rapport|Historique)"[^>]*/>', "", wbx)
    # their print settings (sheet-local names: Rapport and Historique are sheets 4 and 5)
    wbx = re.sub(r'<definedName [^>]*localSheetId="[45]"[^>]*>[^<]*</definedName>', "", wbx)
    rels = p["xl/_rels/workbook.xml.rels"].decode()
    rels = re.sub(r'<Relationship Id="rId[56]"[^>]*/>', "", rels)
    ct = p["[Content_Types].xml"].decode()
    ct = re.sub(r'<Override PartName="/xl/(worksheets/sheet[56]|comments2)\.xml"[^>]*/>', "", ct)
    app = p["docProps/app.xml"].decode()
    app = app.replace("<vt:lpstr>Rapport</vt:lpstr><vt:lpstr>Historique</vt:lpstr>", "")
    app = re.sub(r"<vt:lpstr>(Rapport|Historique)![^<]*</vt:lpstr>", "", app)
    app = app.replace('<vt:i4>6</vt:i4>', "<vt:i4>4</vt:i4>", 1)
    names = re.findall(r"<vt:lpstr>[^<]*!Print_[^<]*</vt:lpstr>", app)
    app = re.sub(r"(<vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>)\d+",
                 lambda m: m.group(1) + str(len(names)), app)
    app = re.sub(r'<vt:vector size="\d+" baseType="lpstr">',
                 f'<vt:vector size="{4 + len(names)}" baseType="lpstr">', app)
    new = {"xl/workbook.xml": wbx, "xl/_rels/workbook.xml.rels": rels,
           "[Content_Types].xml": ct, "docProps/app.xml": app}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename in gone:
                continue
            text = new.get(info.filename)
            z.writestr(info, text.encode() if text is not None else zin.read(info))
    assert "Rapport" not in Package(dest).sheets
    return dest


def check_added(path: Path, before: dict[str, bytes]) -> None:
    after = parts(path)
    pkg = Package(path)
    report, history = pkg.sheets["Rapport"], pkg.sheets["Historique"]
    assert list(pkg.sheets)[-2:] == ["Rapport", "Historique"]
    assert set(after) - set(before) == {report, history}
    edited = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
              "docProps/app.xml"}
    assert {n for n in before if before[n] != after[n]} <= edited
    ct = after["[Content_Types].xml"].decode()
    assert f'PartName="/{report}"' in ct and f'PartName="/{history}"' in ct
    ids = re.findall(r'sheetId="(\d+)"', after["xl/workbook.xml"].decode())
    assert len(ids) == len(set(ids))
    rows = rows_of(path, "Rapport")
    assert "J-15" in rows[0][0]
    assert rows[1][1] == dt.date(2027, 4, 29)
    assert rows_of(path, "Historique")[0] == [history_header(k, "fr") for k in HISTORY_COLUMNS]
    wb = openpyxl.load_workbook(path)  # a strict reader opens it too
    assert wb["Historique"]["A2"].is_date


def test_sheets_are_added_to_a_plan_without_them(plan: Path) -> None:
    without_report_sheets_openpyxl(plan)
    before = parts(plan)
    write(plan)
    check_added(plan, before)
    n = len(rows_of(plan, "Historique"))
    write(plan, NEXT)  # now they exist: the second run appends
    assert len(rows_of(plan, "Historique")) == 1 + 2 * (n - 1)
    assert len(Package(plan).sheets) == 6


def test_sheets_are_added_and_listed_in_app_xml(tmp_path: Path) -> None:
    plan = without_report_sheets_xml(new_plan(tmp_path / "new.xlsx"), tmp_path / "old.xlsx")
    before = parts(plan)
    write(plan)
    check_added(plan, before)
    app = parts(plan)["docProps/app.xml"].decode()
    assert "<vt:i4>6</vt:i4>" in app
    titles = re.search(r'<TitlesOfParts><vt:vector size="(\d+)"[^>]*>(.*?)</vt:vector>', app)
    assert titles is not None
    names = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", titles.group(2))
    assert int(titles.group(1)) == len(names)
    assert names[4:6] == ["Rapport", "Historique"]


def test_only_the_missing_sheet_is_added(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    del wb["Historique"]
    wb.save(plan)
    report_part = part_of(plan, "Rapport")
    write(plan)
    pkg = Package(plan)
    assert list(pkg.sheets)[-2:] == ["Rapport", "Historique"]
    assert pkg.sheets["Rapport"] == report_part
    assert "J-15" in rows_of(plan, "Rapport")[0][0]
    assert rows_of(plan, "Historique")[1][:2] == [dt.date(2027, 4, 29), "Distribution"]


def test_dates_follow_a_1904_workbook(tmp_path: Path) -> None:
    path = new_plan(tmp_path / "plan.xlsx")
    p = parts(path)
    p["xl/workbook.xml"] = p["xl/workbook.xml"].replace(b"<workbookPr ",
                                                        b'<workbookPr date1904="1" ')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in p.items():
            z.writestr(name, data)
    write(path)
    assert rows_of(path, "Rapport")[1][1] == dt.date(2027, 4, 29)
    assert rows_of(path, "Historique")[1][0] == dt.date(2027, 4, 29)


@pytest.mark.libreoffice
@requires_soffice
def test_libreoffice_opens_plans_with_added_sheets(tmp_path: Path) -> None:
    a = without_report_sheets_openpyxl(new_plan(tmp_path / "a.xlsx"))
    b = without_report_sheets_xml(new_plan(tmp_path / "src.xlsx"), tmp_path / "b.xlsx")
    for p in (a, b):
        write(p)
    for out in recalc_many([a, b], tmp_path / "lo"):
        wb = CalamineWorkbook.from_path(str(out))
        assert wb.sheet_names[-2:] == ["Rapport", "Historique"]
        rows = rows_of(out, "Rapport")
        assert "J-15" in rows[0][0]
        assert rows[1][1] == dt.date(2027, 4, 29)
        history = rows_of(out, "Historique")
        assert history[1][0] == dt.date(2027, 4, 29) and history[1][1] == "Distribution"


# ---- pieces -------------------------------------------------------------------------------

def test_a_workbook_without_a_date_style_gets_one() -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    styles = (f'<styleSheet xmlns="{ns}"><fonts count="1"><font><sz val="11"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
              "</cellXfs></styleSheet>").encode()
    assert find_styles(styles).date is None
    added = add_date_style(styles)
    assert added is not None
    xml, index = added
    assert index == "1"
    assert b'<cellXfs count="2">' in xml
    assert find_styles(xml).date == "1"


def test_styles_of_a_new_plan_are_found(plan: Path) -> None:
    st = find_styles(parts(plan)["xl/styles.xml"])
    assert None not in (st.date, st.int, st.money, st.pct, st.bold, st.title, st.header)


def test_cell_text_is_made_safe() -> None:
    assert clean_text("a\x01b\x0bc\td") == "abc\td"
    assert clean_text("_x0041_") == "_x005F_x0041_"
    assert len(clean_text("x" * 40000)) == 32767


def test_a_row_with_wrapped_text_sets_its_plain_text_at_the_top() -> None:
    """A late follow-up's long action wraps over three lines: its ID, owner and status sat
    at the bottom of the row while its dates sat at the top."""
    from test_report import AS_OF, plan

    from retrosheet.report_cells import report_rows

    p = plan("fr")
    p.by_id()["T030"].action = "Envoyer le communiqué " + "et le dossier de presse " * 6
    rows = [r for r in report_rows(build_report(p, AS_OF)) if any(
        v is not None and v.style == "wrap" for v in r)]
    assert any(v is not None and v.value == "T030" for r in rows for v in r)
    for r in rows:
        assert all(v.style is not None for v in r if v is not None), r
