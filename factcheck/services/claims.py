"""Claims: create, edit, link statements, publish — every write versioned."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, DomainError, Duplicate, NotFound, ValidationError
from ..models import (
    Claim,
    ClaimStatement,
    Priority,
    Role,
    Stance,
    Statement,
    Status,
    StatusChange,
    Tag,
    User,
    utcnow,
)
from . import independence
from .actor import Actor
from .lookup import get_or_not_found
from .validation import clean_text, parse_enum

MAX_CLAIM_LENGTH = 2000
MAX_CONTEXT_LENGTH = 20_000
MAX_TAG_LENGTH = 80
#: The reason of the first row of every claim's history.
CLAIM_ENTERED = "Claim entered."


def get_claim(session: Session, claim_id: int) -> Claim:
    return get_or_not_found(session, Claim, claim_id, "claim")


def get_claim_by_slug(session: Session, slug: str) -> Claim:
    claim = session.scalar(select(Claim).where(Claim.slug == slug))
    if claim is None:
        raise NotFound(f"No claim {slug!r}.")
    return claim


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphenated, cut at a word boundary; ``claim`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "claim"


def unique_slug(session: Session, text: str) -> str:
    """A slug no claim has yet: the text's own, else ``-2`` … ``-9``, else a random suffix.

    Probed with one indexed ``IN`` lookup (never ``LIKE 'base%'``, which scans a million rows
    on PostgreSQL), so entering or importing a claim costs the same at any table size.
    """
    base = slugify(text)
    candidates = [base] + [f"{base}-{n}" for n in range(2, 10)]
    taken = set(session.scalars(select(Claim.slug).where(Claim.slug.in_(candidates))))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    while True:
        candidate = f"{base}-{secrets.token_hex(3)}"
        if session.scalar(select(Claim.id).where(Claim.slug == candidate)) is None:
            return candidate


def _tags(session: Session, names: Iterable[str]) -> list[Tag]:
    cleaned = []
    for name in names:
        tag = clean_text(name, "tag", max_length=MAX_TAG_LENGTH, required=False).lower()
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if not cleaned:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(cleaned)))}
    tags = []
    for name in cleaned:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def create_claim(
    session: Session,
    actor: Actor,
    *,
    text: str,
    context: str = "",
    priority: int = Priority.NORMAL,
    tags: Iterable[str] = (),
    slug: str | None = None,
) -> Claim:
    """Create an unverified claim, with the first row of its status history."""
    text = clean_text(text, "text", max_length=MAX_CLAIM_LENGTH)
    context = clean_text(context, "context", max_length=MAX_CONTEXT_LENGTH, required=False)
    priority = _priority(priority)
    if slug is not None:
        slug = slugify(slug, max_length=120)
        if session.scalar(select(Claim.id).where(Claim.slug == slug)) is not None:
            raise Duplicate(f"A claim with slug {slug!r} already exists.")
    now = utcnow()
    claim = Claim(
        slug=slug or unique_slug(session, text),
        text=text,
        context=context,
        status=Status.UNVERIFIED,
        status_changed_at=now,
        priority=priority,
        version=1,
        created_by_id=actor.user_id,
        created_at=now,
        last_activity_at=now,
        tags=_tags(session, tags),
    )
    session.add(claim)
    session.flush()
    session.add(StatusChange(**entered_row(claim.id, actor, now)))
    session.flush()
    return claim


def entered_row(claim_id: int | None, actor: Actor, at: datetime) -> dict[str, Any]:
    """The columns of a claim's first history row, written when it is entered (``claim_id``
    None where the caller fills it in later: the bulk import, before its claims are inserted)."""
    return {
        "claim_id": claim_id, "from_status": None, "to_status": Status.UNVERIFIED, "reason": CLAIM_ENTERED,
        "evidence": "", "independence_override": False, "override_reason": None,
        "actor_id": actor.user_id, "via": actor.via, "version": 1, "at": at, "replaced_verdict": None,
    }


def _priority(value: object) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
        return int(Priority(number))
    except (TypeError, ValueError):
        raise ValidationError(
            "Priority must be 0 (low), 1 (normal), 2 (high) or 3 (urgent).",
            {"priority": "must be 0, 1, 2 or 3"},
        ) from None


def bump_version(
    session: Session, claim: Claim, expected_version: int | None, values: dict[str, Any]
) -> int:
    """Apply ``values`` to the claim and increment its version in one conditional UPDATE.

    With ``expected_version`` the row count of ``UPDATE … WHERE version = :expected`` decides:
    0 rows means someone else wrote first, and Conflict is raised with the current version
    and status (nothing of this call is written). Without it (adding a statement, which two
    people may do at once) the version is incremented unconditionally.
    """
    session.flush()
    now = utcnow()
    stmt = update(Claim).where(Claim.id == claim.id)
    if expected_version is not None:
        stmt = stmt.where(Claim.version == expected_version)
    # ORM-enabled UPDATE … RETURNING the entity: the loaded claim is refreshed from the row
    # the UPDATE wrote (populate_existing), with no SELECT after it.
    updated = session.execute(
        stmt.values(**{"version": Claim.version + 1, "last_activity_at": now, **values})
        .returning(Claim)
        .execution_options(synchronize_session=False, populate_existing=True)
    ).scalar_one_or_none()
    if updated is None:
        raise not_written(session, claim.id, expected_version)
    assert updated is claim
    return claim.version


def not_written(db: Session | Connection, claim_id: int, expected_version: int | None) -> DomainError:
    """Why a conditional UPDATE of the claim matched no row: it is gone (NotFound), or someone
    else wrote first (Conflict, with the current version and status)."""
    current = db.execute(select(Claim.version, Claim.status).where(Claim.id == claim_id)).one_or_none()
    if current is None:
        return NotFound(f"Claim {claim_id} no longer exists.")
    return _conflict(current.version, current.status, expected_version)


def _conflict(current_version: int, current_status: Status, expected_version: int | None) -> Conflict:
    return Conflict(
        f"This claim was changed by someone else since you opened it: it is now at version "
        f"{current_version} with status {current_status.value}, and you edited version "
        f"{expected_version}. Nothing was saved; review the changes and retry.",
        current_version=current_version,
        current_status=current_status.value,
    )


class Versioned(Protocol):
    """What optimistic locking reads of a claim: a loaded ``Claim``, or the three columns a
    status change through the API reads (``status_direct.ClaimState``)."""

    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def status(self) -> Status: ...


def check_version(claim: Versioned, expected_version: int) -> None:
    """Refuse early, before any rule is judged, when the client edited an older version.

    ``bump_version`` re-checks inside the UPDATE, which settles races; this check only makes
    a stale client see the conflict rather than a rule that no longer applies to what it saw.
    """
    if claim.version != expected_version:
        raise _conflict(claim.version, claim.status, expected_version)


def require_version(value: object) -> int:
    """The expected version a client sent (form field, If-Match), as a positive int."""
    try:
        version = int(str(value).strip().strip('"').removeprefix("W/").strip('"'))
    except (TypeError, ValueError):
        version = 0
    if version < 1:
        raise ValidationError(
            "The claim's version is missing or not a number; reload the claim and retry.",
            {"version": "required: the version you read"},
        )
    return version


def update_claim(
    session: Session, claim: Claim, actor: Actor, *, expected_version: int, **fields: Any
) -> Claim:
    """Edit text, context, tags (any checker) or desk fields (editors only)."""
    check_version(claim, expected_version)
    values: dict[str, Any] = {}
    if "text" in fields:
        values["text"] = clean_text(fields.pop("text"), "text", max_length=MAX_CLAIM_LENGTH)
    if "context" in fields:
        values["context"] = clean_text(
            fields.pop("context"), "context", max_length=MAX_CONTEXT_LENGTH, required=False
        )
    desk = {"priority", "assignee_id", "next_review_on", "deadline"} & fields.keys()
    if desk:
        actor.require(Role.EDITOR, "assign, prioritise or set deadlines")
    if "priority" in fields:
        values["priority"] = _priority(fields.pop("priority"))
    if "assignee_id" in fields:
        assignee_id = fields.pop("assignee_id")
        if assignee_id is not None:
            user = session.get(User, assignee_id)
            if user is None or not user.active:
                raise ValidationError("No active user to assign to.", {"assignee_id": "unknown user"})
        values["assignee_id"] = assignee_id
    if "next_review_on" in fields:
        value = fields.pop("next_review_on")
        if value is not None and not isinstance(value, date):
            raise ValidationError("Next review must be a date.", {"next_review_on": "not a date"})
        values["next_review_on"] = value
    if "deadline" in fields:
        value = fields.pop("deadline")
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise ValidationError("Deadline must be a date and time.", {"deadline": "not a date"})
        values["deadline"] = value
    tags = fields.pop("tags", None)
    if fields:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(fields))}.")
    bump_version(session, claim, expected_version, values)
    if tags is not None:
        claim.tags = _tags(session, tags)
        session.flush()
    return claim


def set_published(
    session: Session, claim: Claim, actor: Actor, *, published: bool, expected_version: int
) -> Claim:
    """Publish (readers see it, with its badge) or unpublish (readers get 404)."""
    actor.require(Role.EDITOR, "publish or unpublish claims")
    check_version(claim, expected_version)
    value = (claim.published_at or utcnow()) if published else None
    bump_version(session, claim, expected_version, {"published_at": value})
    return claim


def link_statement(
    session: Session,
    claim: Claim,
    statement: Statement,
    actor: Actor,
    *,
    stance: Stance | str,
    note: str = "",
) -> ClaimStatement:
    """Record how ``statement`` bears on ``claim``; refreshes the claim's source flags."""
    stance = parse_enum(Stance, stance, "stance")
    note = clean_text(note, "note", max_length=5000, required=False)
    already = session.scalar(
        select(func.count())
        .select_from(ClaimStatement)
        .where(ClaimStatement.claim_id == claim.id, ClaimStatement.statement_id == statement.id)
    )
    if already:
        raise Duplicate("This statement is already linked to this claim; change its stance instead.")
    link = ClaimStatement(
        claim=claim,
        statement=statement,
        stance=stance,
        note=note,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(link)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request linked it first
        raise Duplicate("This statement is already linked to this claim.") from None
    refresh_source_flags(session, claim)
    return link


def set_stance(
    session: Session, link: ClaimStatement, actor: Actor, *, stance: Stance | str
) -> ClaimStatement:
    """Change how a linked statement bears on its claim."""
    link.stance = parse_enum(Stance, stance, "stance")
    session.flush()
    refresh_source_flags(session, link.claim)
    return link


def refresh_source_flags(session: Session, claim: Claim) -> None:
    """Recompute the claim's stored source flags from its links; a new version either way."""
    session.refresh(claim, ["links"])
    flags = independence.compute_flags(list(claim.links))
    bump_version(
        session,
        claim,
        None,
        {
            "flag_contested": flags.contested,
            "flag_single_source": flags.single_source,
            "flag_anonymous_only": flags.anonymous_only,
        },
    )
