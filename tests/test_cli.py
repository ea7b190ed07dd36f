"""The command line through click's CliRunner: exact output, exit codes, files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from retrosheet.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_new_writes_a_plan_and_says_so(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "Nuit blanche.xlsx"
    code, stdout, stderr = run("new", str(small_csv), "--release", "2027-05-14", "-o",
                               str(out), "--today", "2027-03-01")
    assert (code, stderr) == (0, "")
    assert stdout == f"{out} : 9 tâches dont 3 relances, sortie (J) le 14/05/2027, modèle mini\n"
    assert out.stat().st_size > 5000


def test_new_in_english(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, stdout, _ = run("new", str(small_csv), "--release", "14/05/2027", "-o", str(out),
                          "--lang", "en", "--today", "2027-03-01")
    assert code == 0
    assert stdout == (f"{out}: 9 tasks including 3 follow-ups, release (J) on 2027-05-14, "
                      "template mini\n")


def test_export_json_gives_the_engine_dates(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "plan.xlsx"
    run("new", str(small_csv), "--release", "2027-05-14", "-o", str(out), "--today", "2027-03-01")
    code, stdout, _ = run("export", str(out))
    assert code == 0
    doc = json.loads(stdout)
    assert doc["release"] == "2027-05-14"
    got = {t["id"]: (t["start"], t["deadline"]) for t in doc["tasks"]}
    assert got == {
        "T010": ("2027-04-16", "2027-04-16"),
        "T020": ("2027-04-22", "2027-04-23"),  # 2 working days ending Fri 23 April
        "T030": ("2027-04-07", "2027-04-07"),  # 5 working days before 16 April
        "R030-1": ("2027-04-14", "2027-04-14"),
        "R030-2": ("2027-04-21", "2027-04-21"),
        "T040": ("2027-04-19", "2027-04-19"),  # earliest anchor 16 April + 3 = Mon 19
        "R020-1": ("2027-05-07", "2027-05-07"),
        "T050": ("2027-05-14", "2027-05-14"),
        "T060": ("2027-05-21", "2027-05-21"),
    }
    assert [t["id"] for t in doc["tasks"]][:2] == ["T030", "R030-1"]  # sorted by date


def test_export_csv_header_and_rows(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "plan.xlsx"
    run("new", str(small_csv), "--release", "2027-05-14", "-o", str(out), "--lang", "en")
    code, stdout, _ = run("export", str(out), "--format", "csv")
    lines = stdout.splitlines()
    assert code == 0 and len(lines) == 10
    assert lines[0].startswith("id,type,axis,action,owner,anchor,offset,unit,duration,start,")
    assert lines[-1].startswith("T060,Task,Social,First-week review,Manager,T050,7,days,1,"
                                "2027-05-21,2027-05-21,To do,")


def test_past_deadlines_are_reported_on_creation(tmp_path: Path, small_csv: Path) -> None:
    code, _, stderr = run("new", str(small_csv), "--release", "2027-05-14",
                          "-o", str(tmp_path / "p.xlsx"), "--today", "2027-04-20")
    assert code == 0
    assert stderr == ("Attention : 4 échéance(s) déjà passée(s), la sortie est trop proche "
                      "pour ce modèle : T030 (13 j de retard), R030-1 (6 j de retard), "
                      "T010 (4 j de retard), T040 (1 j de retard)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["nope", "--release", "2027-05-14"],
     "Erreur : le modèle 'nope' n'est ni un modèle intégré (single, ep, album, clip, concert) "
     "ni un fichier\n"),
    (["nope", "--release", "2027-05-14", "--lang", "en"],
     "Error: template 'nope' is neither a built-in (single, ep, album, clip, concert) "
     "nor a file\n"),
    # A typo gets the closest names, like an unknown option or command does.
    (["singel", "--release", "2027-05-14"],
     "Erreur : le modèle 'singel' n'est ni un modèle intégré (single, ep, album, clip, "
     "concert) ni un fichier ; vouliez-vous dire single ?\n"),
    (["Concerts", "--release", "2027-05-14", "--lang", "en"],
     "Error: template 'Concerts' is neither a built-in (single, ep, album, clip, concert) "
     "nor a file; did you mean concert?\n"),
    (["single", "--release", "14 mai"],
     "Erreur : valeur invalide pour --release : '14 mai' n'est pas une date : "
     "écrivez AAAA-MM-JJ (2027-05-14) ou JJ/MM/AAAA\n"),
    (["single", "--release", "2027-05-14", "--region", "Atlantis"],
     "Erreur : la région 'Atlantis' est inconnue pour le pays FR ; connues : 57, 6AE, 971, "
     "972, 973, 974, 976, BL, MF, NC, PF, PM, TF, WF, Zone A, Zone B, Zone C\n"),
])
def test_bad_input_one_line_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, stderr = run("new", *args, "-o", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert stderr.splitlines()[-1] + "\n" == message
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_template_content_names_file_cell_and_task(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ID,Action,Référence,Décalage\nT1,a,J,-3\nT2,b,T9,-1\n", encoding="utf-8")
    code, _, stderr = run("new", str(bad), "--release", "2027-05-14", "-o",
                          str(tmp_path / "x.xlsx"))
    assert code == 2
    assert stderr == ("Erreur : bad.csv!C3 (T2) : dépendance inconnue 'T9' : aucune tâche n'a "
                      "cet ID\n")
    code, _, stderr = run("new", str(bad), "--release", "2027-05-14", "--lang", "en", "-o",
                          str(tmp_path / "x.xlsx"))
    assert stderr == "Error: bad.csv!C3 (T2): unknown anchor 'T9': no task has that ID\n"


def test_cycle_in_template(tmp_path: Path) -> None:
    bad = tmp_path / "cyc.csv"
    bad.write_text("ID,Action,Référence,Décalage\nT1,a,T2,-3\nT2,b,T1,-1\n", encoding="utf-8")
    code, _, stderr = run("new", str(bad), "--release", "2027-05-14", "-o",
                          str(tmp_path / "x.xlsx"))
    assert code == 2
    assert stderr == ("Erreur : cyc.csv!C3 (T2) : les dépendances forment une boucle : "
                      "T1 → T2 → T1\n")


def test_existing_output_is_not_overwritten(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"precious")
    code, _, stderr = run("new", str(small_csv), "--release", "2027-05-14", "-o", str(out))
    assert code == 2
    assert stderr == f"Erreur : {out} existe déjà : choisissez un autre nom ou ajoutez --force\n"
    assert out.read_bytes() == b"precious"


def test_errors_and_usage_errors_speak_the_users_language(
        tmp_path: Path, small_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"precious")
    monkeypatch.setenv("RETROSHEET_LANG", "en")
    code, _, stderr = run("new", str(small_csv), "--release", "2027-05-14", "-o", str(out))
    assert (code, stderr) == (2, f"Error: {out} exists: choose another name or add --force\n")
    code, _, stderr = run("new", str(small_csv), "--release", "14 mai", "-o", str(out))
    assert code == 2 and stderr.splitlines()[-1] == (
        "Error: Invalid value for --release: '14 mai' is not a date: write YYYY-MM-DD "
        "(2027-05-14) or DD/MM/YYYY")
    code, _, stderr = run("new", "--release", "2027-05-14")
    assert code == 2 and stderr.splitlines() == [
        "Usage: cli new [OPTIONS] [TEMPLATE]", "Try 'cli new -h' for help.", "",
        "Error: missing TEMPLATE: a built-in name (retrosheet templates), a CSV file, or "
        "--from PAST.xlsx"]
    monkeypatch.setenv("RETROSHEET_LANG", "fr")
    code, _, stderr = run("new", "--release", "2027-05-14")
    assert code == 2 and stderr.splitlines()[-1] == (
        "Erreur : TEMPLATE manquant : un modèle intégré (retrosheet templates), un fichier CSV "
        "ou --from PAST.xlsx")


def test_file_open_in_a_spreadsheet_is_refused(tmp_path: Path, small_csv: Path) -> None:
    out = tmp_path / "plan.xlsx"
    (tmp_path / ".~lock.plan.xlsx#").write_text("x")
    code, _, stderr = run("new", str(small_csv), "--release", "2027-05-14", "-o", str(out))
    assert code == 2
    assert stderr == ("Erreur : plan.xlsx est ouvert dans un tableur (fichier de verrou "
                      ".~lock.plan.xlsx#) : fermez-le d'abord\n")
    assert not out.exists()


def test_export_of_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("hello")
    code, _, stderr = run("export", str(bogus))
    assert code == 2
    assert stderr == ("Erreur : notes.xlsx n'est pas un classeur .xlsx/.xlsm (ce n'est pas un "
                      "fichier zip)\n")
    english = CliRunner().invoke(cli, ["export", str(bogus)], env={"RETROSHEET_LANG": "en"})
    assert english.stderr == "Error: notes.xlsx is not an .xlsx/.xlsm workbook (not a zip file)\n"


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        code, stdout, _ = run(name, "--help")
        assert code == 0, name
        assert command.get_short_help_str(), name
        assert "Example:" in stdout and f"retrosheet {name}" in stdout, name
        assert re.search(rf"`retrosheet {name}\b", readme), f"{name} missing from README"


CLICK_ERRORS = [  # click's own usage errors: (arguments, French line, English line)
    (["check", "--tday", "x.xlsx"], "option inconnue --tday (vouliez-vous dire --today ?)",
     "no such option --tday (did you mean --today?)"),
    (["check"], "argument PLAN manquant", "missing argument PLAN"),
    (["new", "single", "--release", "2027-05-14", "--lang", "zz"],
     "valeur invalide pour --lang : choisissez parmi fr, en",
     "Invalid value for --lang: choose from fr, en"),
    (["recompte", "x.xlsx"], "commande inconnue recompte (vouliez-vous dire recompute ?)",
     "no such command recompte (did you mean recompute?)"),
    (["new", "single", "--release"], "l'option --release attend une valeur",
     "option --release needs a value"),
    (["check", "a.xlsx", "b.xlsx"], "argument(s) en trop : b.xlsx",
     "unexpected extra argument(s): b.xlsx"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("args", "fr", "en"), CLICK_ERRORS)
def test_clicks_usage_errors_speak_the_users_language(
        monkeypatch: pytest.MonkeyPatch, lang: str, args: list[str], fr: str, en: str) -> None:
    monkeypatch.setenv("RETROSHEET_LANG", lang)
    code, stdout, stderr = run(*args)
    assert code == 2 and stdout == ""
    lines = stderr.splitlines()
    assert lines[-1] == ("Erreur : " + fr if lang == "fr" else "Error: " + en)
    if len(lines) > 1:  # under click's usage line, the hint in the same language
        assert lines[1] == ("Essayez « cli " if lang == "fr" else "Try 'cli ") + (
            f"{args[0]} -h » pour l'aide." if lang == "fr" and args[0] != "recompte"
            else f"{args[0]} -h' for help." if args[0] != "recompte"
            else "-h » pour l'aide." if lang == "fr" else "-h' for help.")
