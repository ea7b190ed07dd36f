"""The weekly report by e-mail, for `retrosheet report --mail`.

Each team member (Settings, team table) who has an e-mail and owns tasks gets their part
of the report; the plan's owner (role Manager, or the first member) gets all of it. Text
and HTML alternatives, subject in the plan's language. Messages are sent over SMTP
(configured by RETROSHEET_SMTP_* variables) or written as .eml files for a dry run.
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path

from .checks import Finding, check_plan
from .effective import EffectivePlan, effective_of
from .errors import Msg, RetrosheetError, msg
from .history import PastMeasure
from .ics import find_member, plan_owner
from .labels import sheet_name, word
from .model import Member, Plan
from .render import to_text
from .report import Report, build_report
from .values import one_line
from .words import formats as fmt
from .words import t

DEFAULT_SENDER = "retrosheet@localhost"
ENV_PREFIX = "RETROSHEET_SMTP_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass
class SmtpConfig:
    """Where and how to send: host and port, optional login, STARTTLS, the From address."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    sender: str = DEFAULT_SENDER

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpConfig:
        """The configuration in RETROSHEET_SMTP_HOST, _PORT, _USER, _PASSWORD, _STARTTLS
        (1/0, true/false) and _FROM of `env` (the caller's environment); HOST is required."""

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        host = get("HOST")
        if host is None:
            raise RetrosheetError(msg("mail.no_host", var=f"{ENV_PREFIX}HOST"))
        port_text = get("PORT")
        port = 587
        if port_text is not None:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise RetrosheetError(msg("mail.bad_port", var=f"{ENV_PREFIX}PORT",
                                          value=repr(port_text)))
            port = int(port_text)
        tls_text = get("STARTTLS")
        starttls = True
        if tls_text is not None:
            if tls_text.lower() not in _TRUE | _FALSE:
                raise RetrosheetError(msg("mail.bad_starttls", var=f"{ENV_PREFIX}STARTTLS",
                                          value=repr(tls_text)))
            starttls = tls_text.lower() in _TRUE
        return cls(host=host, port=port, user=get("USER"), password=get("PASSWORD"),
                   starttls=starttls, sender=get("FROM") or DEFAULT_SENDER)


@dataclass
class Mailing:
    """What `build_messages` makes, with the owners it could not write to."""

    messages: list[EmailMessage]
    # Owners of tasks (or the plan's owner) left out because no e-mail is known for them.
    skipped: list[str] = field(default_factory=list)


def subject(rep: Report) -> str:
    """`[retrosheet] Nuit blanche — semaine du 26/04 — J-15 : 3 en retard`."""
    lang = rep.lang
    name = rep.title.strip() or rep.artist.strip()
    week = t("mail.week", lang, monday=fmt.date_short(rep.week[0], lang))
    n = len(rep.late)
    late = t("mail.late", lang, n=n) if n else t("mail.nothing_late", lang)
    state = fmt.labelled(rep.j_label, late, lang)
    return "[retrosheet] " + " — ".join(x for x in (name, week, state) if x)


def _owned_by(plan: Plan, member: Member) -> list[str]:
    """IDs of the tasks whose owner names `member` (by name, or by role)."""
    team = plan.settings.team
    return [t.id for t in plan.tasks if find_member(team, t.owner) is member]


def _display(member: Member) -> str:
    return member.name.strip() or member.role.strip() or member.email.strip()


def _member_plan(plan: Plan, member: Member, ids: set[str]) -> Plan:
    """The plan with the member's tasks under the member's name, so a report for that
    name gathers tasks that name their role as well."""
    name = _display(member)
    tasks = [replace(t, owner=name) if t.id in ids else t for t in plan.tasks]
    return Plan(plan.settings, tasks, plan.contacts)


def _check_address(plan: Plan, member: Member) -> str:
    email = member.email.strip()
    _, addr = parseaddr(email)
    if not addr or addr != email or "@" not in addr or " " in addr:
        lang = plan.settings.lang
        raise RetrosheetError(msg("mail.bad_address", sheet=sheet_name("settings", lang),
                                  team=word("team", lang), who=_display(member),
                                  email=repr(email)), lang=lang)
    return addr


def _message(rep: Report, to: Member, address: str, sender: str,
             now: dt.datetime) -> EmailMessage:
    from .render_html import to_html

    msg = EmailMessage()
    # Header values on one line: a line break typed in a cell must not stop the mailing
    # (and never starts a header of its own).
    msg["Subject"] = one_line(subject(rep))
    msg["From"] = sender
    name = one_line(to.name)
    # An Address object, not a string: the display name is always quoted or encoded,
    # so a name such as `Léa Bcc: x@y` cannot turn into a group of other recipients.
    msg["To"] = Address(display_name=name, addr_spec=address) if name else address
    msg["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "retrosheet.invalid"
    msg["Message-ID"] = make_msgid("retrosheet", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    # Quoted-printable: 7-bit safe for any server, and long HTML lines stay under 998.
    msg.set_content(to_text(rep), cte="quoted-printable")
    msg.add_alternative(to_html(rep), subtype="html", cte="quoted-printable")
    msg["Content-Language"] = rep.lang  # after the parts: set_content clears Content-*
    return msg


def plan_mailing(
    source: Plan | EffectivePlan,
    as_of: dt.date,
    sender: str | None = None,
    *,
    now: dt.datetime,
    history: Sequence[PastMeasure] = (),
) -> Mailing:
    """One message per member with an e-mail who owns tasks, the whole report to the
    plan's owner; the owners without an e-mail in `skipped`.

    `sender` defaults to retrosheet@localhost; `now` dates the messages; `history` gives
    each indicator its week-on-week change (report.build_report).
    """
    eff = effective_of(source)
    plan = eff.plan
    st = plan.settings
    sender = sender or DEFAULT_SENDER
    stamp = now.replace(microsecond=0)
    findings = check_plan(eff, as_of)
    boss = plan_owner(st.team)
    messages: list[EmailMessage] = []
    skipped: list[str] = []
    if boss is not None:
        if boss.email.strip():
            rep = build_report(eff, as_of, findings=findings, history=history)
            messages.append(_message(rep, boss, _check_address(plan, boss), sender, stamp))
        else:
            skipped.append(_display(boss))
    for member in st.team:
        if member is boss:
            continue
        ids = _owned_by(plan, member)
        if not ids:
            continue
        if not member.email.strip():
            skipped.append(_display(member))
            continue
        mine = set(ids)
        rep = build_report(replace(eff, plan=_member_plan(plan, member, mine)), as_of,
                           owner=_display(member), findings=_findings_for(findings, mine),
                           history=history)
        messages.append(_message(rep, member, _check_address(plan, member), sender, stamp))
    # Owners the team table does not list: nobody to write to.
    strangers = {t.owner.strip() for t in plan.tasks
                 if t.owner.strip() and find_member(st.team, t.owner) is None}
    skipped += sorted(strangers)
    return Mailing(messages, skipped)


def _findings_for(findings: list[Finding], ids: set[str]) -> list[Finding]:
    return [f for f in findings if f.task in ids]


def build_messages(
    source: Plan | EffectivePlan,
    as_of: dt.date,
    sender: str | None = None,
    *,
    now: dt.datetime,
) -> list[EmailMessage]:
    """The report's messages (see `plan_mailing`). Nobody with an e-mail is an error:
    the command would otherwise do nothing without saying why."""
    mailing = plan_mailing(source, as_of, sender, now=now)
    if not mailing.messages:
        st = source.plan.settings if isinstance(source, EffectivePlan) else source.settings
        raise RetrosheetError(msg("mail.nobody", sheet=sheet_name("settings", st.lang),
                                  team=word("team", st.lang)), lang=st.lang)
    return mailing.messages


def recipient(msg: EmailMessage) -> str:
    """The message's first To address (`lea@example.com`)."""
    pairs = getaddresses([str(msg.get("To", ""))])
    return pairs[0][1] if pairs else ""


def _safe_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9@._+-]+", "_", text).strip("._") or "message"
    return name[:100]


def write_eml(messages: Sequence[EmailMessage], folder: Path) -> list[Path]:
    """Each message as `<recipient>.eml` in `folder` (created), CRLF line endings."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        used: set[str] = set()
        for message in messages:
            stem = _safe_name(recipient(message))
            name, n = f"{stem}.eml", 1
            while name.casefold() in used:
                n += 1
                name = f"{stem}-{n}.eml"
            used.add(name.casefold())
            path = folder / name
            path.write_bytes(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
            paths.append(path)
    except OSError as exc:
        raise RetrosheetError(msg("mail.cannot_write", path=exc.filename or folder,
                                  error=exc.strerror or exc)) from exc
    return paths


def _reason(exc: BaseException) -> str | Msg:
    """What went wrong: the server's or the system's own words, or ours (translated)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        reason = f"{exc.smtp_code} {text}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        return msg("mail.refused", who=", ".join(sorted(exc.recipients)))
    elif isinstance(exc, TimeoutError):
        return msg("mail.timed_out")
    elif isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror
    else:
        reason = str(exc) or type(exc).__name__
    return " ".join(reason.split())


def send(messages: Sequence[EmailMessage], config: SmtpConfig, *,
         timeout: float = 30.0) -> int:
    """Send `messages` through one SMTP connection; the number sent.

    STARTTLS is used when configured and the server offers it; login follows when a user
    is set (never in clear: a server without STARTTLS is refused unless STARTTLS is off).
    Port 465 means implicit TLS. Any failure is a RetrosheetError naming host:port.
    """
    if not messages:
        return 0
    where = f"{config.host}:{config.port}"
    sent = 0
    try:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if config.port == 465:
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout,
                                    context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=timeout)
        with smtp:
            smtp.ehlo()
            if config.starttls and config.port != 465:
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif config.user:
                    raise RetrosheetError(msg("mail.no_starttls", server=where,
                                              var=f"{ENV_PREFIX}STARTTLS"))
            if config.user:
                smtp.login(config.user, config.password or "")
            for message in messages:
                smtp.send_message(message)
                sent += 1
    except RetrosheetError:
        raise
    except (smtplib.SMTPException, OSError) as exc:
        reason = _reason(exc)
        raise RetrosheetError(
            msg("mail.failed_after", server=where, error=reason, n=sent, total=len(messages))
            if sent else msg("mail.failed", server=where, error=reason)) from exc
    return sent

