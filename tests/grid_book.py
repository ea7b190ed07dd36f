"""The buttons' work on a plan held in memory, run by another Python with only the .oxt's
python/pythonpath on sys.path (`pythonX.Y -I -S grid_book.py PYTHONPATH PLAN.json`).

It shows that the code the extension carries imports and runs on that interpreter with
nothing but the standard library and what the .oxt vendors (no lxml, no calamine, no
openpyxl): LibreOffice's bundled Python has nothing else. PLAN.json holds each sheet's
values (dates as {"date": "YYYY-MM-DD"}) and formulas; the same `retrosheet.excel`
entry points as the buttons run on it, and what they said is printed as JSON.
"""

import datetime as dt
import json
import sys


def _value(v):
    if isinstance(v, dict):
        return dt.date.fromisoformat(v["date"])
    return v


def book_class():
    """GridBook, once the .oxt's path is first on sys.path."""
    from retrosheet.cellbook import CellBook

    class GridBook(CellBook):
        """CellBook's primitives over lists of rows: what a click reads and writes, in memory."""

        def __init__(self, sheets):
            self.grids = {n: [[_value(v) for v in row] for row in s["values"]]
                          for n, s in sheets.items()}
            self.forms = {n: [list(row) for row in s["formulas"]] for n, s in sheets.items()}
            self.written = 0
            self.told = []

        name = "plan.xlsx"
        date1904 = False

        def sheet_names(self):
            return list(self.grids)

        def values(self, sheet):
            return [list(r) for r in self.grids[sheet]]

        def formulas(self, sheet):
            return [list(r) for r in self.forms[sheet]]

        def _put(self, sheet, row, col, value, formula):
            for grid, v in ((self.grids[sheet], value), (self.forms[sheet], formula or "")):
                while len(grid) < row:
                    grid.append([])
                line = grid[row - 1]
                line.extend([None] * (col + 1 - len(line)))
                line[col] = v
            self.written += 1

        def write(self, cells):
            for c in cells:
                self._put(c.sheet, c.row, c.col, c.value, c.formula)

        def put_rows(self, sheet, first_row, rows):
            for i, row in enumerate(rows):
                for c, v in enumerate(row):
                    if v is not None:
                        self._put(sheet, first_row + i, c, v, None)

        def clear(self, sheet):
            self.grids[sheet], self.forms[sheet] = [], []

        def add_sheet(self, name):
            self.grids[name], self.forms[name] = [], []

        def style(self, sheet, looks):
            pass  # looks are the spreadsheet's business, not this interpreter test's

        def widen(self, sheet, widths):
            pass

        def grow(self, sheet, old_last, new_last):
            return []

        def activate(self, sheet):
            self.told.append("active " + sheet)

        def alert(self, message, title, error):
            self.told.append(message)

        def status(self, message):
            self.told.append(message)

    return GridBook


def main():
    sys.path.insert(0, sys.argv[1])
    import holidays

    from retrosheet import excel

    with open(sys.argv[2], encoding="utf-8") as f:
        plan = json.load(f)
    book = book_class()(plan["sheets"])
    today = dt.date.fromisoformat(plan["today"])
    first = excel.recompute(book, today=today)
    again = excel.recompute(book, today=today)
    report = excel.report(book, today=today)
    print(json.dumps({
        "python": "{}.{}".format(*sys.version_info[:2]),
        "holidays": holidays.__version__,
        "loaded": sorted(m.split(".")[0] for m in sys.modules
                         if m.split(".")[0] in ("lxml", "python_calamine", "openpyxl")),
        "outcomes": [[o.ok, o.message, o.added] for o in (first, again, report)],
        "history": [r for r in book.grids[book.sheet_names()[-1]] if any(r)][-1:],
        "written": book.written,
    }, default=str))


if __name__ == "__main__":
    main()
