"""`retrosheet report --mail`: messages per owner, sent to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import re
import smtplib
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner
from clirun import made_file
from conftest import SINGLE

from retrosheet.cli import cli
from retrosheet.errors import RetrosheetError
from retrosheet.labels import Status
from retrosheet.mail import (
    DEFAULT_SENDER,
    SmtpConfig,
    build_messages,
    plan_mailing,
    recipient,
    send,
    subject,
    write_eml,
)
from retrosheet.new import NewPlan, new_plan
from retrosheet.report import Report, build_report

RELEASE = dt.date(2027, 5, 14)
AS_OF = dt.date(2027, 4, 29)  # J-15, week of Monday 26/04
NOW = dt.datetime(2027, 4, 29, 8, 0, tzinfo=dt.UTC)
TASK_ID = re.compile(r"\b[TR]\d{3}(?:-\d)?\b")
EMAILS = {"Manager": ("Léa", "lea@example.com"),
          "Promo radio": ("Promo radio", "radio@example.com"),
          "Attaché·e de presse": ("Paul Martin", "paul@example.com")}

# The single template's owners that the test team gives no e-mail: the CLI names them.
SKIPPED = ("sans e-mail dans l'équipe : Artiste, Label, Réalisateur·rice, Community manager, "
           "Distributeur, Tourneur\n")


def make(lang: str = "fr", emails: dict[str, tuple[str, str]] | None = None) -> NewPlan:
    made = new_plan(SINGLE, RELEASE, lang=lang, title="Nuit blanche")
    st = made.plan.settings
    emails = EMAILS if emails is None else emails
    team = tuple(dataclasses.replace(m, name=emails[m.role][0], email=emails[m.role][1])
                 if m.role in emails else m for m in st.team)
    made.plan.settings = dataclasses.replace(st, team=team)
    return made


def parts(msg: EmailMessage) -> tuple[str, str]:
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    # Line endings as read: a message parsed from the wire or a file has CRLF.
    return (str(text.get_content()).replace("\r\n", "\n"),
            str(html.get_content()).replace("\r\n", "\n"))


def shown(rep: Report) -> set[str]:
    """IDs a text report lists: late, due this week and next week, and the Monday summary's
    risks (with the tasks waiting for them), hard deadlines and priorities."""
    monday: set[str] = set()
    if rep.monday is not None:
        m = rep.monday
        monday = ({r.task.id for r in m.risks} | {x.id for r in m.risks for x in r.dependents}
                  | {c.task.id for c in m.checklist if c.task}
                  | {p.task.id for p in m.priorities})
    return {x.id for x in rep.late} | monday | {
        x.id for xs in (*rep.due_this_week.values(), *rep.due_next_week.values()) for x in xs}


def owned(made: NewPlan, owner: str) -> set[str]:
    return {t.id for t in made.plan.tasks if t.owner == owner}


# --- a real SMTP server -----------------------------------------------------------------

class Sink:
    """aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTPServer, session: Session,
                          envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        out = []
        for e in self.envelopes:
            assert isinstance(e.content, bytes)
            msg = BytesParser(policy=default).parsebytes(e.content)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _authenticate(server: SMTPServer, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login, auth_data.password) == (b"bot", b"s3cret")
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    ctl = Controller(sink, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield sink, port
    finally:
        ctl.stop()


@pytest.fixture
def smtp_auth() -> Iterator[tuple[Sink, int]]:
    """A server that requires a login (allowed without TLS, for the test)."""
    sink = Sink()
    port = free_port()
    ctl = Controller(sink, hostname="127.0.0.1", port=port, authenticator=_authenticate,
                     auth_required=True, auth_require_tls=False)
    ctl.start()
    try:
        yield sink, port
    finally:
        ctl.stop()


# --- configuration ---------------------------------------------------------------------

def test_smtp_config_from_env() -> None:
    cfg = SmtpConfig.from_env({"RETROSHEET_SMTP_HOST": "smtp.example.com"})
    assert cfg == SmtpConfig("smtp.example.com", 587, None, None, True, DEFAULT_SENDER)
    cfg = SmtpConfig.from_env({
        "RETROSHEET_SMTP_HOST": " mail.example.org ", "RETROSHEET_SMTP_PORT": "2525",
        "RETROSHEET_SMTP_USER": "bot", "RETROSHEET_SMTP_PASSWORD": "s3cret",
        "RETROSHEET_SMTP_STARTTLS": "false", "RETROSHEET_SMTP_FROM": "Label <team@label.fr>",
    })
    assert cfg == SmtpConfig("mail.example.org", 2525, "bot", "s3cret", False,
                             "Label <team@label.fr>")
    assert "s3cret" not in repr(cfg)
    for text, value in (("1", True), ("0", False), ("TRUE", True), ("False", False)):
        env = {"RETROSHEET_SMTP_HOST": "h", "RETROSHEET_SMTP_STARTTLS": text}
        assert SmtpConfig.from_env(env).starttls is value


NO_HOST = ("RETROSHEET_SMTP_HOST n'est pas défini : donnez le serveur SMTP par lequel "
           "envoyer le rapport (par ex. smtp.example.com)",
           "RETROSHEET_SMTP_HOST is not set: give the SMTP server to send the report through "
           "(e.g. smtp.example.com)")


@pytest.mark.parametrize(("env", "fr", "en"), [
    ({}, *NO_HOST),
    ({"RETROSHEET_SMTP_HOST": "  "}, *NO_HOST),
    ({"RETROSHEET_SMTP_HOST": "h", "RETROSHEET_SMTP_PORT": "smtp"},
     "RETROSHEET_SMTP_PORT='smtp' n'est pas un numéro de port (1–65535, par ex. 587)",
     "RETROSHEET_SMTP_PORT='smtp' is not a port number (1–65535, e.g. 587)"),
    ({"RETROSHEET_SMTP_HOST": "h", "RETROSHEET_SMTP_PORT": "70000"},
     "RETROSHEET_SMTP_PORT='70000' n'est pas un numéro de port (1–65535, par ex. 587)",
     "RETROSHEET_SMTP_PORT='70000' is not a port number (1–65535, e.g. 587)"),
    ({"RETROSHEET_SMTP_HOST": "h", "RETROSHEET_SMTP_STARTTLS": "maybe"},
     "RETROSHEET_SMTP_STARTTLS='maybe' : écrivez 1 ou 0 (true ou false)",
     "RETROSHEET_SMTP_STARTTLS='maybe': write 1 or 0 (true or false)"),
])
def test_smtp_config_errors_are_one_line(env: dict[str, str], fr: str, en: str) -> None:
    """No plan says which language: the user's (French in tests), English when asked."""
    with pytest.raises(RetrosheetError) as err:
        SmtpConfig.from_env(env)
    assert (str(err.value), err.value.line("en")) == (fr, en)


# --- messages --------------------------------------------------------------------------

def test_one_message_per_owner_with_an_email_and_the_whole_report_to_the_manager() -> None:
    made = make()
    mailing = plan_mailing(made.plan, AS_OF, "Label <team@label.fr>", now=NOW)
    by_to = {recipient(m): m for m in mailing.messages}
    assert list(by_to) == ["lea@example.com", "paul@example.com", "radio@example.com"]
    # Owners of tasks without an e-mail are left out, and said so.
    assert mailing.skipped == ["Artiste", "Label", "Réalisateur·rice", "Community manager",
                               "Distributeur", "Tourneur"]
    assert build_messages(made.plan, AS_OF, now=NOW)[0]["From"] == DEFAULT_SENDER
    for m in mailing.messages:
        assert m["From"] == "Label <team@label.fr>"
        assert m["Auto-Submitted"] == "auto-generated"
        assert m["Content-Language"] == "fr"
        assert m["Date"] == "Thu, 29 Apr 2027 08:00:00 +0000"
        assert m["Message-ID"].endswith("@label.fr>")
        assert m.get_content_type() == "multipart/alternative"

    everyone = build_report(made.plan, AS_OF)
    assert by_to["lea@example.com"]["To"] == "Léa <lea@example.com>"
    assert by_to["lea@example.com"]["Subject"] == (
        f"[retrosheet] Nuit blanche — semaine du 26/04 — J-15 : {len(everyone.late)} en retard")
    text, html = parts(by_to["lea@example.com"])
    ids = set(TASK_ID.findall(text))
    assert ids == shown(everyone)
    assert len({t.owner for t in made.plan.tasks if t.id in ids}) > 3  # everybody's tasks
    assert "pour " not in text.splitlines()[0]
    assert "Nuit blanche" in html

    radio = build_report(made.plan, AS_OF, owner="Promo radio")
    msg = by_to["radio@example.com"]
    assert msg["Subject"] == (
        f"[retrosheet] Nuit blanche — semaine du 26/04 — J-15 : {len(radio.late)} en retard")
    text, _ = parts(msg)
    assert text.splitlines()[0].endswith(", pour Promo radio")
    ids = set(TASK_ID.findall(text))
    assert ids and ids <= owned(made, "Promo radio")
    assert ids == shown(radio)
    assert not ids & (shown(everyone) - owned(made, "Promo radio"))


def test_a_role_held_by_a_named_member() -> None:
    """Paul Martin holds the press officer role: the tasks owned by the role are his."""
    made = make()
    press = owned(made, "Attaché·e de presse")
    msg = next(m for m in build_messages(made.plan, AS_OF, now=NOW)
               if recipient(m) == "paul@example.com")
    assert msg["To"] == "Paul Martin <paul@example.com>"
    text, _ = parts(msg)
    assert text.splitlines()[0].endswith(", pour Paul Martin")
    ids = set(TASK_ID.findall(text))
    assert ids and ids <= press
    assert "— Paul Martin" in text


def test_late_tasks_and_findings_are_the_owners_own() -> None:
    made = make()
    by_id = made.plan.by_id()
    by_id["T170"].status = Status.BLOCKED  # a radio task, blocked and late
    msgs = {recipient(m): m for m in build_messages(made.plan, AS_OF, now=NOW)}
    radio, _ = parts(msgs["radio@example.com"])
    paul, _ = parts(msgs["paul@example.com"])
    assert "Bloqué (1)\n  T170 " in radio
    assert "T170" not in paul


def test_subject_in_english_and_nothing_late() -> None:
    made = make(lang="en")
    early = dt.date(2027, 2, 1)
    msgs = build_messages(made.plan, early, now=NOW)
    assert msgs[0]["Subject"] == (
        "[retrosheet] Nuit blanche — week of 02-01 — J-102: nothing late")
    rep = build_report(made.plan, AS_OF)
    assert subject(rep) == f"[retrosheet] Nuit blanche — week of 04-26 — J-15: {len(rep.late)} late"
    rep.title = ""
    assert subject(rep) == f"[retrosheet] week of 04-26 — J-15: {len(rep.late)} late"
    text, _ = parts(build_messages(made.plan, AS_OF, now=NOW)[0])
    assert text.startswith("Report — Nuit blanche — as of 2027-04-29: J-15")


def test_nobody_with_an_email_is_an_error() -> None:
    made = make(emails={})
    assert plan_mailing(made.plan, AS_OF, now=NOW).messages == []
    with pytest.raises(RetrosheetError) as err:
        build_messages(made.plan, AS_OF, now=NOW)
    assert "Paramètres, Équipe" in str(err.value) and "\n" not in str(err.value)


def test_a_malformed_email_is_an_error_naming_the_member() -> None:
    made = make(emails={"Promo radio": ("Zoé", "zoe at example.com")})
    with pytest.raises(RetrosheetError) as err:
        build_messages(made.plan, AS_OF, now=NOW)
    assert str(err.value) == ("Paramètres, Équipe : Zoé : 'zoe at example.com' n'est pas une "
                              "adresse e-mail")


def test_write_eml(tmp_path: Path) -> None:
    made = make()
    msgs = build_messages(made.plan, AS_OF, now=NOW)
    folder = tmp_path / "a" / "b"
    paths = write_eml(msgs + msgs[:1], folder)
    assert [p.name for p in paths] == ["lea@example.com.eml", "paul@example.com.eml",
                                       "radio@example.com.eml", "lea@example.com-2.eml"]
    for path, msg in zip(paths, msgs + msgs[:1], strict=True):
        raw = path.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        back = BytesParser(policy=default).parsebytes(raw)
        assert isinstance(back, EmailMessage)
        assert back["Subject"] == msg["Subject"] and back["To"] == msg["To"]
        assert parts(back) == parts(msg)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(RetrosheetError) as err:
        write_eml(msgs, blocker / "sub")
    # The system's own words (Not a directory) are passed on as they are.
    assert str(err.value) == (f"{blocker / 'sub'} : impossible d'écrire les messages : "
                              f"{os.strerror(errno.ENOTDIR)}")
    assert err.value.line("en") == (f"{blocker / 'sub'}: cannot write the messages: "
                                    f"{os.strerror(errno.ENOTDIR)}")


# --- sending ---------------------------------------------------------------------------

def test_send_to_a_real_server(smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    made = make()
    msgs = build_messages(made.plan, AS_OF, "team@label.fr", now=NOW)
    # STARTTLS is on but this server does not offer it: without a login, send in clear.
    assert send(msgs, SmtpConfig("127.0.0.1", port)) == 3
    assert [e.rcpt_tos for e in sink.envelopes] == [["lea@example.com"], ["paul@example.com"],
                                                    ["radio@example.com"]]
    assert {e.mail_from for e in sink.envelopes} == {"team@label.fr"}
    got = sink.messages()
    for sent, received in zip(msgs, got, strict=True):
        assert received["Subject"] == sent["Subject"]
        assert received["To"] == sent["To"]
        assert parts(received) == parts(sent)
    radio_text, _ = parts(got[2])
    lea_text, _ = parts(got[0])
    assert set(TASK_ID.findall(radio_text)) <= owned(made, "Promo radio")
    assert set(TASK_ID.findall(radio_text)) < set(TASK_ID.findall(lea_text))
    assert send([], SmtpConfig("127.0.0.1", 1)) == 0  # nothing to send: no connection


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login(smtp_auth: tuple[Sink, int]) -> None:
    sink, port = smtp_auth
    msgs = build_messages(make().plan, AS_OF, now=NOW)
    cfg = SmtpConfig("127.0.0.1", port, user="bot", password="s3cret", starttls=False)
    assert send(msgs, cfg) == 3 and len(sink.envelopes) == 3
    with pytest.raises(RetrosheetError) as err:
        send(msgs, dataclasses.replace(cfg, password="wrong"))
    assert str(err.value).startswith(f"SMTP 127.0.0.1:{port} : 535 ")
    assert "\n" not in str(err.value)
    # No STARTTLS on offer: the password is not sent in clear unless STARTTLS is off.
    with pytest.raises(RetrosheetError) as err:
        send(msgs, dataclasses.replace(cfg, starttls=True))
    assert str(err.value) == (
        f"SMTP 127.0.0.1:{port} : le serveur ne propose pas STARTTLS ; le mot de passe n'est "
        "pas envoyé en clair (mettez RETROSHEET_SMTP_STARTTLS=0 pour l'autoriser)")
    assert err.value.line("en") == (
        f"SMTP 127.0.0.1:{port}: the server does not offer STARTTLS; not sending the "
        "password in clear (set RETROSHEET_SMTP_STARTTLS=0 to allow it)")
    assert len(sink.envelopes) == 3


def test_refused_connection_is_one_line() -> None:
    port = free_port()  # nobody listens there
    msgs = build_messages(make().plan, AS_OF, now=NOW)
    with pytest.raises(RetrosheetError) as err:
        send(msgs, SmtpConfig("127.0.0.1", port))
    assert str(err.value) == f"SMTP 127.0.0.1:{port} : Connection refused"
    assert err.value.line("en") == f"SMTP 127.0.0.1:{port}: Connection refused"
    assert isinstance(err.value.__cause__, ConnectionRefusedError)


# --- through the command line ----------------------------------------------------------

def workbook(tmp_path: Path) -> Path:
    """A generated plan whose team table gives e-mails to three members."""
    path = made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14", "--title",
                     "Nuit blanche", "--today", "2027-02-01")
    wb = openpyxl.load_workbook(path)
    ws = wb["Paramètres"]
    head = next(c.row for c in ws["A"] if c.value == "Équipe")
    assert [c.value for c in ws[head + 1][:3]] == ["Nom", "Email", "Rôle"]
    for row in ws.iter_rows(min_row=head + 2, max_col=3):
        role = str(row[2].value)
        if role in EMAILS:
            row[0].value, row[1].value = EMAILS[role]
    wb.save(path)
    return path


def _env(port: int | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {f"RETROSHEET_SMTP_{k}": None for k in (
        "HOST", "PORT", "USER", "PASSWORD", "STARTTLS", "FROM")}
    if port is not None:
        env.update({"RETROSHEET_SMTP_HOST": "127.0.0.1", "RETROSHEET_SMTP_PORT": str(port),
                    "RETROSHEET_SMTP_STARTTLS": "0",
                    "RETROSHEET_SMTP_FROM": "retrosheet@label.fr"})
    return env


def test_cli_report_mail(tmp_path: Path, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    plan = workbook(tmp_path)
    result = CliRunner().invoke(cli, ["report", str(plan), "--as-of", "2027-04-29", "--mail"],
                                env=_env(port))
    assert result.exit_code == 0, result.output
    assert result.stderr == SKIPPED + "3 message(s) envoyé(s)\n"
    assert result.stdout.startswith("Rapport — Nuit blanche — au 29/04/2027 : J-15")
    got = {e.rcpt_tos[0]: m for e, m in zip(sink.envelopes, sink.messages(), strict=True)}
    assert set(got) == {"lea@example.com", "paul@example.com", "radio@example.com"}
    assert {e.mail_from for e in sink.envelopes} == {"retrosheet@label.fr"}
    assert got["radio@example.com"]["Subject"].startswith(
        "[retrosheet] Nuit blanche — semaine du 26/04 — J-15 : ")
    made = make()
    radio, _ = parts(got["radio@example.com"])
    paul, _ = parts(got["paul@example.com"])
    lea, _ = parts(got["lea@example.com"])
    assert set(TASK_ID.findall(radio)) <= owned(made, "Promo radio")
    assert set(TASK_ID.findall(paul)) <= owned(made, "Attaché·e de presse")
    assert set(TASK_ID.findall(radio)) | set(TASK_ID.findall(paul)) < set(TASK_ID.findall(lea))


@pytest.mark.parametrize(("exc", "fr", "en"), [
    (TimeoutError(), "délai dépassé", "timed out"),
    (smtplib.SMTPRecipientsRefused({"b@x.example": (550, b"no"), "a@x.example": (550, b"no")}),
     "destinataire(s) refusé(s) : a@x.example, b@x.example",
     "recipient(s) refused: a@x.example, b@x.example"),
    (smtplib.SMTPResponseException(451, b"try  later"), "451 try later", "451 try later"),
])
def test_why_sending_failed_in_either_language(exc: Exception, fr: str, en: str) -> None:
    """Our words about a failure are translated inside the message; a server's are not."""
    from retrosheet.errors import msg
    from retrosheet.mail import _reason

    err = RetrosheetError(msg("mail.failed_after", server="h:25", error=_reason(exc), n=1,
                              total=3))
    assert err.line("fr") == f"SMTP h:25 : {fr} (1 envoyé sur 3)"
    assert err.line("en") == f"SMTP h:25: {en} (1 of 3 sent)"


def test_cli_report_mail_dry_run(tmp_path: Path, smtp: tuple[Sink, int]) -> None:
    sink, _ = smtp
    plan = workbook(tmp_path)
    out = tmp_path / "mails"
    result = CliRunner().invoke(cli, ["report", str(plan), "--as-of", "2027-04-29", "--mail",
                                      "--dry-run", "--eml-dir", str(out)], env=_env(None))
    assert result.exit_code == 0, result.output
    assert result.stderr == SKIPPED + f"3 message(s) écrit(s) dans {out}\n"
    assert sink.envelopes == []
    files = sorted(out.glob("*.eml"))
    assert [p.name for p in files] == ["lea@example.com.eml", "paul@example.com.eml",
                                       "radio@example.com.eml"]
    for p in files:
        msg = message_from_bytes(p.read_bytes(), policy=default)
        assert isinstance(msg, EmailMessage)
        assert recipient(msg) == p.name.removesuffix(".eml")
        assert msg["Subject"].startswith("[retrosheet] Nuit blanche — semaine du 26/04")
        text, html = parts(msg)
        assert text.startswith("Rapport — Nuit blanche") and "<html" in html


def test_cli_report_mail_without_host_exit_2(tmp_path: Path) -> None:
    plan = workbook(tmp_path)
    result = CliRunner().invoke(cli, ["report", str(plan), "--as-of", "2027-04-29", "--mail"],
                                env=_env(None))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {NO_HOST[0]}\n"


def test_cli_report_mail_refused_exit_2(tmp_path: Path) -> None:
    plan = workbook(tmp_path)
    port = free_port()
    result = CliRunner().invoke(cli, ["report", str(plan), "--as-of", "2027-04-29", "--mail"],
                                env=_env(port))
    assert result.exit_code == 2
    assert result.stderr == SKIPPED + f"Error: SMTP 127.0.0.1:{port} : Connection refused\n"


def test_a_member_without_a_name_is_named_by_role() -> None:
    made = make(emails={"Label": ("", "label@example.com")})
    msgs = build_messages(made.plan, AS_OF, now=NOW)
    assert [m["To"] for m in msgs] == ["label@example.com"]
    text, _ = parts(msgs[0])
    assert text.splitlines()[0].endswith(", pour Label")
    ids = set(TASK_ID.findall(text))
    assert ids and ids <= owned(made, "Label")
