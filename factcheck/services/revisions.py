"""Revisions: every version of what people write, kept with who, when and why.

A claim's wording (text, context, tags), a statement's words (and who said them, where), a
source's details and a link's stance each have a revision per version, the first being the
thing as entered and the newest the thing as it is (``models.Revision``). The services write
one with every change of a tracked field; the desk shows them as a diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..models import Revision, utcnow
from .actor import Actor
from .audit import plain

#: The fields kept, per kind of thing.
TRACKED: dict[str, tuple[str, ...]] = {
    "claim": ("text", "context", "tags"),
    "statement": ("text", "kind", "said_on", "speaker_id", "report_id", "relayed_by_id", "relayed_through_id"),
    "source": ("name", "kind", "description", "anonymous", "anonymity_reason", "sealed_identity",
               "affiliation_id", "url"),
    "link": ("stance", "note"),
    "note": ("body",),
}


def snapshot(kind: str, obj: Any) -> dict[str, Any]:
    """The tracked fields of ``obj`` as JSON values (a claim's tags as a sorted list of names)."""
    values: dict[str, Any] = {}
    for name in TRACKED[kind]:
        value = getattr(obj, name)
        if kind == "claim" and name == "tags":
            value = sorted(tag.name for tag in value)
        values[name] = plain(value)
    return values


def revision_row(
    kind: str, subject_id: int | None, number: int, values: dict[str, Any], actor: Actor, at: datetime,
    reason: str = "",
) -> dict[str, Any]:
    """The columns of one revision (``subject_id`` None where the bulk import fills it in)."""
    return {
        "subject_type": kind, "subject_id": subject_id, "number": number, "values": values,
        "reason": reason, "actor_id": actor.user_id, "via": actor.via, "at": at,
    }


def record(
    session: Session, kind: str, obj: Any, actor: Actor, *, reason: str = "", number: int | None = None
) -> Revision:
    """Keep ``obj`` as it now stands as its next revision (``number``: its version, for the
    things that have one; else one more than its newest)."""
    if number is None:
        newest = session.scalar(
            select(func.max(Revision.number)).where(Revision.subject_type == kind, Revision.subject_id == obj.id)
        )
        number = (newest or 0) + 1
    revision = Revision(**revision_row(kind, obj.id, number, snapshot(kind, obj), actor, utcnow(), reason))
    session.add(revision)
    return revision


def revisions_of(session: Session, kind: str, subject_id: int) -> list[Revision]:
    """Every revision of one thing, oldest first."""
    return list(
        session.scalars(
            select(Revision)
            .where(Revision.subject_type == kind, Revision.subject_id == subject_id)
            .options(joinedload(Revision.actor))
            .order_by(Revision.number)
        )
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RevisionDiff:
    """One revision, and what it changed from the one before (nothing for the first)."""

    revision: Revision
    changed: list[FieldChange]


def diffs(revisions: Sequence[Revision], *, hidden: frozenset[str] = frozenset()) -> list[RevisionDiff]:
    """Each revision with its changes, oldest first; ``hidden`` fields are left out (a sealed
    identity, for anyone below editor)."""
    out = []
    previous: dict[str, Any] = {}
    for revision in revisions:
        changed = [
            FieldChange(name, previous.get(name), value)
            for name, value in revision.values.items()
            if name not in hidden and (not previous or previous.get(name) != value)
        ] if previous else []
        out.append(RevisionDiff(revision, changed))
        previous = revision.values
    return out
