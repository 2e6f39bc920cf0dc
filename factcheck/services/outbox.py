"""The outbox: what someone outside the request must hear of, written with the change.

A row is written in the same transaction as the change that causes it — if the change rolls
back, nothing is sent — and delivered afterwards by the job worker (``factcheck.jobs``), which
retries with backoff: a mail server or a webhook receiver that is down delays a delivery,
never loses it, and never slows or breaks the request that caused it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import OutboxEvent, utcnow

#: ``session.info`` key set when a row is written: once the session commits, the worker is woken
#: (``factcheck.jobs``).
WRITTEN = "factcheck.outbox_written"


def enqueue(
    session: Session, channel: str, event: str, payload: dict[str, Any], *, claim_id: int | None = None,
    notification_id: int | None = None, webhook_id: int | None = None,
) -> OutboxEvent:
    """Write one event to deliver (``channel``: ``email``, ``public``, ``webhook`` or ``cache``)."""
    now = utcnow()
    row = OutboxEvent(channel=channel, event=event, payload=payload, claim_id=claim_id,
                      notification_id=notification_id, webhook_id=webhook_id, created_at=now, attempts=0,
                      next_attempt_at=now, last_error="")
    session.add(row)
    session.info[WRITTEN] = True
    return row
