"""The one HTTP layer between retrosheet and Google: sign-in, base URL, retries, errors.

``connect()`` builds a gspread ``Client`` whose HTTP client (``_transport``) sends every
request to ``https://sheets.googleapis.com`` or to ``RETROSHEET_SHEETS_API_URL`` when that
is set (tests, proxies: then ``RETROSHEET_SHEETS_TOKEN`` is the bearer token and no
Google sign-in happens), retries 429 and 5xx with capped, jittered exponential backoff
honouring Retry-After, and turns Google's errors into one-line ``SheetsError`` messages.

``Sheets`` is the small API retrosheet uses: spreadsheets.get / create / batchUpdate,
values.batchGet / batchUpdate, and Drive's permissions.create to share a new sheet.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Msg, WorkbookError, msg

if TYPE_CHECKING:
    import gspread

    from ._transport import RetryingHTTPClient, RetryPolicy, Traffic

ENV_API_URL = "RETROSHEET_SHEETS_API_URL"
ENV_TOKEN = "RETROSHEET_SHEETS_TOKEN"
ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"
SCOPE_SHEETS = "https://www.googleapis.com/auth/spreadsheets"
SCOPE_DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
OAUTH_CACHE = Path.home() / ".config" / "retrosheet" / "authorized_user.json"


class SheetsError(WorkbookError):
    """Google Sheets refused or failed a request; the message says what to do."""

    def __init__(self, message: str | Msg, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Identity:
    """Who retrosheet acts as, for messages: a service account's e-mail, or a user."""

    email: str | None = None
    service_account: bool = False

    def share_hint(self) -> Msg:
        if self.service_account and self.email:
            return msg("err.surface.sheets.share_service", email=self.email)
        if self.email:
            return msg("err.surface.sheets.share_user", email=self.email)
        return msg("err.surface.sheets.share_anyone")


class Sheets:
    """The Google Sheets API calls retrosheet makes, each one HTTP request."""

    def __init__(self, gc: gspread.Client, identity: Identity) -> None:
        self.gc = gc
        self.identity = identity

    @property
    def http(self) -> RetryingHTTPClient:
        from ._transport import RetryingHTTPClient

        client = self.gc.http_client
        assert isinstance(client, RetryingHTTPClient)
        return client

    @property
    def traffic(self) -> Traffic:
        return self.http.traffic

    def _call(self, key: str | None, method: str, url: str, *,
              params: Mapping[str, Any] | None = None,
              body: Mapping[str, Any] | None = None) -> Any:
        from gspread.exceptions import APIError

        from ._transport import GaveUp

        try:
            response = self.http.request(method, url, params=dict(params or {}), json=body)
        except APIError as exc:
            raise translate(exc.response.status_code, _error_body(exc.error), key,
                            self.identity) from exc
        except GaveUp as exc:
            raise gave_up(exc) from (exc.cause or exc)
        try:
            return response.json()
        except ValueError as exc:
            raise SheetsError(msg("err.surface.sheets.not_json", url=url)) from exc

    def get(self, key: str, *, fields: str | None = None, ranges: Sequence[str] = (),
            include_grid_data: bool = False) -> Any:
        """spreadsheets.get: properties, sheets and (with include_grid_data) cells."""
        from gspread.urls import SPREADSHEET_URL

        params: dict[str, Any] = {}
        if fields:
            params["fields"] = fields
        if ranges:
            params["ranges"] = list(ranges)
        if include_grid_data:
            params["includeGridData"] = "true"
        return self._call(key, "get", SPREADSHEET_URL % key, params=params)

    def create(self, body: Mapping[str, Any]) -> Any:
        """spreadsheets.create: a new spreadsheet owned by whoever signed in."""
        from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

        return self._call(None, "post", SPREADSHEETS_API_V4_BASE_URL, body=body)

    def batch_update(self, key: str, requests: list[dict[str, Any]]) -> Any:
        """spreadsheets.batchUpdate: applied by Google all together or not at all."""
        from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

        return self._call(key, "post", SPREADSHEET_BATCH_UPDATE_URL % key,
                          body={"requests": requests})

    def values_batch_get(self, key: str, ranges: Sequence[str], *,
                         render: str = "UNFORMATTED_VALUE",
                         dates: str = "SERIAL_NUMBER") -> Any:
        from gspread.urls import SPREADSHEET_VALUES_BATCH_URL

        return self._call(key, "get", SPREADSHEET_VALUES_BATCH_URL % key, params={
            "ranges": list(ranges), "valueRenderOption": render,
            "dateTimeRenderOption": dates})

    def share(self, key: str, email: str) -> None:
        """Drive permissions.create: `email` may edit the spreadsheet (no e-mail sent)."""
        from gspread.urls import DRIVE_FILES_API_V3_URL

        self._call(key, "post", f"{DRIVE_FILES_API_V3_URL}/{key}/permissions",
                   params={"sendNotificationEmail": "false", "supportsAllDrives": "true"},
                   body={"type": "user", "role": "writer", "emailAddress": email})


def _error_body(error: Mapping[str, Any]) -> dict[str, Any]:
    return dict(error) if isinstance(error, Mapping) else {}


def translate(status: int, error: Mapping[str, Any], key: str | None,
              identity: Identity) -> SheetsError:
    """Google's error as one line that says what to do."""
    message = str(error.get("message") or "").strip().splitlines()[0:1]
    detail = message[0] if message else ""
    what = msg("err.surface.sheets.spreadsheet", key=key) if key else "Google Sheets"
    blob = json.dumps(error)
    if status == 403 and ("SERVICE_DISABLED" in blob or "has not been used in project" in blob
                          or "is disabled" in blob):
        return SheetsError(msg("err.surface.sheets.api_disabled"), status=status)
    if status == 403:
        return SheetsError(msg("err.surface.sheets.no_access", what=what,
                               hint=identity.share_hint()), status=status)
    if status == 404:
        return SheetsError(msg("err.surface.sheets.not_found", what=what,
                               hint=identity.share_hint()), status=status)
    if status == 401:
        return SheetsError(msg("err.surface.sheets.refused_credentials", env=ENV_CREDENTIALS),
                           status=status)
    if status == 429:
        return SheetsError(msg("err.surface.sheets.quota"), status=status)
    if status == 400:  # Google's own detail is passed as it is
        return SheetsError(msg("err.surface.sheets.bad_request",
                               detail=detail or msg("err.surface.sheets.bad_request_detail")),
                           status=status)
    return SheetsError(msg("err.surface.sheets.error", status=status,
                           detail=detail or msg("err.surface.sheets.no_detail")), status=status)


def gave_up(exc: Any) -> SheetsError:
    """The message once the retry policy is spent (exc is a _transport.GaveUp)."""
    waited = f"{exc.waited:.0f} s" if exc.waited >= 1 else f"{exc.waited:.1f} s"
    if exc.response is None:
        return SheetsError(msg("err.surface.sheets.unreachable", n=exc.attempts,
                               reason=exc.reason))
    status = exc.response.status_code
    if status == 429:
        if exc.reason.startswith("Retry-After"):
            return SheetsError(msg("err.surface.sheets.quota_wait",
                                   wait=exc.reason.removeprefix("Retry-After ")), status=429)
        return SheetsError(msg("err.surface.sheets.quota_retried", n=exc.attempts,
                               waited=waited), status=429)
    return SheetsError(msg("err.surface.sheets.unavailable", status=status, n=exc.attempts,
                           waited=waited), status=status)


def _sleep(seconds: float) -> None:
    """The wait between retries (tests replace it before connecting)."""
    time.sleep(seconds)


# ---- sign-in ---------------------------------------------------------------------------

def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SheetsError(msg("err.surface.sheets.no_credentials_file", path=path)) from None
    except (OSError, ValueError) as exc:
        raise SheetsError(msg("err.surface.sheets.not_credentials_json", path=path,
                              error=exc)) from exc
    if not isinstance(data, dict):
        raise SheetsError(msg("err.surface.sheets.not_credentials", path=path))
    return data


def _identity_of(info: Mapping[str, Any]) -> Identity:
    if info.get("type") == "service_account":
        return Identity(str(info.get("client_email") or "") or None, service_account=True)
    return Identity()


def _sign_in(path: Path | None, scopes: list[str],
             http_client: type[RetryingHTTPClient]) -> tuple[gspread.Client, Identity]:
    import gspread
    from google.auth.exceptions import GoogleAuthError

    try:
        if path is None:
            import google.auth

            try:
                creds, _ = google.auth.default(scopes=scopes)
            except google.auth.exceptions.DefaultCredentialsError:
                raise SheetsError(msg("err.surface.sheets.no_credentials",
                                      env=ENV_CREDENTIALS)) from None
            email = getattr(creds, "service_account_email", None)
            identity = Identity(email if isinstance(email, str) and "@" in email else None,
                                service_account=isinstance(email, str) and "@" in email)
            return gspread.Client(creds, http_client=http_client), identity
        info = _read_json(path)
        kind = info.get("type")
        if kind == "service_account":
            from google.oauth2.service_account import Credentials as SACredentials

            sa = SACredentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=scopes)
            return gspread.Client(sa, http_client=http_client), _identity_of(info)
        if kind == "authorized_user":
            from google.oauth2.credentials import Credentials as UserCredentials

            user = UserCredentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                info, scopes)
            return gspread.Client(user, http_client=http_client), Identity()
        if "installed" in info or "web" in info:
            # An OAuth client: the user signs in once in the browser; the token is kept.
            OAUTH_CACHE.parent.mkdir(parents=True, exist_ok=True)
            gc = gspread.oauth(scopes=scopes, credentials_filename=path,
                               authorized_user_filename=OAUTH_CACHE, http_client=http_client)
            return gc, Identity()
    except GoogleAuthError as exc:
        raise SheetsError(msg("err.surface.sheets.auth_failed", error=exc,
                              path=path or msg("err.surface.sheets.sign_in"))) from exc
    except ValueError as exc:  # google-auth: a JSON file with fields missing
        raise SheetsError(msg("err.surface.sheets.unusable_credentials", path=path,
                              error=exc)) from exc
    raise SheetsError(msg("err.surface.sheets.unknown_credentials", path=path))


def connect(
    credentials: str | Path | None = None,
    *,
    create: bool = False,
    env: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    rand: Callable[[], float] = random.random,
) -> Sheets:
    """A signed-in Sheets API (`create`: also the drive.file scope, to share a new sheet).

    With ``RETROSHEET_SHEETS_API_URL`` set, requests go there with
    ``RETROSHEET_SHEETS_TOKEN`` as bearer token and nobody signs in to Google; the
    credentials file, if any, only gives the service account's e-mail for messages.
    """
    try:
        import gspread

        from . import _transport
    except ImportError as exc:
        raise SheetsError(msg("err.surface.sheets.install")) from exc
    env = os.environ if env is None else env
    path_text = str(credentials) if credentials else env.get(ENV_CREDENTIALS, "")
    path = Path(path_text).expanduser() if path_text else None
    scopes = [SCOPE_SHEETS] + ([SCOPE_DRIVE_FILE] if create else [])
    base = env.get(ENV_API_URL, "").strip()
    if base:
        import requests
        from google.oauth2.credentials import Credentials as UserCredentials

        session = requests.Session()
        token = env.get(ENV_TOKEN, "")
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        identity = _identity_of(_read_json(path)) if path is not None else Identity()
        creds = UserCredentials(token=token or None)  # type: ignore[no-untyped-call]
        gc = gspread.Client(creds, session=session,
                            http_client=_transport.RetryingHTTPClient)
        drive = base
    else:
        gc, identity = _sign_in(path, scopes, _transport.RetryingHTTPClient)
        base, drive = _transport.GOOGLE_SHEETS, _transport.GOOGLE_APIS
    http = gc.http_client
    assert isinstance(http, _transport.RetryingHTTPClient)
    http.configure(base_url=base, drive_url=drive, policy=policy or _transport.RetryPolicy(),
                   sleep=sleep or _sleep, rand=rand)
    http.set_timeout((10.0, 120.0))
    return Sheets(gc, identity)
