"""E-mail: the immediate message and the daily digest, and the SMTP server they go through.

Each person chooses (``User.email_now``, ``User.email_digest``; ``inbox.set_email_choices``): mentions, assignments and
sign-off requests by e-mail at once (``services.inbox.notify`` writes an ``email`` outbox row
in the same transaction as the notification), and everything else they have not read in a
daily digest (``queue_digests``, run by the worker once a day). The worker renders and sends
each row after the change committed (``services.delivery``); a mail server that is down
delays it — retried with backoff — and never loses it or slows the desk.

Sent with the standard library (``smtplib``, ``email.message.EmailMessage``): SMTP with
STARTTLS or implicit TLS and a login is all a newsroom's relay needs, and the standard
library's implementation is maintained with Python itself.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from ..models import Notification, OutboxEvent, User, utcnow
from . import outbox

#: Notifications listed in one digest at most (the rest: "and N more", all on "my work").
DIGEST_LIMIT = 50


@dataclass(frozen=True)
class Smtp:
    """How to reach the mail server (``config.Config``: ``SMTP_*``, ``MAIL_FROM``)."""

    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    #: ``starttls``, ``ssl`` or ``none``.
    tls: str = "starttls"
    timeout: float = 10
    sender: str = ""
    #: Where links in messages point (the public base URL, without a trailing slash).
    base_url: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Smtp:
        host = (config.get("SMTP_HOST") or "").strip()
        sender = (config.get("MAIL_FROM") or "").strip() or (f"factcheck@{host}" if host else "")
        return cls(host, int(config.get("SMTP_PORT") or 587), config.get("SMTP_USER") or "",
                   config.get("SMTP_PASSWORD") or "", (config.get("SMTP_TLS") or "starttls").strip().lower(),
                   float(config.get("SMTP_TIMEOUT") or 10), sender,
                   (config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/"))

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Mail:
    """A rendered message, and the notifications it tells of (marked e-mailed once sent)."""

    message: EmailMessage
    notification_ids: tuple[int, ...]


def _claim_link(smtp: Smtp, claim_id: int | None) -> str:
    return f"{smtp.base_url}/desk/claims/{claim_id}" if claim_id and smtp.base_url else ""


def _preferences(smtp: Smtp) -> str:
    """Where a person changes what they receive (``inbox.set_email_choices``)."""
    return f"{smtp.base_url}/desk/preferences" if smtp.base_url else "your e-mail preferences on the desk"


def _message(smtp: Smtp, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = " ".join(subject.split())[:150]
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    message.set_content(body)
    return message


def render(session: Session, row: OutboxEvent, smtp: Smtp) -> Mail | str:
    """The message an ``email`` outbox row stands for, or why there is none to send now (the
    person left, changed their choice, or the notification is gone)."""
    if row.event == "digest":
        return _render_digest(session, row, smtp)
    note = session.get(Notification, row.notification_id or row.payload.get("notification_id") or 0)
    if note is None:
        return "nothing to send: the notification is gone"
    user = session.get(User, note.user_id)
    if user is None or not user.active:
        return "nothing to send: the account is deactivated"
    if not user.email_now:
        return "nothing to send: they no longer want e-mail at once (the digest will list it)"
    if note.emailed_at is not None:
        return "nothing to send: already e-mailed"
    claim = note.claim
    lines = [note.text, ""]
    if claim is not None:
        lines += [f"Claim: {claim.text}", _claim_link(smtp, claim.id), ""]
    lines += ["You receive this at once because you chose e-mail for mentions, assignments and sign-off "
              f"requests; change it at {_preferences(smtp)}."]
    subject = f"[factcheck] {note.text.splitlines()[0] if note.text else note.kind}"
    return Mail(_message(smtp, user.email, subject, "\n".join(lines)), (note.id,))


def _unsent(user_id: int) -> Any:
    return and_(Notification.user_id == user_id, Notification.read_at.is_(None), Notification.emailed_at.is_(None))


def _render_digest(session: Session, row: OutboxEvent, smtp: Smtp) -> Mail | str:
    user = session.get(User, row.payload.get("user_id") or 0)
    if user is None or not user.active:
        return "nothing to send: the account is deactivated"
    if not user.email_digest:
        return "nothing to send: they no longer want the daily digest"
    ids = [int(i) for i in row.payload.get("notification_ids") or []]
    notes = list(session.scalars(select(Notification).options(joinedload(Notification.claim))
                                 .where(Notification.id.in_(ids), _unsent(user.id)).order_by(Notification.id)))
    if not notes:
        return "nothing to send: everything in it was read or e-mailed meanwhile"
    lines = [f"What you have not read yet ({len(notes)}):", ""]
    for note in notes:
        lines.append(f"- {note.text}")
        link = _claim_link(smtp, note.claim_id)
        if link:
            lines.append(f"  {link}")
    more = int(row.payload.get("more") or 0)
    if more:
        lines.append(f"… and {more} more on your \"my work\" page.")
    lines += ["", f"You receive this digest once a day because you chose it; change it at {_preferences(smtp)}."]
    subject = f"[factcheck] Your daily digest: {len(notes)} unread" + (f" (and {more} more)" if more else "")
    return Mail(_message(smtp, user.email, subject, "\n".join(lines)), tuple(n.id for n in notes))


def send(mail: Mail, smtp: Smtp) -> None:
    """Hand ``mail`` to the SMTP server; raises (``smtplib.SMTPException``, ``OSError``) if it
    is not accepted."""
    context = ssl.create_default_context()
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        if smtp.tls == "starttls":
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(mail.message)


def mark_emailed(session: Session, notification_ids: Sequence[int], at: datetime) -> None:
    for note in session.scalars(select(Notification).where(Notification.id.in_(list(notification_ids)))):
        if note.emailed_at is None:
            note.emailed_at = at
    session.flush()


def queue_digests(session: Session, now: datetime | None = None) -> int:
    """The daily digest: one ``email`` outbox row per person who chose it and has notifications
    neither read nor e-mailed (nor waiting to be e-mailed at once). Someone whose previous
    digest is still waiting to go out gets no second one. Returns how many were queued."""
    now = now or utcnow()
    pending = list(session.scalars(select(OutboxEvent).where(
        OutboxEvent.channel == "email", OutboxEvent.delivered_at.is_(None), OutboxEvent.failed_at.is_(None))))
    waiting_digest = {row.payload.get("user_id") for row in pending if row.event == "digest"}
    waiting_now = {row.notification_id for row in pending if row.event != "digest"}
    queued = 0
    for user in session.scalars(select(User).where(User.active, User.email_digest).order_by(User.id)):
        if user.id in waiting_digest:
            continue
        ids = [i for i in session.scalars(select(Notification.id).where(_unsent(user.id), Notification.created_at <= now)
                                          .order_by(Notification.id)) if i not in waiting_now]
        if not ids:
            continue
        outbox.enqueue(session, "email", "digest", {
            "user_id": user.id, "day": now.date().isoformat(), "notification_ids": ids[:DIGEST_LIMIT],
            "more": max(0, len(ids) - DIGEST_LIMIT),
        })
        queued += 1
    session.flush()
    return queued
