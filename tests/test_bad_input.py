"""A corpus of bad workbooks and files: every command refuses them in one clear line.

Each case is built in the test from a small generated plan (a copy of tests/conftest.py's
six-task template) whose XML is edited the way a user's typing would change it, or is a
file that is not a workbook at all. For each, `recompute`, `check` and `export` run through click's
CliRunner and must: exit 2 (1 for `check` when the problem is one of its findings, such as
a cycle or a duplicate ID); print one line (two at most) starting with "Erreur : " that names
the sheet and the cell, and the task where there is one; never show a traceback; leave
the file byte-identical.

Then the inputs that look bad but must work (an empty Planning, a lock file for reading,
a huge cell, formula-like text in a template, the 1904 date system, a release date typed
as ISO text).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SMALL_CSV
from lxml import etree

from retrosheet.cli import cli

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
N = {"m": MAIN}
RELEASE = "2027-05-14"
TODAY = "2027-03-01"
EPOCH = dt.date(1899, 12, 30)
EPOCH_1904_SHIFT = 1462  # days between the 1900 and 1904 date systems' serials
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
COMMANDS = ("recompute", "check", "export")

# Six tasks: units, chains, two anchors, a milestone, follow-up rules.
MINI_CSV = SMALL_CSV


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


# ---- editing a workbook's XML --------------------------------------------------------

def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _write(dest: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def _sheet_parts(files: dict[str, bytes]) -> dict[str, str]:
    rels = {r.get("Id"): r.get("Target", "")
            for r in _xml(files["xl/_rels/workbook.xml.rels"]).iter(f"{{{PKG_REL}}}Relationship")}
    out = {}
    for s in _xml(files["xl/workbook.xml"]).iter(f"{{{MAIN}}}sheet"):
        target = rels[s.get(f"{{{REL}}}id")]
        out[s.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheets in order ([] for a file that is not a workbook)."""
    try:
        files = _parts(path)
    except (zipfile.BadZipFile, OSError):
        return []
    if "xl/workbook.xml" not in files:
        return []
    return [s.get("name", "") for s in _xml(files["xl/workbook.xml"]).iter(f"{{{MAIN}}}sheet")]


def _col_num(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _split(ref: str) -> tuple[str, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m, ref
    return m.group(1), int(m.group(2))


class Formula(str):
    """A cell value written as a formula (without '=')."""


def _set(root: etree._Element, ref: str, value: object) -> None:
    """Set a cell as a user's typing would: text, number, formula, or None to clear it."""
    col, r = _split(ref)
    data = root.find("m:sheetData", N)
    assert data is not None
    row = next((x for x in data.iterfind("m:row", N) if x.get("r") == str(r)), None)
    if row is None:
        row = etree.Element(f"{{{MAIN}}}row", r=str(r))
        later = [x for x in data.iterfind("m:row", N) if int(x.get("r", "0")) > r]
        if later:
            later[0].addprevious(row)
        else:
            data.append(row)
    c = next((x for x in row.iterfind("m:c", N) if x.get("r") == ref), None)
    if value is None:
        if c is not None:
            row.remove(c)
        return
    if c is None:
        c = etree.Element(f"{{{MAIN}}}c", r=ref)
        later = [x for x in row.iterfind("m:c", N) if _col_num(_split(x.get("r", ""))[0])
                 > _col_num(col)]
        if later:
            later[0].addprevious(c)
        else:
            row.append(c)
    for child in list(c):
        c.remove(child)
    c.attrib.pop("t", None)
    _cover(root, col, r)
    if isinstance(value, Formula):
        etree.SubElement(c, f"{{{MAIN}}}f").text = str(value)
    elif isinstance(value, str):
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, f"{{{MAIN}}}is"), f"{{{MAIN}}}t")
        t.text = value
    elif isinstance(value, bool | int | float):
        etree.SubElement(c, f"{{{MAIN}}}v").text = repr(value)
    else:
        raise TypeError(value)


def _cover(root: etree._Element, col: str, r: int) -> None:
    """Grow the sheet's <dimension> over a new cell, as Excel does when it saves."""
    dim = root.find("m:dimension", N)
    if dim is None or ":" not in dim.get("ref", ""):
        return
    first, last = dim.get("ref", "").split(":")
    last_col, last_row = _split(last)
    if _col_num(col) > _col_num(last_col):
        last_col = col
    dim.set("ref", f"{first}:{last_col}{max(r, last_row)}")


def _sst(files: dict[str, bytes]) -> list[str]:
    return ["".join(si.itertext())
            for si in _xml(files["xl/sharedStrings.xml"]).iterfind("m:si", N)]


def task_rows(path: Path) -> dict[str, int]:
    """ID → row in the generated plan's Planning sheet."""
    files = _parts(path)
    root = _xml(files[_sheet_parts(files)["Planning"]])
    sst = _sst(files)
    out = {}
    for c in root.iterfind("m:sheetData/m:row/m:c", N):
        col, r = _split(c.get("r", ""))
        if col == "A" and r > 1:
            v = c.find("m:v", N)
            assert v is not None and c.get("t") == "s"
            out[sst[int(v.text or "0")]] = r
    return out


def resolve(ref: str, rows: dict[str, int]) -> str:
    """`G:T010` is column G on the row of task T010; `G5` is G5."""
    if ":" in ref:
        col, task = ref.split(":")
        return f"{col}{rows[task]}"
    return ref


def edit(base: Path, dest: Path, edits: dict[str, dict[str, object]]) -> Path:
    """A copy of `base` with cells of named sheets set ({sheet: {ref: value}})."""
    files = _parts(base)
    sheets = _sheet_parts(files)
    rows = task_rows(base)
    for sheet, cells in edits.items():
        root = _xml(files[sheets[sheet]])
        for ref, value in cells.items():
            _set(root, resolve(ref, rows), value)
        files[sheets[sheet]] = _bytes(root)
    _write(dest, files)
    return dest


def rename_sheet(base: Path, dest: Path, old: str, new: str) -> Path:
    files = _parts(base)
    files["xl/workbook.xml"] = files["xl/workbook.xml"].replace(
        f'name="{old}"'.encode(), f'name="{new}"'.encode())
    _write(dest, files)
    return dest


def header_only(base: Path, dest: Path) -> Path:
    """Planning with its header row and no task row (the table ref kept on row 2)."""
    files = _parts(base)
    part = _sheet_parts(files)["Planning"]
    root = _xml(files[part])
    data = root.find("m:sheetData", N)
    assert data is not None
    for row in list(data):
        if row.get("r") != "1":
            data.remove(row)
    files[part] = _bytes(root)
    _write(dest, files)
    return dest


def to_1904(base: Path, dest: Path) -> Path:
    """The same plan saved in the 1904 date system: every date serial 1462 lower."""
    files = _parts(base)
    files["xl/workbook.xml"] = files["xl/workbook.xml"].replace(
        b"<workbookPr ", b'<workbookPr date1904="1" ')
    sheets = _sheet_parts(files)
    date_styles = _date_styles(files)
    for name in ("Planning", "Paramètres", "Tableau de bord"):
        root = _xml(files[sheets[name]])
        for c in root.iterfind("m:sheetData/m:row/m:c", N):
            v = c.find("m:v", N)
            if c.get("s") in date_styles and v is not None and c.get("t") is None:
                v.text = str(int(float(v.text or "0")) - EPOCH_1904_SHIFT)
        files[sheets[name]] = _bytes(root)
    _write(dest, files)
    return dest


def _date_styles(files: dict[str, bytes]) -> set[str]:
    """Indexes of cell styles whose number format shows a date."""
    styles = _xml(files["xl/styles.xml"])
    formats = {f.get("numFmtId"): f.get("formatCode", "")
               for f in styles.iterfind("m:numFmts/m:numFmt", N)}
    out = set()
    for i, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", N)):
        code = formats.get(xf.get("numFmtId"), "")
        if "yy" in code or "dd" in code or xf.get("numFmtId") in ("14", "15", "16"):
            out.add(str(i))
    return out


# ---- the corpus ---------------------------------------------------------------------------

Builder = Callable[[Path, Path], Path]  # (base plan, destination folder) → file to test


def cells(edits: dict[str, dict[str, object]]) -> Builder:
    return lambda base, folder: edit(base, folder / "plan.xlsx", edits)


def planning(edits: dict[str, object]) -> Builder:
    return cells({"Planning": edits})


def raw(data: bytes) -> Builder:
    def build(base: Path, folder: Path) -> Path:
        path = folder / "plan.xlsx"
        path.write_bytes(data)
        return path
    return build


def zipped(files: dict[str, bytes]) -> Builder:
    def build(base: Path, folder: Path) -> Path:
        path = folder / "plan.xlsx"
        _write(path, files)
        return path
    return build


def truncated(base: Path, folder: Path) -> Path:
    path = folder / "plan.xlsx"
    data = base.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def ole_encrypted(base: Path, folder: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE compound file."""
    path = folder / "plan.xlsx"
    path.write_bytes(OLE_SIGNATURE + bytes(504) + b"EncryptionInfo\x00EncryptedPackage" * 40)
    return path


def damaged_sheet_xml(base: Path, folder: Path) -> Path:
    files = _parts(base)
    part = _sheet_parts(files)["Planning"]
    files[part] = files[part][: len(files[part]) // 2]
    path = folder / "plan.xlsx"
    _write(path, files)
    return path


def missing(base: Path, folder: Path) -> Path:
    return folder / "plan.xlsx"


def a_folder(base: Path, folder: Path) -> Path:
    path = folder / "plan.xlsx"
    path.mkdir()
    return path


@dataclass(frozen=True)
class Bad:
    """A bad input and what the commands must say about it.

    `message`: the exact text after "Erreur : " (recompute and export, and check when it
    exits 2; {sheets} is the workbook's sheet list); `pattern`: a regular expression for
    it instead; `where`: what the line must contain (by default the place `message` starts
    with); `says`: a word it must contain too. `finding`: the problem is one of check's
    findings, so `check` exits 1 with a finding line at `where`. `exits`: exit codes other
    than 2 that are right for a command.
    """

    name: str
    build: Builder
    message: str | None = None
    pattern: str | None = None
    where: str | None = None
    says: str = ""
    finding: bool = False
    exits: dict[str, int] = field(default_factory=dict)

    @property
    def place(self) -> str:
        if self.where is not None:
            return self.where
        assert self.message is not None, self.name
        return self.message.split(" : ")[0]


# Row of each task in the generated six-task plan (sorted by deadline).
R = {"T030": 2, "R030-1": 3, "T010": 4, "T040": 5, "R030-2": 6, "T020": 7, "R020-1": 8,
     "T050": 9, "T060": 10}


def at(col: str, row_of: str, task: str | None = None) -> str:
    """`Planning!G4 (T010)`: column `col` on the row of task `row_of`."""
    return f"Planning!{col}{R[row_of]} ({task or row_of})"


MOVED = {"Paramètres": {"B3": serial(dt.date(2027, 6, 4))}}

CASES: list[Bad] = [
    # -- missing columns --------------------------------------------------------------
    Bad("no ID column", planning({"A1": "Code"}),
        "Planning : aucun tableau Planning trouvé : aucune des 30 premières lignes n'a de "
        "colonne ID avec les autres en-têtes (Action, Dépend de…)"),
    Bad("no Dépend de column", planning({"F1": "Ancre perso"}),
        "Planning : le tableau Planning (ligne d'en-tête 1) n'a pas de colonne "
        "Dépend de/Depends on",
        says="Dépend de"),
    # export computes the plan without Échéance cells: a right answer, not an error.
    Bad("no Échéance column", planning({"K1": "Fin prévue le"}),
        "Planning : le tableau Planning (ligne d'en-tête 1) n'a pas de colonne "
        "Échéance/Deadline",
        exits={"export": 0}),
    # -- structure: check findings ----------------------------------------------------
    Bad("duplicate ID", planning({"A:T040": "T010"}),
        at("A", "T040", "T010") + " : ID 'T010' en double (aussi ligne 4)", finding=True),
    Bad("cycle", planning({"F:T010": "T040"}),
        at("F", "T040") + " : les dépendances forment une boucle : T010 → T040 → T010",
        finding=True),
    Bad("self anchor", planning({"F:T010": "T010"}),
        at("F", "T010") + " : les dépendances forment une boucle : T010 → T010", finding=True),
    Bad("unknown anchor", planning({"F:T010": "T999"}),
        at("F", "T010") + " : dépendance inconnue 'T999' : aucune tâche n'a cet ID", finding=True),
    Bad("unknown second anchor", planning({"F:T040": "T010,T998"}),
        at("F", "T040") + " : dépendance inconnue 'T998' : aucune tâche n'a cet ID", finding=True),
    Bad("ID J is reserved", planning({"A:T060": "J"}),
        at("A", "T060", "J") + " : l'ID 'J' est réservé au jour de sortie", finding=True),
    Bad("follow-up rule tomorrow", planning({"M:T010": "tomorrow"}),
        at("M", "T010") + " : la règle de relance 'tomorrow' n'est pas de la forme +14 "
        "ou +7 x2",
        finding=True),
    Bad("follow-up rule +0", planning({"M:T010": "+0"}),
        at("M", "T010") + " : règle de relance '+0' : le délai doit être d'au moins 1 jour",
        finding=True),
    Bad("follow-up rule x20", planning({"M:T010": "+7 x20"}),
        at("M", "T010") + " : règle de relance '+7 x20' : 20 relances, la limite est 10",
        finding=True),
    # -- numbers -------------------------------------------------------------------------
    # typed as the sheet shows it: the message gave "-28" whatever was typed
    Bad("offset typed as text", planning({"G:T010": "J-30"}),
        at("G", "T010") + " : Décalage 'J-30' est du texte : la feuille ne peut pas calculer "
        "avec ; tapez le nombre -30"),
    Bad("offset is text", planning({"G:T010": "abc"}),
        at("G", "T010") + " : décalage : 'abc' n'est pas un nombre"),
    Bad("offset 2.5", planning({"G:T010": 2.5}),
        at("G", "T010") + " : décalage : 2.5 n'est pas un nombre entier"),
    Bad("offset 99999", planning({"G:T010": 99999}),
        at("G", "T010") + " : le décalage 99999 dépasse la limite de ±3650 jours"),
    Bad("offset J+abc", planning({"G:T010": "J+abc"}),
        at("G", "T010") + " : décalage : 'J+abc' n'est pas un nombre"),
    Bad("duration 0", planning({"I:T020": 0}),
        at("I", "T020") + " : la durée 0 est inférieure à 1 jour ouvré"),
    Bad("duration -3", planning({"I:T020": -3}),
        at("I", "T020") + " : la durée -3 est inférieure à 1 jour ouvré"),
    Bad("duration 2.5", planning({"I:T020": 2.5}),
        at("I", "T020") + " : durée : 2.5 n'est pas un nombre entier"),
    Bad("duration 400", planning({"I:T020": 400}),
        at("I", "T020") + " : la durée 400 dépasse la limite de 366 jours ouvrés"),
    Bad("budget is text", planning({"R:T020": "beaucoup"}),
        at("R", "T020") + " : 'beaucoup' n'est pas un nombre"),
    # -- words ---------------------------------------------------------------------------
    Bad("unknown status", planning({"L:T020": "Peut-être"}),
        at("L", "T020") + " : Statut 'Peut-être' n'est pas une valeur de la liste : À faire, "
        "En cours, Fait, Bloqué, Annulé"),
    Bad("unknown type", planning({"B:T020": "Réunion"}),
        at("B", "T020") + " : Type 'Réunion' n'est pas une valeur de la liste : Tâche, Jalon, "
        "Sortie, Relance"),
    Bad("unknown unit", planning({"H:T020": "semaines"}),
        at("H", "T020") + " : Unité 'semaines' n'est pas une valeur de la liste : jours, "
        "jours ouvrés, jours fixes"),
    Bad("row without ID", planning({"A:T020": None}),
        f"Planning!A{R['T020']} : la tâche 'Mailing radios' n'a pas d'ID : tapez-en un "
        "qu'aucune autre ligne n'a (T205 entre T200 et T210, par exemple)"),
    Bad("total row below the table where a follow-up must go",
        planning({"M:T010": "+7", "D11": "Total", "R11": 230}),
        "Planning!A11 : la tâche 'Total' n'a pas d'ID : tapez-en un qu'aucune autre ligne "
        "n'a (T205 entre T200 et T210, par exemple)"),
    # -- typed dates ---------------------------------------------------------------------
    Bad("deadline serial out of range", planning({"K:T020": 3000000}),
        pattern=re.escape(at("K", "T020")) + r" : 3000000(\.0)? n'est pas un numéro de date "
        r"entre 1 et 2958465", where=at("K", "T020")),
    # The reader sees a time of day for a negative serial: the value typed is lost, so the
    # message says what kinds of value are not dates.
    Bad("deadline negative serial", planning({"K:T020": -5}),
        at("K", "T020") + " : une heure ou un nombre négatif n'est pas une date "
        "(écrivez jj/mm/aaaa)"),
    Bad("deadline text not a date", planning({"K:T020": "hier"}),
        at("K", "T020") + " : 'hier' n'est pas une date (écrivez jj/mm/aaaa ou aaaa-mm-jj)"),
    # -- settings ------------------------------------------------------------------------
    Bad("release date empty", cells({"Paramètres": {"B3": None}}),
        "Paramètres!B3 : la date de sortie est vide"),
    Bad("release date bientôt", cells({"Paramètres": {"B3": "bientôt"}}),
        "Paramètres!B3 : date de sortie : 'bientôt' n'est pas une date (écrivez jj/mm/aaaa "
        "ou aaaa-mm-jj)"),
    Bad("release date 99999999", cells({"Paramètres": {"B3": 99999999}}),
        pattern=r"Paramètres!B3 : date de sortie : 99999999(\.0)? n'est pas un numéro de date "
        r"entre 1 et 2958465", where="Paramètres!B3"),
    Bad("release date -1", cells({"Paramètres": {"B3": -1}}),
        "Paramètres!B3 : date de sortie : une heure ou un nombre négatif n'est pas une date "
        "(écrivez jj/mm/aaaa)"),
    Bad("release date 31/02/2027", cells({"Paramètres": {"B3": "31/02/2027"}}),
        "Paramètres!B3 : date de sortie : '31/02/2027' n'est pas une date (écrivez "
        "jj/mm/aaaa ou aaaa-mm-jj)"),
    Bad("release label missing", cells({"Paramètres": {"A3": "Sortie prévue"}}),
        "Paramètres : pas de date de sortie : écrivez-la à côté de 'Date de sortie (J)'"),
    Bad("unknown country", cells({"Paramètres": {"B7": "Atlantide"}}),
        where="Paramètres!B7", says="Atlantide"),
    Bad("unknown region", cells({"Paramètres": {"B8": "Atlantis"}}),
        where="Paramètres!B8", says="Atlantis"),
    # -- sheets --------------------------------------------------------------------------
    Bad("no Planning sheet",
        lambda base, folder: rename_sheet(base, folder / "plan.xlsx", "Planning", "Feuille1"),
        "plan.xlsx n'a pas de feuille Planning (feuilles : {sheets})"),
    Bad("no Paramètres sheet",
        lambda base, folder: rename_sheet(base, folder / "plan.xlsx", "Paramètres", "Réglages"),
        "plan.xlsx n'a pas de feuille Paramètres/Settings (feuilles : {sheets})"),
    Bad("damaged sheet XML", damaged_sheet_xml, where="plan.xlsx : la feuille 'Planning'"),
    # -- contacts ------------------------------------------------------------------------
    Bad("contact with an unknown reply",
        cells({"Contacts": {"A2": "C001", "C2": "Radio Nova", "F2": "T020", "H2": "Peut-être"}}),
        "Contacts!H2 (T020) : Réponse 'Peut-être' n'est pas une valeur de la liste : "
        "Sans réponse, Oui, Non"),
    Bad("contact sent on a bad date",
        cells({"Contacts": {"A2": "C001", "C2": "Radio Nova", "F2": "T020", "G2": "hier"}}),
        "Contacts!G2 (T020) : 'hier' n'est pas une date (écrivez jj/mm/aaaa ou "
        "aaaa-mm-jj)"),
    # -- not a workbook ------------------------------------------------------------------
    Bad("encrypted workbook (OLE)", ole_encrypted,
        pattern=r"plan\.xlsx .*(password|mot de passe|encrypt|chiffr|protect|protég).*",
        where="plan.xlsx"),
    Bad("truncated zip", truncated, where="plan.xlsx"),
    Bad("zip that is not a workbook", zipped({"notes.txt": b"hello"}), where="plan.xlsx"),
    Bad("text file named .xlsx", raw(b"ID;Action\nT010;Mixer\n"),
        "plan.xlsx n'est pas un classeur .xlsx/.xlsm (ce n'est pas un fichier zip)"),
    Bad("empty file", raw(b""),
        "plan.xlsx n'est pas un classeur .xlsx/.xlsm (ce n'est pas un fichier zip)"),
    Bad("a folder named plan.xlsx", a_folder, "plan.xlsx est un dossier, pas un classeur"),
    Bad("no such file", missing, pattern=r".*plan\.xlsx : fichier introuvable",
        where="plan.xlsx"),
]


def _today(command: str) -> tuple[str, ...]:
    return () if command == "export" else ("--today", TODAY)


def _params() -> list[object]:
    out = []
    for case in CASES:
        for command in COMMANDS:
            out.append(pytest.param(case, command, id=f"{case.name}-{command}"))
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-task plan every bad workbook is made from."""
    folder = tmp_path_factory.mktemp("base")
    csv = folder / "mini.csv"
    csv.write_text(MINI_CSV, encoding="utf-8")
    path = folder / "plan.xlsx"
    result = run("new", str(csv), "--release", RELEASE, "-o", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert task_rows(path) == R
    return path


def _snapshot(path: Path) -> tuple[bytes | None, list[str]]:
    data = path.read_bytes() if path.is_file() else None
    return data, sorted(p.name for p in path.parent.iterdir())


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.message is not None for c in CASES) >= 15


@pytest.mark.parametrize(("case", "command"), _params())
def test_bad_input_is_refused_in_one_line(case: Bad, command: str, base: Path,
                                          tmp_path: Path) -> None:
    path = case.build(base, tmp_path)
    before = _snapshot(path)
    result = run(command, str(path), *_today(command))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    assert _snapshot(path) == before  # the file is byte-identical, no temporary is left

    if command in case.exits:
        expected = {case.exits[command]}
    elif command == "check":  # an error (2), or one of check's findings (1)
        expected = {1} if case.finding else {1, 2}
    else:
        expected = {2}
    assert result.exit_code in expected, result.output
    if result.exit_code == 0:
        return
    if result.exit_code == 1:  # check lists its findings: one of them is this problem, located
        assert "Erreur" not in result.stdout
        lines = result.stdout.splitlines()
        assert any(line.startswith(f"{case.place} erreur :") and case.says in line
                   for line in lines), lines
        return
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, lines
    assert lines[0].startswith("Erreur : ")
    text = lines[0].removeprefix("Erreur : ")
    if case.message is not None:
        assert text == case.message.format(sheets=", ".join(sheet_names(path)))
    if case.pattern is not None:
        assert re.fullmatch(case.pattern, text, re.IGNORECASE), text
    assert case.place in text and case.says in text


# ---- the valid or special cases -----------------------------------------------------------

def _export(path: Path) -> dict[str, object]:
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_a_planning_with_only_its_header_has_nothing_to_do(base: Path, tmp_path: Path) -> None:
    """Decided: an empty Planning is not an error; recompute says the plan is up to date."""
    path = header_only(base, tmp_path / "plan.xlsx")
    before = path.read_bytes()
    result = run("recompute", str(path), "--today", TODAY)
    assert (result.exit_code, result.stdout) == (0, "plan.xlsx : déjà à jour\n")
    result = run("check", str(path), "--today", TODAY)
    assert (result.exit_code, result.stdout) == (0, "Aucun problème trouvé.\n")
    assert _export(path)["tasks"] == []
    assert path.read_bytes() == before


@pytest.mark.parametrize("lock", [".~lock.{name}#", "~${name}"],
                         ids=["LibreOffice", "Excel"])
def test_a_plan_open_in_a_spreadsheet_is_not_written(lock: str, base: Path,
                                                     tmp_path: Path) -> None:
    path = edit(base, tmp_path / "plan.xlsx", MOVED)  # the release moved: dates to rewrite
    lock_file = tmp_path / lock.format(name=path.name)
    lock_file.write_bytes(b"Jean,PC-JEAN,2027-03-01")
    before = _snapshot(path)
    result = run("recompute", str(path), "--today", TODAY)
    assert result.exit_code == 2
    assert result.stderr == (f"Erreur : plan.xlsx est ouvert dans un tableur (fichier de verrou "
                             f"{lock_file.name}) : fermez-le d'abord\n")
    assert _snapshot(path) == before
    # Reading is harmless: a dry run, check and export work on the open file.
    dry = run("recompute", str(path), "--dry-run", "--today", TODAY)
    assert dry.exit_code == 0 and "rien n'est écrit (--dry-run)" in dry.stdout
    assert run("check", str(path), "--today", TODAY).exit_code == 0
    assert _export(path)["release"] == "2027-06-04"
    assert _snapshot(path) == before
    lock_file.unlink()
    assert run("recompute", str(path), "--today", TODAY).exit_code == 0


def test_a_note_below_the_table_is_not_overwritten_by_a_followup(base: Path,
                                                                 tmp_path: Path) -> None:
    path = edit(base, tmp_path / "plan.xlsx", {"Planning": {"M:T010": "+7", "AZ11": "à voir"}})
    before = path.read_bytes()
    result = run("recompute", str(path), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Erreur : Planning!A11")
    assert path.read_bytes() == before


def test_a_huge_cell_still_works(base: Path, tmp_path: Path) -> None:
    """A 100,000-character Action (beyond Excel's 32,767) is read and kept as it is."""
    action = "Relancer " + "x" * 99_991
    path = edit(base, tmp_path / "plan.xlsx", {"Planning": {"D:T010": action}, **MOVED})
    result = run("recompute", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "cellule(s) mises à jour" in result.stdout
    tasks = _export(path)["tasks"]
    assert isinstance(tasks, list)
    assert next(t for t in tasks if t["id"] == "T010")["action"] == action
    assert run("check", str(path), "--today", TODAY).exit_code == 0


def _template(tmp_path: Path, changes: dict[tuple[str, str], str]) -> Path:
    """MINI_CSV with cells replaced: {(task, column header): text}."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(MINI_CSV)))
    head = rows[0]
    for (task, column), text in changes.items():
        row = next(r for r in rows if r[0] == task)
        row[head.index(column)] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / "modele.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


INJECTIONS = {
    ("T010", "Action"): '=HYPERLINK("http://evil","x")',
    ("T020", "Plateforme"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("T030", "Notes"): "+33 6 12 34 56 78",
    ("T040", "Responsable"): "-Jean",
    ("T060", "Action"): "=1+1",
}


def test_formula_injection_in_a_template_ends_up_as_text(tmp_path: Path) -> None:
    template = _template(tmp_path, INJECTIONS)
    path = tmp_path / "plan.xlsx"
    result = run("new", str(template), "--release", RELEASE, "-o", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    files = _parts(path)
    sheet = _xml(files[_sheet_parts(files)["Planning"]])
    sst = _sst(files)
    texts: dict[str, list[tuple[str, bool]]] = {}
    for c in sheet.iterfind("m:sheetData/m:row/m:c", N):
        v = c.find("m:v", N)
        if c.get("t") == "s" and v is not None:
            texts.setdefault(sst[int(v.text or "0")], []).append(
                (c.get("r", ""), c.find("m:f", N) is not None))
    for text in INJECTIONS.values():
        assert text in texts, text  # a string cell holding exactly the template's text
        assert not any(is_formula for _, is_formula in texts[text])
    formulas = [f.text or "" for f in sheet.iter(f"{{{MAIN}}}f")]
    assert not any("HYPERLINK" in f or "evil" in f or "calc" in f for f in formulas)
    # T020's follow-up row copies its platform: still text after a recompute adds rows.
    again = edit(path, tmp_path / "again.xlsx", {"Planning": {"M:T040": "+3"}})
    assert run("recompute", str(again), "--today", TODAY).exit_code == 0
    files = _parts(again)
    sheet = _xml(files[_sheet_parts(files)["Planning"]])
    assert not any("HYPERLINK" in (f.text or "") or "calc" in (f.text or "")
                   for f in sheet.iter(f"{{{MAIN}}}f"))
    tasks = _export(again)["tasks"]
    assert isinstance(tasks, list)
    by_id = {t["id"]: t for t in tasks}
    assert by_id["T010"]["action"] == INJECTIONS[("T010", "Action")]
    assert by_id["R040-1"]["owner"] == "-Jean"


def test_a_template_text_too_long_for_excel_is_not_cut_silently(tmp_path: Path) -> None:
    template = _template(tmp_path, {("T020", "Action"): "y" * 100_000})
    path = tmp_path / "plan.xlsx"
    result = run("new", str(template), "--release", RELEASE, "-o", str(path), "--today", TODAY)
    told = "T020" in result.stderr and ("32767" in result.stderr or "32 767" in result.stderr)
    refused = result.exit_code == 2 and "T020" in result.stderr
    assert told or refused, (result.exit_code, result.output)


def _export_dates(path: Path) -> list[tuple[str, str, str]]:
    tasks = _export(path)["tasks"]
    assert isinstance(tasks, list)
    return [(t["id"], t["start"], t["deadline"]) for t in tasks]


def test_the_1904_date_system_gives_the_same_dates(base: Path, tmp_path: Path) -> None:
    path = to_1904(base, tmp_path / "plan.xlsx")
    assert b'date1904="1"' in _parts(path)["xl/workbook.xml"]
    assert _export(path)["release"] == RELEASE
    assert _export_dates(path) == _export_dates(base)
    result = run("check", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output


def test_recompute_of_a_1904_workbook_writes_1904_dates(base: Path, tmp_path: Path) -> None:
    path = to_1904(base, tmp_path / "plan.xlsx")
    before = path.read_bytes()
    result = run("recompute", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("plan.xlsx : déjà à jour"), result.stdout
    assert path.read_bytes() == before


def test_new_from_a_1904_plan_keeps_the_release_asked_for(base: Path, tmp_path: Path) -> None:
    past = to_1904(base, tmp_path / "past.xlsx")
    dest = tmp_path / "next.xlsx"
    result = run("new", "--from", str(past), "--release", "2027-09-10", "-o", str(dest))
    assert result.exit_code == 0, result.output
    assert _export(dest)["release"] == "2027-09-10"


def test_a_release_date_typed_as_text_is_named_unless_iso(base: Path, tmp_path: Path) -> None:
    """Text the spreadsheet converts with its own locale (04/06/2027 is April 6 in en-US)
    is refused at its cell (issue 15, item 15); ISO text reads the same everywhere."""
    for text in ("14/05/2027", "04/06/2027"):
        path = edit(base, tmp_path / "plan.xlsx", {"Paramètres": {"B3": text}})
        before = path.read_bytes()
        for command in ("recompute", "export"):
            result = run(command, str(path), *(("--today", TODAY) if command == "recompute"
                                               else ()))
            assert result.exit_code == 2, result.output
            assert result.output.startswith(f"Erreur : Paramètres!B3 : la date de sortie "
                                            f"{text!r} est du texte"), result.output
        assert path.read_bytes() == before
    iso = edit(base, tmp_path / "iso.xlsx", {"Paramètres": {"B3": "2027-06-04"}})
    result = run("recompute", str(iso), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert _export(iso)["release"] == "2027-06-04"
    assert ("T050", "2027-06-04", "2027-06-04") in _export_dates(iso)


def test_an_english_plan_is_told_its_problems_in_english(tmp_path: Path) -> None:
    """Issue 11, item 7: every problem in one run, in the plan's language, an unknown status
    named with the values the plan's own list accepts."""
    csv = tmp_path / "mini.csv"
    csv.write_text(MINI_CSV, encoding="utf-8")
    base = tmp_path / "base.xlsx"
    made = run("new", str(csv), "--release", RELEASE, "--lang", "en", "-o", str(base),
               "--today", TODAY)
    assert made.exit_code == 0, made.output
    path = edit(base, tmp_path / "plan.xlsx", {"Planning": {
        "L:T020": "Peut-être", "F:T010": "T999", "G:T040": "abc"}})
    before = path.read_bytes()
    result = run("export", str(path))
    assert result.exit_code == 2, result.output
    rows = task_rows(base)
    assert result.stderr.splitlines() == [
        f"Error: Planning!G{rows['T040']} (T040): offset: 'abc' is not a number",
        f"Planning!L{rows['T020']} (T020): Status 'Peut-être' is not one of To do, "
        "In progress, Done, Blocked, Cancelled",
        f"Planning!F{rows['T010']} (T010): unknown anchor 'T999': no task has that ID",
    ]
    assert path.read_bytes() == before


def test_bad_input_leaves_no_copy_behind(base: Path, tmp_path: Path) -> None:
    """A refused recompute leaves the folder as it was (no temporary file)."""
    shutil.copyfile(base, tmp_path / "ok.xlsx")
    bad = edit(base, tmp_path / "plan.xlsx", {"Planning": {"F:T010": "T999"}, **MOVED})
    listing = sorted(p.name for p in tmp_path.iterdir())
    assert run("recompute", str(bad), "--today", TODAY).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
