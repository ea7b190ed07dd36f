"""gspread's HTTP client with a swappable base URL and a capped retry.

Imported only by ``client.connect`` (gspread is an optional extra). Every request
retrosheet sends to Google goes through ``RetryingHTTPClient.request``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import requests
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

GOOGLE_SHEETS = "https://sheets.googleapis.com"
GOOGLE_APIS = "https://www.googleapis.com"  # Drive (sharing a sheet retrosheet created)

RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter; Retry-After is a floor.

    Attempt n (1-based) that fails waits ``max(Retry-After, rand() * min(cap, base·2^(n-1)))``
    before attempt n+1; after ``attempts`` attempts, or when Google asks to wait longer
    than ``max_retry_after`` seconds, retrosheet gives up with a message.
    """

    attempts: int = 6
    base: float = 1.0
    cap: float = 32.0
    max_retry_after: float = 120.0

    def backoff(self, attempt: int, rand: float) -> float:
        return rand * min(self.cap, self.base * 2.0 ** (attempt - 1))


@dataclass
class Traffic:
    """What was sent: one entry per request retrosheet made (retries not counted)."""

    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    attempts: int = 0
    waits: list[float] = field(default_factory=list)


class GaveUp(Exception):
    """A retryable failure that outlasted the retry policy."""

    def __init__(self, response: requests.Response | None, attempts: int, waited: float,
                 reason: str, cause: Exception | None = None) -> None:
        super().__init__(reason)
        self.response = response
        self.attempts = attempts
        self.waited = waited
        self.reason = reason
        self.cause = cause


class RetryingHTTPClient(HTTPClient):
    """``HTTPClient`` whose every request goes to ``base_url`` and is retried on 429/5xx."""

    base_url: str = GOOGLE_SHEETS
    drive_url: str = GOOGLE_APIS
    policy: RetryPolicy = RetryPolicy()
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    rand: Callable[[], float] = staticmethod(random.random)

    def configure(self, *, base_url: str, drive_url: str, policy: RetryPolicy,
                  sleep: Callable[[float], None], rand: Callable[[], float]) -> None:
        self.base_url = base_url.rstrip("/")
        self.drive_url = drive_url.rstrip("/")
        self.policy = policy
        self.sleep = sleep
        self.rand = rand
        self.traffic = Traffic()

    def url(self, endpoint: str) -> str:
        for google, ours in ((GOOGLE_SHEETS, self.base_url), (GOOGLE_APIS, self.drive_url)):
            if endpoint.startswith(google + "/"):
                return ours + endpoint[len(google):]
        return endpoint

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        url = self.url(endpoint)
        path = url[len(self.base_url):] if url.startswith(self.base_url) else url
        self.traffic.requests.append((method.upper(), path))
        # Creating a spreadsheet is not idempotent: a 5xx may have created it already.
        creates = method.lower() == "post" and path.rstrip("/").endswith("/v4/spreadsheets")
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            self.traffic.attempts += 1
            try:
                response = self.session.request(
                    method=method, url=url, json=json, params=params, data=data,
                    files=files, headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                if creates or attempt >= self.policy.attempts:
                    raise GaveUp(None, attempt, waited, str(exc), exc) from exc
                wait = self.policy.backoff(attempt, self.rand())
            else:
                if response.ok:
                    return response
                status = response.status_code
                if status not in RETRYABLE or (creates and status != 429):
                    raise APIError(response)
                if attempt >= self.policy.attempts:
                    raise GaveUp(response, attempt, waited, "too many attempts")
                after = retry_after(response)
                if after is not None and after > self.policy.max_retry_after:
                    raise GaveUp(response, attempt, waited, f"Retry-After {after:g} s")
                wait = max(after or 0.0, self.policy.backoff(attempt, self.rand()))
            self.traffic.waits.append(wait)
            waited += wait
            self.sleep(wait)


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    import datetime as dt

    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
