"""Google Sheets as a place where a plan lives (docs/contract.md §8), through gspread.

This module is imported by the command line to tell a Google Sheets URL or key from a
file path; it imports nothing heavy. The rest of the package (gspread, google-auth) is
imported only when a command really talks to Google Sheets:

- ``client``: the one HTTP layer (sign-in, base URL, capped retries, error messages);
- ``sheet``: a spreadsheet read in one request, turned into grids of values;
- ``backend``: open, recompute, check, report --write-sheet on a Google Sheet;
- ``create``: a new plan written as Google Sheets requests (``new --gsheet…``).
"""

from __future__ import annotations

import os
import re

from ..errors import WorkbookError, msg

# A spreadsheet ID: Google's are 44 characters of letters, digits, `-` and `_`.
_KEY = re.compile(r"^[A-Za-z0-9_-]{25,100}$")
_URL_KEY = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_SHEETS_HOST = re.compile(r"^(?:https?://)?docs\.google\.com/", re.IGNORECASE)


class BadSheetUrl(WorkbookError):
    """An address that looks like Google's but names no spreadsheet."""


def sheet_key(plan_arg: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL or a bare key, else None (a file path).

    A bare key is a 25–100 character run of letters, digits, `-` and `_` that is not an
    existing file. A docs.google.com address that is not a spreadsheet's (a document,
    a published `/d/e/…` link, a link without a key) raises BadSheetUrl.
    """
    text = plan_arg.strip()
    if _SHEETS_HOST.match(text):
        if "/spreadsheets/d/e/" in text:
            raise BadSheetUrl(msg("err.surface.sheets.published", text=text))
        m = _URL_KEY.search(text)
        if m is None or not _KEY.match(m.group(1)):
            raise BadSheetUrl(msg("err.surface.sheets.not_sheets_url", text=text))
        return m.group(1)
    if re.match(r"^https?://", text, re.IGNORECASE):
        if "/spreadsheets/d/" in text:  # a proxy or a mirror of Google's address scheme
            m = _URL_KEY.search(text)
            if m is not None and _KEY.match(m.group(1)):
                return m.group(1)
        raise BadSheetUrl(msg("err.surface.sheets.not_an_address", text=text))
    if _KEY.match(text) and not os.path.exists(text):
        return text
    return None


def sheet_url(key: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"
