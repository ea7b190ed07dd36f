"""Issue 15, data loss: outputs over the plan, two writers, symlinks, read-only plans, a full
disk, signals during a write, a plan open in a spreadsheet. Real files, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from clirun import built_once, made_file

from retrosheet.cli import cli
from retrosheet.xlsx.safe import writer_lock

HERE = Path(__file__).parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(HERE.parent), os.environ.get("PYTHONPATH", "")])}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


def retrosheet(*args: str, cwd: Path, env: dict[str, str] | None = None,
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "retrosheet", *args], cwd=cwd,
                          capture_output=True, text=True, env=env or ENV, timeout=120)


def one_error_line(output: str) -> str:
    lines = [x for x in output.splitlines() if x.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("Erreur : "), output
    return lines[0]


@pytest.fixture
def plan(tmp_path: Path, small_csv: Path) -> Path:
    return made_file(tmp_path / "plan.xlsx", small_csv, "--release", "2027-05-14",
                     "--today", "2027-01-04")


def resaved(src: Path, dest: Path) -> Path:
    """The plan saved by another program (openpyxl): no cached values, so recompute has
    every date to write."""
    return built_once(dest, ("resaved", src.read_bytes()),
                      lambda d: openpyxl.load_workbook(src).save(d))


@pytest.fixture
def stale(plan: Path) -> Path:
    return resaved(plan, plan.with_name("stale.xlsx"))


@pytest.fixture(scope="module")
def big_stale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-task plan with every date to write: writes last long enough to be caught."""
    folder = tmp_path_factory.mktemp("big")
    rows = ["ID,Type,Axe,Action,Action (en),Responsable,Référence,Décalage,Unité,Durée,"
            "Relance,Plateforme,Objectif,Budget,Notes"]
    rows += [f"T{i:05d},Tâche,Radio,Action {i},Action {i},Manager,J,-{i % 300},jours,1,,,,,"
             for i in range(1, 3001)]
    csv = folder / "big.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fresh = folder / "fresh.xlsx"
    code, out = run("new", str(csv), "--release", "2027-05-14", "-o", str(fresh),
                    "--today", "2026-01-05")
    assert code == 0, out
    return resaved(fresh, folder / "big.xlsx")


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# ---- 2. an output never replaces the plan or another workbook ---------------------------

@pytest.mark.parametrize("cmd", [["report"], ["export"], ["export", "--format", "csv"],
                                 ["ics"]])
def test_output_over_the_plan_being_read_is_refused(plan: Path, cmd: list[str]) -> None:
    before = sha(plan)
    code, out = run(cmd[0], str(plan), *cmd[1:], "-o", str(plan))
    assert code == 2
    assert "est le plan en cours de lecture" in one_error_line(out)
    assert sha(plan) == before


def test_output_over_the_plan_through_a_symlink_or_another_name_is_refused(
        plan: Path) -> None:
    link = plan.with_name("report.md")
    link.symlink_to(plan.name)
    before = sha(plan)
    code, out = run("report", str(plan), "-o", str(link))
    assert code == 2, out
    assert "est le plan en cours de lecture" in one_error_line(out)
    assert sha(plan) == before and link.is_symlink()


@pytest.mark.parametrize("name", ["other.xlsx", "budget.ods", "disguised.txt", "new.xlsm"])
def test_output_over_any_workbook_is_refused(plan: Path, name: str) -> None:
    other = plan.with_name(name)
    if name != "new.xlsm":
        shutil.copy(plan, other)  # a workbook, whatever its name says
        before = sha(other)
    code, out = run("export", str(plan), "-o", str(other))
    assert code == 2
    assert "est un classeur" in one_error_line(out)
    if name == "new.xlsm":
        assert not other.exists()
    else:
        assert sha(other) == before


def test_text_output_replaces_last_weeks_file_whole(plan: Path) -> None:
    last = plan.with_name("semaine.md")
    last.write_text("last week\n", encoding="utf-8")
    os.chmod(last, 0o640)
    code, out = run("report", str(plan), "--as-of", "2027-04-19", "--format", "md", "-o",
                    str(last))
    assert code == 0, out
    assert last.read_text(encoding="utf-8").startswith("# Rapport")
    assert last.stat().st_mode & 0o777 == 0o640  # the file's permissions are kept
    assert leftovers(plan.parent, {"plan.xlsx", "semaine.md", "mini.csv"}) == []


# ---- 20. folders and missing folders: one line ------------------------------------------

@pytest.mark.parametrize("cmd", ["report", "export", "ics"])
def test_output_naming_a_folder_or_a_missing_folder(plan: Path, cmd: str) -> None:
    folder = plan.with_name("out")
    folder.mkdir()
    code, out = run(cmd, str(plan), "-o", str(folder))
    assert code == 2
    assert "est un dossier" in one_error_line(out)
    code, out = run(cmd, str(plan), "-o", str(plan.with_name("missing") / "x.txt"))
    assert code == 2
    assert "n'existe pas" in one_error_line(out)


def test_template_naming_a_folder(tmp_path: Path) -> None:
    for name in ("tpl.csv", "past.xlsx", "plain"):
        (tmp_path / name).mkdir()
        code, out = run("new", str(tmp_path / name), "--release", "2027-05-14", "-o",
                        str(tmp_path / "n.xlsx"))
        assert code == 2, out
        assert "est un dossier" in one_error_line(out) or "il faut le nom d'un modèle" in out
    assert not (tmp_path / "n.xlsx").exists()


# ---- 6, 7. symlinked and read-only plans -------------------------------------------------

def test_symlinked_plan_updates_the_target_and_keeps_the_link(stale: Path) -> None:
    synced = stale.parent / "Synced"
    synced.mkdir()
    target = synced / "plan.xlsx"
    shutil.move(stale, target)
    stale.symlink_to(target)
    code, out = run("recompute", str(stale))
    assert code == 0, out
    assert "mises à jour" in out
    assert stale.is_symlink() and stale.resolve() == target.resolve()
    code, out = run("recompute", str(target), "--dry-run")
    assert "0 cellule(s) à changer" in out  # the shared copy has the new dates
    assert leftovers(synced, {"plan.xlsx"}) == []


def test_report_write_sheet_through_a_symlink(plan: Path) -> None:
    target = plan.with_name("real.xlsx")
    shutil.move(plan, target)
    plan.symlink_to(target.name)
    code, out = run("report", str(plan), "--write-sheet", "--as-of", "2027-04-19")
    assert code == 0, out
    assert plan.is_symlink()
    assert "Rapport" in openpyxl.load_workbook(target, read_only=True).sheetnames


def test_read_only_plan_is_refused(stale: Path) -> None:
    os.chmod(stale, 0o444)
    before = sha(stale)
    for args in (["recompute", str(stale)], ["report", str(stale), "--write-sheet"]):
        code, out = run(*args)
        assert code == 2
        assert "lecture seule" in one_error_line(out)
    assert sha(stale) == before
    assert stale.stat().st_mode & 0o777 == 0o444


# ---- recompute with nothing to write on a plan open in a spreadsheet -------------------

@pytest.mark.parametrize("lock,app", [(".~lock.plan.xlsx#", "LibreOffice"),
                                      ("~$plan.xlsx", "Excel")])
def test_up_to_date_plan_open_in_a_spreadsheet_says_so(plan: Path, lock: str,
                                                       app: str) -> None:
    code, out = run("recompute", str(plan))
    assert "déjà à jour" in out
    (plan.parent / lock).write_text("someone,host,2027-01-04", encoding="utf-8")
    code, out = run("recompute", str(plan))
    assert code == 0
    assert "déjà à jour" not in out
    assert f"ouvert dans {app}" in out and "non enregistrées" in out


# ---- 5. two writers: retrosheet's own lock -----------------------------------------------

@pytest.mark.slow  # a 3,000-task plan written three times by two processes
def test_two_real_writers_at_once_lose_nothing(big_stale: Path, tmp_path: Path) -> None:
    """A weekly `report --write-sheet` and a teammate's `recompute`, started together:
    both succeed, and the file has both writes."""
    for attempt in range(3):  # three rounds, each a fresh race
        path = tmp_path / f"race{attempt}.xlsx"
        shutil.copy(big_stale, path)
        procs = [subprocess.Popen([sys.executable, "-m", "retrosheet", *args], cwd=tmp_path,
                                  env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
                 for args in (["report", path.name, "--write-sheet", "--as-of", "2027-04-19"],
                              ["recompute", path.name, "--today", "2027-01-04"])]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (_out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
        assert zipfile.ZipFile(path).testzip() is None
        assert "Rapport" in openpyxl.load_workbook(path, read_only=True).sheetnames
        check = retrosheet("recompute", path.name, "--dry-run", cwd=tmp_path)
        assert "0 cellule(s) à changer" in check.stdout, check.stdout + check.stderr


def test_second_writer_waits_for_the_first(stale: Path) -> None:
    released = threading.Event()

    def hold() -> None:
        with writer_lock(stale):
            time.sleep(1.0)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    proc = retrosheet("recompute", stale.name, cwd=stale.parent)
    holder.join()
    assert released.is_set()
    assert proc.returncode == 0, proc.stderr
    assert "mises à jour" in proc.stdout


def test_second_writer_refuses_in_one_line_when_the_first_lasts(stale: Path) -> None:
    before = sha(stale)
    env = {**ENV, "RETROSHEET_LOCK_WAIT": "0.3"}
    with writer_lock(stale):
        for args in (["recompute", stale.name], ["report", stale.name, "--write-sheet"]):
            proc = retrosheet(*args, cwd=stale.parent, env=env)
            assert proc.returncode == 2
            assert "une autre commande retrosheet" in one_error_line(proc.stderr)
    assert sha(stale) == before
    proc = retrosheet("recompute", stale.name, cwd=stale.parent, env=env)
    assert proc.returncode == 0, proc.stderr


# ---- 9. a signal during a write leaves no temporary file ---------------------------------

@pytest.mark.slow  # a 3,000-task plan, long enough to be caught mid-write
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_a_write_removes_the_temporary_file(big_stale: Path, tmp_path: Path,
                                                          signum: int) -> None:
    folder = tmp_path / "synced"
    folder.mkdir()
    path = folder / "plan.xlsx"
    shutil.copy(big_stale, path)
    before = sha(path)
    proc = subprocess.Popen([sys.executable, "-m", "retrosheet", "recompute", path.name],
                            cwd=folder, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    caught = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if leftovers(folder, {"plan.xlsx"}):  # the temporary file exists: mid-write
            proc.send_signal(signum)
            caught = True
            break
        time.sleep(0.001)
    proc.communicate(timeout=60)
    if not caught:
        pytest.skip("the write ended before the test could see its temporary file")
    assert proc.returncode == 128 + signum
    assert leftovers(folder, {"plan.xlsx"}) == []
    assert sha(path) == before


# ---- 8. a full disk: one line, exit 2, nothing truncated ---------------------------------

def _full_disk_available() -> str | None:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return "needs Linux and unshare(1) to mount a private tmpfs"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "mount -t tmpfs -o size=64k none /mnt 2>&1 || "
                            "mount -t tmpfs -o size=64k none /tmp"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a user namespace here: {probe.stderr.strip()}"
    return None


FULL_DISK_SKIP = _full_disk_available()


def on_full_disk(tmp_path: Path, files: dict[str, Path], argv: list[str],
                 watch: tuple[str, ...] = ()) -> dict[str, object]:
    if FULL_DISK_SKIP:
        pytest.skip(FULL_DISK_SKIP)
    mount = tmp_path / "disk"
    mount.mkdir(exist_ok=True)
    spec = {"mount": str(mount), "size": "2m", "argv": argv, "watch": list(watch),
            "files": {k: str(v) for k, v in files.items()}}
    proc = subprocess.run(["unshare", "-rm", sys.executable, str(HERE / "fulldisk.py"),
                           json.dumps(spec)], capture_output=True, text=True, env=ENV,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    assert result["free_blocks"] == 0
    return result


@pytest.mark.parametrize("argv,out", [
    (["report", "plan.xlsx", "-o", "last.md"], "last.md"),
    (["export", "plan.xlsx", "--format", "csv", "-o", "last.md"], "last.md"),
    (["ics", "plan.xlsx", "-o", "last.md"], "last.md"),
    (["recompute", "stale.xlsx"], "stale.xlsx"),
    (["report", "plan.xlsx", "--write-sheet"], "plan.xlsx"),
])
def test_full_disk_leaves_every_file_whole(tmp_path: Path, plan: Path, stale: Path,
                                           argv: list[str], out: str) -> None:
    last = tmp_path / "last.md"
    last.write_text("last week's report\n" * 20, encoding="utf-8")
    res = on_full_disk(tmp_path, {"plan.xlsx": plan, "stale.xlsx": stale, "last.md": last},
                       argv)
    assert res["code"] == 2, res
    line = one_error_line(str(res["stderr"]))
    assert "No space left on device" in line and out in line
    assert res["after"] == res["before"]
    assert res["listing"] == ["filler", "last.md", "plan.xlsx", "stale.xlsx"]


def test_full_disk_new_plan(tmp_path: Path, small_csv: Path) -> None:
    res = on_full_disk(tmp_path, {"mini.csv": small_csv},
                       ["new", "mini.csv", "--release", "2027-05-14", "-o", "n.xlsx"],
                       watch=("n.xlsx",))
    assert res["code"] == 2, res
    assert "No space left on device" in one_error_line(str(res["stderr"]))
    assert res["listing"] == ["filler", "mini.csv"]
