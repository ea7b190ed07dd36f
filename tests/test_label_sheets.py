"""A label report over plans in Google Sheets and files: one read request per Sheet,
and reads paced under Google's per-minute quota when there are many."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SINGLE
from sheets_standin import StandIn, Store

from retrosheet.cli import cli
from retrosheet.model import Plan, Settings
from retrosheet.portfolio import Pacer, read_all

URL = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)/edit")


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    with StandIn() as server:
        for k, v in server.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
        monkeypatch.setattr("retrosheet.gsheets.client._sleep", lambda s: None)
        yield server.store


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def new_sheet(title: str, release: str) -> str:
    code, out, err = run("new", SINGLE, "--release", release, "--gsheet-new", title,
                         "--title", title, "--today", "2027-03-01")
    assert code == 0, out + err
    m = URL.search(out)
    assert m, out
    return m.group(1)


def test_sheets_and_files_in_one_report_one_read_each(store: Store, tmp_path: Path) -> None:
    a = new_sheet("Nuit blanche", "2027-05-14")
    b = new_sheet("Aube", "2027-06-11")
    f = tmp_path / "echos.xlsx"
    assert run("new", SINGLE, "--release", "2027-05-21", "--title", "Échos", "-o", str(f),
               "--today", "2027-03-01")[0] == 0
    store.reset_log()
    code, out, err = run("report", a, f"https://docs.google.com/spreadsheets/d/{b}/edit",
                         str(f), "--as-of", "2027-04-28", "--format", "json")
    assert code == 0, err
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.get"]
    assert '"title": "Nuit blanche"' in out and '"title": "Aube"' in out
    assert '"title": "Échos"' in out


def test_a_missing_sheet_is_listed_and_the_others_reported(store: Store) -> None:
    a = new_sheet("Nuit blanche", "2027-05-14")
    missing = "1" * 44
    code, out, err = run("report", a, missing, "--as-of", "2027-04-28")
    assert code == 2
    assert "Nuit blanche" in out
    assert err.startswith(f"Illisible : {missing} : la feuille {missing} introuvable (404)")


def test_a_sheet_by_url_and_by_key_is_read_once_and_named_by_its_key(store: Store) -> None:
    """An address's last part is "edit": the report names a Sheet by its key, read once
    however it is given; a missing Sheet given by address is named by its key too."""
    a = new_sheet("Nuit blanche", "2027-05-14")
    missing = "1" * 44
    store.reset_log()
    code, out, err = run("report", f"https://docs.google.com/spreadsheets/d/{a}/edit#gid=0", a,
                         f"https://docs.google.com/spreadsheets/d/{missing}/edit",
                         "--as-of", "2027-04-28", "--format", "json")
    assert code == 2
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.get"]
    data = json.loads(out)
    assert [r["name"] for r in data["releases"]] == [a]
    assert [u["name"] for u in data["unreadable"]] == [missing]
    assert err.startswith(f"Illisible : {missing} : ")


def test_pacer_spaces_reads_across_threads() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)

    pacer = Pacer(1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        pacer.wait()
    assert waits == [1.0, 2.0, 3.0]  # the first goes at once, then one a second
    now[0] = 110.0
    pacer.wait()
    assert waits == [1.0, 2.0, 3.0]  # the quota's window has passed: no wait


def _empty_plan(spec: str) -> Plan:
    return Plan(Settings(release=dt.date(2027, 5, 14)), [])


def test_more_sheets_than_the_quota_are_paced(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[str] = []
    monkeypatch.setattr("retrosheet.portfolio.Pacer.wait", lambda self: waited.append("w"))
    specs = [f"sheet{i}" for i in range(61)] + ["file.xlsx"]
    plans, failed = read_all(specs, _empty_plan, is_sheet=lambda s: s.startswith("sheet"))
    assert len(plans) == 62 and not failed
    assert len(waited) == 61  # every Sheet read waits its turn, the file does not
    waited.clear()
    read_all(specs[:60], _empty_plan, is_sheet=lambda s: True)
    assert waited == []  # within the quota: no pacing
