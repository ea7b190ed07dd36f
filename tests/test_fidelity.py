"""Fidelity (issue 3): `recompute` on a workbook a user has worked in for weeks changes
only what retrosheet owns and carries every other byte over.

How the "user" workbooks are made, each treated as the baseline once written:

* ``openpyxl``: a generated plan loaded and saved by openpyxl with a user's additions: an
  extra sheet with formulas, merged cells and a chart; a user column "Mon suivi" right
  after the week strip (a formula, a hyperlink, a comment, a list validation and a
  conditional format of the user's own); comments, fills and fonts on task cells; a
  defined name; an image; another frozen pane; statuses set to Fait; a result and a spend;
  a changed release date in Paramètres!B3; a new follow-up rule "+7 x2" on a task that had
  none; a note typed over a generated follow-up note; two contacts. openpyxl's own save
  loses cached values, so the file it writes (not the generated one) is the baseline.
* ``xml``: the same kind of edits made directly in the generated file's XML, so cached
  values, shared strings and XlsxWriter's own markup are all still there.
* ``xlsm``: the generated plan made into a macro workbook by hand (the route that does not
  depend on how any writer rebuilds a workbook): ``xl/vbaProject.bin`` taken from the
  installed xlwings (``quickstart_standalone.xlsm``), a form button whose VML XlsxWriter
  wrote (``insert_button`` in a throw-away .xlsm), their relationships and content types
  added to the zip; then the user's openpyxl edits with ``keep_vba=True``, as a user's
  own script would make them. openpyxl keeps the VBA project and merges the comments into
  the button's VML part.

Then every zip part but the Planning (and Contacts) sheet part and the grown table part
must be byte-identical; inside those, every cell retrosheet does not own must be
unchanged, element for element, and the rest of the sheet's XML unchanged except the
ranges stretched over the appended rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import json
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SINGLE
from lxml import etree

from retrosheet.cli import cli

try:
    import PIL  # noqa: F401  (openpyxl needs Pillow to add an image)

    HAVE_PIL = True
except ImportError:  # pragma: no cover - Pillow belongs to the test extra
    HAVE_PIL = False

RELEASE = "2027-05-14"
NEW_RELEASE = dt.date(2027, 6, 4)
NEXT_RELEASE = dt.date(2028, 1, 14)
TODAY = "2027-03-01"
EPOCH = dt.date(1899, 12, 30)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
N = {"m": MAIN}

GENERATED_NOTE = "Relance générée par la règle"
USER_NOTE = "Appelé Jean, rappeler lundi"
DONE_TASKS = ("T010", "T030", "T040")
NEW_RULE_TASK = "T020"  # "+7 x2": it had no rule
FAR_COL = "BZ"  # a user column far to the right, past empty columns
VARIANTS = ("openpyxl", "xml", "xlsm")

# Planning columns of a generated French plan.
COL = {"id": "A", "type": "B", "anchor": "F", "offset": "G", "start": "J", "deadline": "K",
       "status": "L", "followup": "M", "result": "Q", "spent": "S", "notes": "T"}


# ---- small helpers -------------------------------------------------------------------

def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def serial(day: dt.date) -> int:
    return (day - EPOCH).days


def from_serial(text: str) -> dt.date:
    return EPOCH + dt.timedelta(days=int(float(text)))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(huge_tree=True))


def xml_bytes(el: etree._Element) -> bytes:
    return bytes(etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True))


def rels_of(files: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part)."""
    folder, name = posixpath.split(part)
    data = files.get(posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return {}
    out = {}
    for rel in xml(data).iter(f"{{{PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        path = (target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target)))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def sheet_part(files: dict[str, bytes], name: str) -> str:
    rels = rels_of(files, "xl/workbook.xml")
    for sheet in xml(files["xl/workbook.xml"]).iter(f"{{{MAIN}}}sheet"):
        if sheet.get("name") == name:
            return rels[sheet.get(f"{{{REL}}}id", "")][1]
    raise KeyError(name)


def table_part(files: dict[str, bytes], sheet: str) -> str:
    (part,) = [p for t, p in rels_of(files, sheet).values() if t == "table"]
    return part


def split_ref(ref: str) -> tuple[str, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    assert m, ref
    return m.group(1), int(m.group(2))


def col_num(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cells(root: etree._Element) -> dict[str, etree._Element]:
    return {c.get("r", ""): c for c in root.iterfind("m:sheetData/m:row/m:c", N)}


def rows(root: etree._Element) -> dict[int, etree._Element]:
    return {int(r.get("r", "0")): r for r in root.iterfind("m:sheetData/m:row", N)}


def shared_strings(files: dict[str, bytes]) -> list[str]:
    data = files.get("xl/sharedStrings.xml")
    if data is None:
        return []
    return ["".join(si.itertext()) for si in xml(data).iterfind("m:si", N)]


def text_of(c: etree._Element | None, sst: list[str]) -> str:
    """A cell's value as text: shared and inline strings resolved, '' when empty."""
    if c is None:
        return ""
    if c.get("t") == "inlineStr":
        return "".join(c.find("m:is", N).itertext())  # type: ignore[union-attr]
    v = c.find("m:v", N)
    if v is None or v.text is None:
        return ""
    return sst[int(v.text)] if c.get("t") == "s" else v.text


def formula_of(c: etree._Element | None) -> str | None:
    f = None if c is None else c.find("m:f", N)
    return None if f is None else (f.text or "")


@dataclass
class Sheet:
    """One worksheet part, parsed, with its strings resolved."""

    root: etree._Element
    sst: list[str]

    @classmethod
    def of(cls, path: Path, name: str) -> Sheet:
        files = parts(path)
        return cls(xml(files[sheet_part(files, name)]), shared_strings(files))

    @functools.cached_property  # read once: text() asks it for every cell
    def cells(self) -> dict[str, etree._Element]:
        return cells(self.root)

    def text(self, ref: str) -> str:
        return text_of(self.cells.get(ref), self.sst)

    def task_rows(self) -> dict[str, int]:
        """ID → row of every Planning row below the header with an ID."""
        out = {}
        for ref, c in self.cells.items():
            col, row = split_ref(ref)
            if col == "A" and row > 1 and text_of(c, self.sst):
                out[text_of(c, self.sst)] = row
        return out


# ---- building the user's workbooks ---------------------------------------------------

def add_user_edits_with_openpyxl(src: Path, dest: Path, user_col: str,
                                 image: Path | None) -> None:
    """What a user adds to a plan over weeks, written by openpyxl (the baseline)."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    keep_vba = src.suffix == ".xlsm"
    wb = openpyxl.load_workbook(src, keep_vba=keep_vba)
    ws = wb["Planning"]
    ids = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    last = ws.max_row
    for task in DONE_TASKS:
        ws[f"{COL['status']}{ids[task]}"] = "Fait"
    ws[f"{COL['followup']}{ids[NEW_RULE_TASK]}"] = "+7 x2"
    ws[f"{COL['result']}{ids['T090']}"] = 4
    ws[f"{COL['spent']}{ids[NEW_RULE_TASK]}"] = 750
    ws[f"{COL['notes']}{ids['R090-1']}"] = USER_NOTE
    u = user_col
    ws[f"{u}1"] = "Mon suivi"
    ws[f"{u}1"].font = Font(bold=True, color="FFFFFF")
    ws[f"{u}1"].fill = PatternFill("solid", fgColor="7030A0")
    ws[f"{u}2"] = "=K2-J2"
    ws[f"{u}3"] = "Oui"
    ws[f"{u}3"].comment = Comment("Confirmé par mail", "Moi")
    ws[f"{u}4"] = "site"
    ws[f"{u}4"].hyperlink = "https://example.org/"
    ws["D5"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["E6"].font = Font(bold=True, italic=True, color="FF0000")
    ws["D2"].comment = Comment("Vérifier avec Jean", "Moi")
    dv = DataValidation(type="list", formula1='"Oui,Non"', allow_blank=True)
    dv.add(f"{u}2:{u}{last}")  # ends on the table's last row: stretched like the table
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(f"{u}2:{u}100", CellIsRule(
        operator="equal", formula=['"Non"'], fill=PatternFill("solid", fgColor="FF9999")))
    ws.column_dimensions[u].width = 18
    ws[f"{FAR_COL}1"] = "Contact presse"  # a far column, past empty ones
    ws[f"{FAR_COL}5"] = "Marie"
    ws.freeze_panes = "F2"
    if image is not None:
        from openpyxl.drawing.image import Image

        ws.add_image(Image(str(image)), "AL2")
    wb.defined_names["Sortie"] = DefinedName("Sortie", attr_text="'Paramètres'!$B$3")

    mine = wb.create_sheet("Suivi perso")
    mine["A1"] = "Tâches faites"
    mine["B1"] = '=COUNTIF(Planning!L:L,"Fait")'
    mine["A2"] = "Jours avant J"
    mine["B2"] = "=Sortie-TODAY()"
    mine.merge_cells("D1:F1")
    mine["D1"] = "Mes notes"
    for i, (axis, n) in enumerate((("Radio", 3), ("Presse", 5), ("TV", 1)), start=4):
        mine.cell(i, 1, axis)
        mine.cell(i, 2, n)
    chart = BarChart()
    chart.add_data(Reference(mine, min_col=2, min_row=4, max_row=6))
    chart.set_categories(Reference(mine, min_col=1, min_row=4, max_row=6))
    mine.add_chart(chart, "D4")

    wb["Paramètres"]["B3"] = dt.datetime.combine(NEW_RELEASE, dt.time())
    contacts = wb["Contacts"]
    for r, values in ((2, ("C001", "Radio", "Radio Nova", "Jean", "jean@example.org", "T170",
                           None, "Sans réponse")),
                      (3, ("C002", "Presse", "Les Inrocks", "Marie", "marie@example.org",
                           "T090", None, "Oui"))):
        for c, v in enumerate(values, start=1):
            contacts.cell(r, c, v)
    wb.save(dest)


def _set_cell(root: etree._Element, ref: str, *, text: str | None = None,
              number: float | None = None, formula: str | None = None) -> None:
    """Write a cell into a worksheet's XML as Excel would (style kept, column order)."""
    col, r = split_ref(ref)
    row = rows(root).get(r)
    if row is None:
        row = etree.SubElement(root.find("m:sheetData", N), f"{{{MAIN}}}row", r=str(r))
    c = next((x for x in row.iterfind("m:c", N) if x.get("r") == ref), None)
    if c is None:
        c = etree.Element(f"{{{MAIN}}}c", r=ref)
        later = [x for x in row.iterfind("m:c", N)
                 if col_num(split_ref(x.get("r", ""))[0]) > col_num(col)]
        if later:
            later[0].addprevious(c)
        else:
            row.append(c)
    for child in list(c):
        c.remove(child)
    c.attrib.pop("t", None)
    if formula is not None:
        etree.SubElement(c, f"{{{MAIN}}}f").text = formula
    if text is not None:
        if formula is None:
            c.set("t", "inlineStr")
            etree.SubElement(etree.SubElement(c, f"{{{MAIN}}}is"), f"{{{MAIN}}}t").text = text
        else:
            c.set("t", "str")
            etree.SubElement(c, f"{{{MAIN}}}v").text = text
    elif number is not None:
        etree.SubElement(c, f"{{{MAIN}}}v").text = str(number)


def rewrite_parts(src: Path, dest: Path, replaced: dict[str, bytes],
                  added: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, replaced.get(info.filename, zin.read(info)),
                          compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (added or {}).items():
            zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def add_user_edits_in_xml(src: Path, dest: Path, user_col: str) -> None:
    """The user's edits made in the generated file's XML: cached values stay."""
    files = parts(src)
    planning = sheet_part(files, "Planning")
    settings = sheet_part(files, "Paramètres")
    proot, sroot = xml(files[planning]), xml(files[settings])
    ids = Sheet(proot, shared_strings(files)).task_rows()
    for task in DONE_TASKS:
        _set_cell(proot, f"{COL['status']}{ids[task]}", text="Fait")
    _set_cell(proot, f"{COL['followup']}{ids[NEW_RULE_TASK]}", text="+7 x2")
    _set_cell(proot, f"{COL['result']}{ids['T090']}", number=4)
    _set_cell(proot, f"{COL['spent']}{ids[NEW_RULE_TASK]}", number=750)
    _set_cell(proot, f"{COL['notes']}{ids['R090-1']}", text=USER_NOTE)
    _set_cell(proot, f"{user_col}1", text="Mon suivi")
    _set_cell(proot, f"{user_col}2", formula="K2-J2", number=0)
    _set_cell(proot, f"{user_col}3", text="Oui")
    _set_cell(sroot, "B3", number=serial(NEW_RELEASE))
    rewrite_parts(src, dest, {planning: xml_bytes(proot), settings: xml_bytes(sroot)})


def xlwings_vba_project() -> bytes:
    xlwings = pytest.importorskip("xlwings", reason="the .xlsm case takes its VBA from xlwings")
    book = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(book) as z:
        return z.read("xl/vbaProject.bin")


def xlsxwriter_button_vml(vba: bytes, n: int) -> bytes:
    """The VML of a form button bound to a macro, as XlsxWriter writes it."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Planning")
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    ws.insert_button("AK1", {"macro": "SampleCall", "caption": "Recalculer",
                             "width": 120, "height": 30})
    wb.close()
    with zipfile.ZipFile(buf) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml")
    # The generated plan's comment VML parts use shape ids 1025…: take the n-th block.
    return vml.replace(b'data="1"', f'data="{n}"'.encode()).replace(
        b"_x0000_s1025", f"_x0000_s{n * 1024 + 1}".encode())


def button_vml(files: dict[str, bytes]) -> str:
    """The VML part that holds the form button (bound to a macro)."""
    (part,) = [n for n, data in files.items() if n.endswith(".vml") and b"FmlaMacro" in data]
    return part


def make_macro_workbook(src: Path, dest: Path, vba: bytes) -> None:
    """The generated .xlsx turned into an .xlsm with a VBA project and a button."""
    files = parts(src)
    planning = sheet_part(files, "Planning")
    taken = [int(m.group(1)) for part_name in files
             if (m := re.search(r"vmlDrawing(\d+)\.vml$", part_name))]
    n = max(taken, default=0) + 1
    vml_part = f"xl/drawings/vmlDrawing{n}.vml"  # openpyxl keeps vmlDrawing<digit>.vml
    folder, name = posixpath.split(planning)
    planning_rels = posixpath.join(folder, "_rels", name + ".rels")
    types = files["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    if b'Extension="bin"' not in types:
        types = types.replace(b"<Default ", b'<Default Extension="bin" ContentType='
                                            b'"application/vnd.ms-office.vbaProject"/><Default ', 1)
    if b'Extension="vml"' not in types:
        types = types.replace(b"<Default ", b'<Default Extension="vml" ContentType="application/'
                                            b'vnd.openxmlformats-officedocument.vmlDrawing"/>'
                                            b"<Default ", 1)
    end = b"</Relationships>"
    replaced = {
        "[Content_Types].xml": types,
        "xl/_rels/workbook.xml.rels": files["xl/_rels/workbook.xml.rels"].replace(
            end, b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                 b'relationships/vbaProject" Target="vbaProject.bin"/>' + end),
        planning: files[planning].replace(b"<tableParts",
                                          b'<legacyDrawing r:id="rIdBtn"/><tableParts'),
        planning_rels: files[planning_rels].replace(
            end, b'<Relationship Id="rIdBtn" Type="http://schemas.openxmlformats.org/'
                 b'officeDocument/2006/relationships/vmlDrawing" Target="../drawings/'
                 + posixpath.basename(vml_part).encode() + b'"/>' + end),
    }
    assert all(replaced[k] != files[k] for k in replaced), "the generated plan's layout moved"
    rewrite_parts(src, dest, replaced, {"xl/vbaProject.bin": vba,
                                        vml_part: xlsxwriter_button_vml(vba, n)})


def first_free_column(path: Path) -> str:
    """The column right after the generated Planning's last one (the week strip's)."""
    n = max(col_num(split_ref(ref)[0]) for ref in Sheet.of(path, "Planning").cells) + 1
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Built:
    variant: str
    user_col: str  # "Mon suivi": the first free column after the week strip
    baseline: Path  # the user's workbook, never written to
    result: Path  # a copy, recomputed once
    output: Result

    @property
    def suffix(self) -> str:
        return self.baseline.suffix

    def copy(self, dest_dir: Path, which: str = "baseline") -> Path:
        src = self.baseline if which == "baseline" else self.result
        dest = dest_dir / f"copy{self.suffix}"
        shutil.copyfile(src, dest)
        return dest


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "plan.xlsx"
    result = run("new", SINGLE, "--release", RELEASE, "-o", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module", params=VARIANTS)
def built(request: pytest.FixtureRequest, generated: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Built:
    variant: str = request.param
    folder = tmp_path_factory.mktemp(variant)
    user_col = first_free_column(generated)
    assert col_num(user_col) < col_num(FAR_COL)
    image = None
    if HAVE_PIL:
        from PIL import Image as PILImage

        image = folder / "logo.png"
        PILImage.new("RGB", (40, 20), (200, 30, 30)).save(image)
    if variant == "openpyxl":
        baseline = folder / "user.xlsx"
        add_user_edits_with_openpyxl(generated, baseline, user_col, image)
    elif variant == "xml":
        baseline = folder / "user.xlsx"
        add_user_edits_in_xml(generated, baseline, user_col)
    else:
        macro = folder / "macro.xlsm"
        make_macro_workbook(generated, macro, xlwings_vba_project())
        baseline = folder / "user.xlsm"
        add_user_edits_with_openpyxl(macro, baseline, user_col, image)
    result = folder / f"recomputed{baseline.suffix}"
    shutil.copyfile(baseline, result)  # the baseline itself is never written to
    output = run("recompute", str(result), "--today", TODAY)
    return Built(variant, user_col, baseline, result, output)


def export(path: Path) -> dict[str, object]:
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def export_dates(path: Path) -> dict[str, tuple[dt.date, dt.date]]:
    tasks = export(path)["tasks"]
    assert isinstance(tasks, list)
    return {t["id"]: (dt.date.fromisoformat(t["start"]), dt.date.fromisoformat(t["deadline"]))
            for t in tasks}


# ---- expectations ----------------------------------------------------------------------

@dataclass
class Owned:
    old_last: int
    new_last: int
    cells: set[str]  # Planning cells retrosheet may change


def owned_planning_cells(base: Sheet, result: Sheet) -> Owned:
    base_rows = base.task_rows()
    new_rows = result.task_rows()
    old_last, new_last = max(base_rows.values()), max(new_rows.values())
    owned = set()
    for r in base_rows.values():
        owned |= {f"{COL['start']}{r}", f"{COL['deadline']}{r}"}
        is_followup = base.text(f"{COL['type']}{r}") == "Relance"
        if is_followup and base.text(f"{COL['notes']}{r}").startswith(GENERATED_NOTE):
            owned.add(f"{COL['notes']}{r}")
    owned |= {ref for ref in result.cells if split_ref(ref)[1] > old_last}
    return Owned(old_last, new_last, owned)


def stretch(sqref: str, old_last: int, new_last: int) -> str:
    """A range ending on the table's last row ends on the new last row (as in Excel)."""
    out = []
    for piece in sqref.split():
        if ":" in piece:
            a, b = piece.split(":")
            row = split_ref(b)[1]
            if row == old_last:
                b = b[: len(b) - len(str(row))] + str(new_last)
            piece = f"{a}:{b}"
        out.append(piece)
    return " ".join(out)


def expected_sheet_xml(base: etree._Element, old_last: int, new_last: int) -> etree._Element:
    """The baseline sheet's XML outside sheetData, with the ranges that grow with the table."""
    root = copy.deepcopy(base)
    for tag in ("conditionalFormatting", "dataValidation"):
        for el in root.iter(f"{{{MAIN}}}{tag}"):
            el.set("sqref", stretch(el.get("sqref", ""), old_last, new_last))
    dim = root.find("m:dimension", N)
    if dim is not None and ":" in dim.get("ref", ""):
        a, b = dim.get("ref", "").split(":")
        col, row = split_ref(b)
        if row < new_last:
            dim.set("ref", f"{a}:{col}{new_last}")
    return root


def outside_sheet_data(root: etree._Element) -> list[bytes]:
    return [etree.tostring(el) for el in root if el.tag != f"{{{MAIN}}}sheetData"]


# ---- the tests ---------------------------------------------------------------------------

def test_the_baseline_holds_what_a_user_adds(built: Built, generated: Path) -> None:
    """The fixture is not vacuous: the user's objects are in the baseline."""
    files = parts(built.baseline)
    names = set(files)
    workbook = files["xl/workbook.xml"].decode()
    planning = files[sheet_part(files, "Planning")].decode()
    base = Sheet.of(built.baseline, "Planning")
    assert base.text(f"{built.user_col}1") == "Mon suivi"
    assert base.text(f"{COL['followup']}{base.task_rows()[NEW_RULE_TASK]}") == "+7 x2"
    assert Sheet.of(built.baseline, "Paramètres").text("B3") == str(serial(NEW_RELEASE))
    if built.variant == "xml":
        assert "xl/sharedStrings.xml" in names
        k = base.cells[f"K{base.task_rows()['T310']}"]
        assert formula_of(k) and text_of(k, base.sst) == str(serial(dt.date(2027, 5, 14)))
        return
    assert "Suivi perso" in workbook and 'name="Sortie"' in workbook
    assert any(n.startswith("xl/comments") for n in names)
    charts = sum(n.startswith("xl/charts/chart") for n in names)
    assert charts == sum(n.startswith("xl/charts/chart") for n in parts(generated)) + 1
    assert "<hyperlink " in planning and "<dataValidation " in planning
    assert 'topLeftCell="F2"' in planning and "<legacyDrawing " in planning
    if HAVE_PIL:
        assert any(n.startswith("xl/media/") for n in names) and "<drawing " in planning
    if built.variant == "xlsm":
        assert files["xl/vbaProject.bin"] == xlwings_vba_project()
        assert b"<x:FmlaMacro>[0]!SampleCall</x:FmlaMacro>" in files[button_vml(files)]
        assert b"Recalculer" in files[button_vml(files)]
        assert b"macroEnabled" in files["[Content_Types].xml"]


def test_recompute_says_what_it_did(built: Built) -> None:
    out = built.output
    assert out.exit_code == 0, out.output
    assert out.exception is None
    first = out.stdout.splitlines()[0]
    assert re.fullmatch(rf"recomputed\{built.suffix} : \d+ cellule\(s\) mises à jour, "
                        r"2 relance\(s\) ajoutée\(s\) \(R020-1, R020-2\)", first), first
    assert "Traceback" not in out.output


def test_every_part_but_the_owned_ones_is_byte_identical(built: Built) -> None:
    assert part_names(built.result) == part_names(built.baseline)
    before, after = parts(built.baseline), parts(built.result)
    planning = sheet_part(before, "Planning")
    owned = {planning, table_part(before, planning), sheet_part(before, "Contacts")}
    changed = {name for name in before if before[name] != after[name]}
    assert changed - owned == set()
    assert {planning, table_part(before, planning)} <= changed  # two rows were appended
    if built.variant == "xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
        assert button_vml(after) == button_vml(before)
        assert after[button_vml(after)] == before[button_vml(before)]


def test_planning_cells_retrosheet_does_not_own_are_unchanged(built: Built) -> None:
    base, result = Sheet.of(built.baseline, "Planning"), Sheet.of(built.result, "Planning")
    owned = owned_planning_cells(base, result)
    assert (owned.old_last, owned.new_last) == (53, 55)
    before, after = base.cells, result.cells
    kept = set(before) - owned.cells
    assert kept <= set(after), sorted(kept - set(after))
    changed = sorted(ref for ref in kept
                     if etree.tostring(before[ref]) != etree.tostring(after[ref]))
    assert changed == []
    assert set(after) - set(before) <= owned.cells  # no cell appears outside owned ones
    # Every existing row keeps its attributes (height, style, spans).
    before_rows, after_rows = rows(base.root), rows(result.root)
    for r, row in before_rows.items():
        assert dict(after_rows[r].attrib) == dict(row.attrib), r
    # The values a user typed are still there, by value too.
    ids = base.task_rows()
    assert result.text(f"{COL['notes']}{ids['R090-1']}") == USER_NOTE
    assert [result.text(f"{COL['status']}{ids[t]}") for t in DONE_TASKS] == ["Fait"] * 3
    assert formula_of(after[f"{built.user_col}2"]) == "K2-J2"
    assert result.text(f"{built.user_col}3") == "Oui"
    if built.variant != "xml":
        assert result.text(f"{FAR_COL}5") == "Marie"


def test_planning_xml_outside_cells_is_unchanged_but_for_stretched_ranges(
        built: Built) -> None:
    base, result = Sheet.of(built.baseline, "Planning"), Sheet.of(built.result, "Planning")
    owned = owned_planning_cells(base, result)
    expected = expected_sheet_xml(base.root, owned.old_last, owned.new_last)
    assert outside_sheet_data(result.root) == outside_sheet_data(expected)
    assert result.root.nsmap == base.root.nsmap
    # The ranges that grew are the table's, not the dropdowns' 300 spare rows.
    sqrefs = [el.get("sqref") for el in result.root.iter(f"{{{MAIN}}}conditionalFormatting")]
    assert "A2:T55" in sqrefs  # the task table's own formats
    ranges = [r.split(":") for r in sqrefs if r and ":" in r]
    assert any(col_num(split_ref(a)[0]) > col_num("T") and split_ref(b)[1] == 55
               for a, b in ranges), sqrefs  # and the week strip's
    if built.variant != "xml":
        dv = [el.get("sqref") for el in result.root.iter(f"{{{MAIN}}}dataValidation")]
        assert f"{built.user_col}2:{built.user_col}55" in dv and "L2:L353" in dv
        assert f"{built.user_col}2:{built.user_col}100" in sqrefs


def test_the_table_part_only_grows(built: Built) -> None:
    before, after = parts(built.baseline), parts(built.result)
    part = table_part(before, sheet_part(before, "Planning"))
    expected = xml(before[part])
    assert expected.get("ref") == "A1:T53"
    expected.set("ref", "A1:T55")
    af = expected.find("m:autoFilter", N)
    if af is not None:
        af.set("ref", "A1:T55")
    assert etree.tostring(xml(after[part])) == etree.tostring(expected)


def test_owned_dates_equal_export_for_the_new_release(built: Built) -> None:
    result = Sheet.of(built.result, "Planning")
    dates = export_dates(built.result)
    assert export(built.result)["release"] == NEW_RELEASE.isoformat()
    assert dates["T310"] == (NEW_RELEASE, NEW_RELEASE)  # the release milestone moved
    ids = result.task_rows()
    assert set(ids) == set(dates)
    for task, r in ids.items():
        start, deadline = result.cells[f"J{r}"], result.cells[f"K{r}"]
        got = (from_serial(text_of(start, result.sst)), from_serial(text_of(deadline, result.sst)))
        assert got == dates[task], task
        assert formula_of(start) and f"$I{r}" in (formula_of(start) or "")
        assert formula_of(deadline) and f"$G{r}" in (formula_of(deadline) or "")
    # The dates moved with the release: 3 weeks later for a J-anchored task.
    assert dates["T170"][1] == dt.date(2027, 5, 7)  # J-28 from 4 June 2027


def test_the_new_followup_rows(built: Built) -> None:
    result = Sheet.of(built.result, "Planning")
    dates = export_dates(built.result)
    got = [[result.text(f"{c}{r}") for c in ("A", "B", "F", "G", "L")] for r in (54, 55)]
    assert got == [["R020-1", "Relance", "T020", "7", "À faire"],
                   ["R020-2", "Relance", "T020", "14", "À faire"]]
    assert result.text("D54").startswith("Relance 1 : Briefer l'attaché·e de presse")
    assert result.text("T54") == "Relance générée par la règle +7 x2 de T020"
    deadline = dates["T020"][1]
    assert dates["R020-1"][1] <= deadline + dt.timedelta(days=7)
    assert dates["R020-2"][1] <= deadline + dt.timedelta(days=14)
    # New cells take the style of the cell above (dates keep their date format).
    for col in ("J", "K"):
        assert result.cells[f"{col}54"].get("s") == result.cells[f"{col}53"].get("s")


def test_contacts_only_their_followup_dates_change(built: Built) -> None:
    base, result = Sheet.of(built.baseline, "Contacts"), Sheet.of(built.result, "Contacts")
    header = {base.text(ref): split_ref(ref)[0] for ref in base.cells if split_ref(ref)[1] == 1}
    f1, f2 = header["Relance 1"], header["Relance 2"]
    owned = {f"{c}{r}" for c in (f1, f2) for r in (2, 3)}
    before, after = base.cells, result.cells
    for ref in set(before) - owned:
        assert etree.tostring(after[ref]) == etree.tostring(before[ref]), ref
    assert set(after) - set(before) <= owned
    assert outside_sheet_data(result.root) == outside_sheet_data(base.root)
    planning = Sheet.of(built.result, "Planning")
    ids = planning.task_rows()
    if built.variant == "xml":  # no contacts were added: nothing to do there
        assert parts(built.result)[sheet_part(parts(built.result), "Contacts")] == \
            parts(built.baseline)[sheet_part(parts(built.baseline), "Contacts")]
        return
    dates = export_dates(built.result)
    # Radio Nova has not answered T170 (+14): its follow-up is R170-1's day; Marie said yes.
    assert from_serial(result.text(f"{f1}2")) == dates["R170-1"][1]
    assert [result.text(f"{f2}2"), result.text(f"{f1}3"), result.text(f"{f2}3")] == ["", "", ""]
    assert planning.text(f"T{ids['R170-1']}") == (
        "Relance générée par la règle +14 de T170 — 1 contact sans réponse")
    assert planning.text(f"T{ids['R090-1']}") == USER_NOTE  # the user's note stays
    assert planning.text(f"T{ids['R090-2']}") == (
        "Relance générée par la règle +7 x2 de T090 — 0 contact sans réponse")


def test_recompute_twice_is_byte_identical_to_once(built: Built, tmp_path: Path) -> None:
    again = built.copy(tmp_path, "result")
    out = run("recompute", str(again), "--today", TODAY)
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == f"{again.name} : déjà à jour"
    assert again.read_bytes() == built.result.read_bytes()


def test_dry_run_prints_the_changes_and_writes_nothing(built: Built, tmp_path: Path) -> None:
    plan = built.copy(tmp_path)
    before = plan.read_bytes()
    out = run("recompute", str(plan), "--dry-run", "--today", TODAY)
    assert out.exit_code == 0, out.output
    assert plan.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [plan.name]  # no temporary left
    lines = out.stdout.splitlines()
    n_real = int(re.search(r": (\d+) cellule", built.output.stdout).group(1))  # type: ignore[union-attr]
    summary = next(line for line in lines if "rien n'est écrit" in line)
    assert summary == (f"{plan.name} : {n_real} cellule(s) à changer, 2 relance(s) à ajouter "
                       "(R020-1, R020-2) ; rien n'est écrit (--dry-run)")
    change = re.compile(r"^(Planning|Contacts)![A-Z]+\d+ .* : .* → ")
    changes = [line for line in lines if change.match(line)]
    assert len(changes) == n_real
    base = Sheet.of(built.baseline, "Planning")
    r = base.task_rows()["T310"]
    old_text = text_of(base.cells[f"K{r}"], base.sst)
    old = from_serial(old_text).strftime("%d/%m/%Y") if old_text else "(vide)"
    assert f"Planning!K{r} (T310) : {old} → 04/06/2027" in lines


def test_new_from_a_past_plan(built: Built, tmp_path: Path) -> None:
    past = built.copy(tmp_path, "result")
    dest = tmp_path / f"next{built.suffix}"
    out = run("new", "--from", str(past), "--release", NEXT_RELEASE.isoformat(),
              "-o", str(dest))
    assert out.exit_code == 0, out.output
    assert past.read_bytes() == built.result.read_bytes()  # the past plan is left alone
    new = Sheet.of(dest, "Planning")
    ids = new.task_rows()
    assert len(ids) == 54
    assert {new.text(f"{COL['status']}{r}") for r in ids.values()} == {"À faire"}
    assert [new.text(f"{c}{r}") for c in (COL["result"], COL["spent"]) for r in ids.values()] \
        == [""] * 108
    u = built.user_col
    assert new.text(f"{u}1") == "Mon suivi" and new.text(f"{u}3") == "Oui"
    assert formula_of(new.cells[f"{built.user_col}2"]) == "K2-J2"
    assert new.text(f"{COL['notes']}{ids['R090-1']}") == USER_NOTE
    doc = export(dest)
    assert doc["release"] == NEXT_RELEASE.isoformat()
    dates = export_dates(dest)
    assert dates["T310"] == (NEXT_RELEASE, NEXT_RELEASE)
    for task, r in ids.items():
        assert from_serial(new.text(f"K{r}")) == dates[task][1], task
    before, after = parts(past), parts(dest)
    assert list(after) == list(before)
    mine = {sheet_part(before, s) for s in ("Planning", "Contacts", "Paramètres")}
    assert {n for n in before if before[n] != after[n]} <= mine
    if built.variant != "xml":
        contacts = Sheet.of(dest, "Contacts")
        assert contacts.text("D2") == "Jean" and contacts.text("H2") == ""
        assert "Suivi perso" in after["xl/workbook.xml"].decode()
