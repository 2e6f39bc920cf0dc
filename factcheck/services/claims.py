"""Claims: create, edit, link statements, publish — every write versioned."""

from __future__ import annotations

import functools
import itertools
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Update, bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import Conflict, DomainError, Duplicate, NotFound, ValidationError
from ..models import (
    Claim,
    ClaimStatement,
    Priority,
    Revision,
    Role,
    Stance,
    Statement,
    Status,
    StatusChange,
    Tag,
    User,
    utcnow,
)
from . import audit, independence, public_history, revisions, signoff, watching
from .actor import Actor
from .lookup import get_or_not_found
from .validation import clean_text, parse_enum

_CLAIMS = Claim.__table__
#: The claim's many-to-one references, by the columns that hold them (``bump_version``).
_REFERENCES = {rel.key: {column.key for column in rel.local_columns}
               for rel in Claim.__mapper__.relationships if rel.direction.name == "MANYTOONE"}

MAX_CLAIM_LENGTH = 2000
MAX_CONTEXT_LENGTH = 20_000
MAX_TAG_LENGTH = 100
#: Tags on one claim: enough to file it, few enough that no request can stall a worker.
MAX_TAGS = 50
MAX_REASON_LENGTH = 10_000
MAX_NOTE_LENGTH = 5000
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
    """The claim's tags, cleaned (lower case, once each): at most MAX_TAGS of MAX_TAG_LENGTH
    characters, refused beyond that before any of them is looked up."""
    names = list(itertools.islice(names, 10 * MAX_TAGS + 1))
    if len(names) > 10 * MAX_TAGS:
        raise ValidationError(f"Tags: at most {MAX_TAGS}.", {"tags": f"at most {MAX_TAGS}"})
    cleaned: list[str] = []
    for name in names:
        tag = clean_text(name, "tag", max_length=MAX_TAG_LENGTH, required=False).lower()
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(f"Tags: at most {MAX_TAGS} (there are {len(cleaned)}).", {"tags": f"at most {MAX_TAGS}"})
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


def claim_row(
    session: Session, actor: Actor, *, text: str, context: str = "", priority: object = Priority.NORMAL,
    slug: str | None = None, at: datetime,
) -> dict[str, Any]:
    """The columns of a new claim, checked (text, context, priority; a given slug must be new):
    ``create_claim`` inserts it, the bulk import inserts it in bulk."""
    text = clean_text(text, "text", max_length=MAX_CLAIM_LENGTH)
    context = clean_text(context, "context", max_length=MAX_CONTEXT_LENGTH, required=False)
    priority = _priority(priority)
    if priority != Priority.NORMAL:  # a desk field, as in update_claim: the same rule for every interface
        actor.require(Role.EDITOR, "set a claim's priority")
    if slug is not None:
        slug = slugify(slug, max_length=120)
        if session.scalar(select(Claim.id).where(Claim.slug == slug)) is not None:
            raise Duplicate(f"A claim with slug {slug!r} already exists.")
    return {
        "slug": slug, "text": text, "context": context, "status": Status.UNVERIFIED, "status_changed_at": at,
        "priority": priority, "assignee_id": None, "next_review_on": None, "deadline": None,
        "published_at": None, "version": 1, "created_by_id": actor.user_id, "created_at": at,
        "last_activity_at": at, "flag_contested": False, "flag_single_source": False,
        "flag_anonymous_only": False,
    }


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
    """Create an unverified claim, with the first row of its status history, its first
    revision and its audit event."""
    now = utcnow()
    row = claim_row(session, actor, text=text, context=context, priority=priority, slug=slug, at=now)
    if row["slug"] is None:
        row["slug"] = unique_slug(session, row["text"])
    claim = Claim(**row, tags=_tags(session, tags))
    session.add(claim)
    session.flush()
    session.add(StatusChange(**entered_row(claim.id, actor, now)))
    values = revisions.snapshot("claim", claim)
    session.add(Revision(**revisions.revision_row("claim", claim.id, 1, values, actor, now)))
    audit.append(session, created_event("claim", claim.id, values, actor, now))
    session.flush()
    watching.watch(session, [actor.user_id], claim.id, "created")
    return claim


def created_event(kind: str, subject_id: int | None, values: dict[str, Any], actor: Actor, at: datetime) -> dict[str, Any]:
    """The audit event of a new claim, source, report, statement or link (its first values as
    the "after" side), as ``create_claim`` and the bulk import write it."""
    return audit.event_row(
        f"{kind}.create", actor=actor, subject_type=kind, subject_id=subject_id,
        changes=audit.changes({}, values), at=at,
    )


def entered_row(claim_id: int | None, actor: Actor, at: datetime) -> dict[str, Any]:
    """The columns of a claim's first history row, written when it is entered (``claim_id``
    None where the caller fills it in later: the bulk import, before its claims are inserted)."""
    return {
        "claim_id": claim_id, "from_status": None, "to_status": Status.UNVERIFIED, "reason": CLAIM_ENTERED,
        "evidence": "", "independence_override": False, "override_reason": None,
        "actor_id": actor.user_id, "via": actor.via, "version": 1, "at": at, "note": "", "override_note": "",
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
    values = {"last_activity_at": now, **values}
    # A table UPDATE … RETURNING the new version: the loaded claim then takes the values it
    # wrote as its committed state (no SELECT after it, and none of the ORM's bulk-update
    # machinery, which cost this status change's path more than the statement itself).
    version = session.execute(
        _version_update(tuple(values), expected_version is not None),
        {"claim_id": claim.id, "expected_version": expected_version,
         **{f"new_{name}": value for name, value in values.items()}},
    ).scalar_one_or_none()
    if version is None:
        raise not_written(session, claim.id, expected_version)
    for name, value in {**values, "version": version}.items():
        set_committed_value(claim, name, value)
    # A reference the update moved (the assignee) is read again when next used.
    moved = [key for key, columns in _REFERENCES.items() if columns & values.keys()]
    if moved:
        session.expire(claim, moved)
    return version


@functools.cache
def _version_update(names: tuple[str, ...], conditional: bool) -> Update:
    """``bump_version``'s statement for the columns ``names``, built once for each set of
    columns (building it cost as much as running it): ``UPDATE claims SET version = version + 1,
    <names> WHERE id = :claim_id [AND version = :expected_version] RETURNING version``."""
    stmt = update(_CLAIMS).where(_CLAIMS.c.id == bindparam("claim_id"))
    if conditional:
        stmt = stmt.where(_CLAIMS.c.version == bindparam("expected_version"))
    return stmt.values(
        version=_CLAIMS.c.version + 1,
        **{name: bindparam(f"new_{name}", type_=_CLAIMS.c[name].type) for name in names},
    ).returning(_CLAIMS.c.version)


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
    """What optimistic locking reads of a claim: its id, version and status (a loaded
    ``Claim``, or any row with those three)."""

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


#: Fields of a claim only editors set: the desk's work on it.
DESK_FIELDS = ("priority", "assignee_id", "next_review_on", "deadline")


def _desk_values(claim: Claim) -> dict[str, Any]:
    return {name: getattr(claim, name) for name in DESK_FIELDS}


def update_claim(
    session: Session, claim: Claim, actor: Actor, *, expected_version: int, reason: str | None = None,
    **fields: Any,
) -> Claim:
    """Edit the wording, context and tags (any checker) or the desk fields (editors only).

    The wording, context and tags are kept as a revision; every field's before and after in
    the audit event. Once the claim is published its wording is what readers read under the
    verdict: changing it is an editor's act with a public ``reason``, recorded as a
    correction. A save that changes nothing writes nothing.
    """
    check_version(claim, expected_version)
    values: dict[str, Any] = {}
    if "text" in fields:
        values["text"] = clean_text(fields.pop("text"), "text", max_length=MAX_CLAIM_LENGTH)
    if "context" in fields:
        values["context"] = clean_text(
            fields.pop("context"), "context", max_length=MAX_CONTEXT_LENGTH, required=False
        )
    if set(DESK_FIELDS) & fields.keys():
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
    values = {name: value for name, value in values.items() if getattr(claim, name) != value}
    new_tags = _tags(session, tags) if tags is not None else None
    if new_tags is not None and sorted(t.name for t in new_tags) == sorted(t.name for t in claim.tags):
        new_tags = None
    reworded = "text" in values
    public_reason = ""
    if reworded and claim.published:
        actor.require(
            Role.EDITOR,
            "change the wording of a published claim: readers see it as a correction. Ask an "
            "editor, or change the context and tags, which stay editable",
        )
        public_reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=False)
        if not public_reason:
            raise ValidationError(
                "Say why the wording of a published claim changes: readers see the reason with the "
                "correction.", {"reason": "required to change a published claim's wording"},
            )
    if not values and new_tags is None:
        return claim
    before = {**revisions.snapshot("claim", claim), **_desk_values(claim), "version": claim.version}
    previous_text = claim.text
    bump_version(session, claim, expected_version, values)
    if new_tags is not None:
        claim.tags = new_tags
        session.flush()
    after = {**revisions.snapshot("claim", claim), **_desk_values(claim), "version": claim.version}
    if any(before[name] != after[name] for name in revisions.TRACKED["claim"]):
        why = public_reason or clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=False)
        revisions.record(session, "claim", claim, actor, reason=why)
    if reworded:
        public_history.reworded(session, claim, previous_text, public_reason, utcnow())
    audit.record(session, "claim.edit", actor=actor, subject_type="claim", subject_id=claim.id,
                 changes=audit.changes(before, after), detail=public_reason)
    if values.get("assignee_id") is not None:
        watching.assigned(session, claim, values["assignee_id"], actor)
    session.flush()
    return claim


def set_published(
    session: Session, claim: Claim, actor: Actor, *, published: bool, expected_version: int
) -> Claim:
    """Publish (readers see it, with its badge) or unpublish (readers get 404); either is in
    the public history. Asking for the state it is already in changes nothing. Publishing a
    claim that has a verdict waits for a second editor's sign-off (``services.signoff``): the
    claim stays unpublished until it is approved."""
    actor.require(Role.EDITOR, "publish or unpublish claims")
    check_version(claim, expected_version)
    if claim.published == published:
        return claim
    if published and signoff.publication_waits(session, claim, actor) is not None:
        return claim
    now = utcnow()
    before = {"published_at": claim.published_at, "version": claim.version}
    bump_version(session, claim, expected_version, {"published_at": now if published else None})
    if published:
        public_history.published(session, claim, now)
    else:
        public_history.unpublished(session, claim, now)
    audit.record(session, "claim.publish" if published else "claim.unpublish", actor=actor,
                 subject_type="claim", subject_id=claim.id,
                 changes=audit.changes(before, {"published_at": claim.published_at, "version": claim.version}))
    session.flush()
    return claim


def link_row(claim_id: int | None, statement_id: int | None, stance: Stance, note: str, actor: Actor,
             at: datetime) -> dict[str, Any]:
    """The columns of a new link (ids None where the bulk import fills them in)."""
    return {"claim_id": claim_id, "statement_id": statement_id, "stance": stance, "note": note,
            "created_by_id": actor.user_id, "created_at": at}


def link_statement(
    session: Session,
    claim: Claim,
    statement: Statement,
    actor: Actor,
    *,
    stance: Stance | str,
    note: str = "",
) -> ClaimStatement:
    """Record how ``statement`` bears on ``claim``; refreshes the claim's source flags.

    Two people may add statements to one claim at once: no version is asked for."""
    stance = parse_enum(Stance, stance, "stance")
    note = clean_text(note, "note", max_length=MAX_NOTE_LENGTH, required=False)
    if statement.retracted_at is not None:
        raise ValidationError(
            f"Statement #{statement.id} was retracted ({statement.retraction_reason}): it counts for no claim.",
            {"statement_id": "retracted"},
        )
    existing = session.scalar(
        select(ClaimStatement).where(ClaimStatement.claim_id == claim.id, ClaimStatement.statement_id == statement.id)
    )
    if existing is not None:
        if existing.unlinked_at is not None:
            raise Duplicate(
                f"This statement was taken off this claim ({existing.unlink_reason}); the record of it is "
                "kept and it cannot be linked again.", link_id=existing.id,
            )
        raise Duplicate("This statement is already linked to this claim; change its stance instead.",
                        link_id=existing.id)
    now = utcnow()
    link = ClaimStatement(claim=claim, statement=statement, **link_row(None, None, stance, note, actor, now))
    session.add(link)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request linked it first
        raise Duplicate("This statement is already linked to this claim.") from None
    values = revisions.snapshot("link", link)
    session.add(Revision(**revisions.revision_row("link", link.id, 1, values, actor, now)))
    version = claim.version
    refresh_source_flags(session, claim)
    audit.append(session, link_event(claim.id, statement.id, values, actor, now, (version, claim.version)))
    session.flush()
    return link


def link_event(claim_id: int, statement_id: int, values: dict[str, Any], actor: Actor, at: datetime,
               versions: tuple[int, int]) -> dict[str, Any]:
    """The audit event of a new link, on its claim, with the claim's version before and after
    (``link_statement`` and the bulk import)."""
    return audit.event_row(
        "claim.link", actor=actor, subject_type="claim", subject_id=claim_id, detail=f"statement #{statement_id}",
        changes=audit.changes({"version": versions[0]}, {"statement_id": statement_id, **values, "version": versions[1]}),
        at=at,
    )


def get_link(session: Session, claim_id: int, link_id: int) -> ClaimStatement:
    """A link of ``claim_id`` by its id; NotFound for another claim's."""
    link = session.get(ClaimStatement, link_id)
    if link is None or link.claim_id != claim_id:
        raise NotFound("That statement is not linked to this claim.")
    return link


def _still_counting(link: ClaimStatement) -> None:
    if link.unlinked_at is not None:
        raise ValidationError(f"This statement was already taken off the claim ({link.unlink_reason}).",
                              {"link": "unlinked"})
    if link.statement.retracted_at is not None:
        raise ValidationError(f"This statement was retracted ({link.statement.retraction_reason}).",
                              {"link": "retracted"})


def set_stance(
    session: Session, link: ClaimStatement, actor: Actor, *, stance: Stance | str, expected_version: int
) -> ClaimStatement:
    """Change how a linked statement bears on its claim. ``expected_version`` is the claim's
    version as read: a stance changed by someone else meanwhile is refused (409), as a status
    change is. Kept as a revision of the link; the claim's flags follow."""
    claim = link.claim
    check_version(claim, expected_version)
    stance = parse_enum(Stance, stance, "stance")
    _still_counting(link)
    if link.stance == stance:
        return link
    before = link.stance
    link.stance = stance
    session.flush()
    refresh_source_flags(session, claim, expected_version)
    revisions.record(session, "link", link, actor)
    audit.record(session, "claim.stance", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"statement #{link.statement_id}",
                 changes=audit.changes({"stance": before, "version": expected_version},
                                       {"stance": stance, "version": claim.version}))
    session.flush()
    return link


def unlink_statement(
    session: Session, link: ClaimStatement, actor: Actor, *, reason: str, expected_version: int
) -> ClaimStatement:
    """Take a statement off a claim (a wrong link): the link stays, struck through on the desk,
    and no longer counts. Readers who saw it on the published claim are told it was withdrawn,
    with ``reason``."""
    claim = link.claim
    check_version(claim, expected_version)
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH)
    _still_counting(link)
    now = utcnow()
    link.unlinked_at, link.unlinked_by_id, link.unlink_reason = now, actor.user_id, reason
    session.flush()
    refresh_source_flags(session, claim, expected_version)
    public_history.withdrawn(session, claim, link.statement, reason, now)
    audit.record(session, "claim.unlink", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"statement #{link.statement_id}: {reason}",
                 changes=audit.changes({"unlinked_at": None, "version": expected_version},
                                       {"unlinked_at": now, "version": claim.version}))
    session.flush()
    return link


def refresh_source_flags(session: Session, claim: Claim, expected_version: int | None = None) -> None:
    """Recompute the claim's stored source flags from its links; a new version either way
    (conditional on ``expected_version`` when given)."""
    session.refresh(claim, ["links"])
    flags = independence.compute_flags(claim.links)
    bump_version(
        session,
        claim,
        expected_version,
        {
            "flag_contested": flags.contested,
            "flag_single_source": flags.single_source,
            "flag_anonymous_only": flags.anonymous_only,
        },
    )
