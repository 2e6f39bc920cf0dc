"""Saved filters: a queue or desk view a person keeps under a name, to open again in one click.

Each person's own: nobody sees, changes or deletes another's. What is kept is the view's query
string, cut down to the filters and the sort (never a page cursor or a selection), so that
opening it later shows the view from its first page. Saving under a name already used
replaces that filter's view. Every save and deletion is in the audit log.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import SavedFilter
from . import audit
from .actor import Actor
from .validation import clean_text

#: The pages a filter can be saved from: endpoint → what the page is called.
PAGES = {"editor.queue": "the queue", "checker.claims": "the desk"}
#: The query-string arguments a saved view keeps (the filters and the sort).
KEPT = ("status", "assignee", "mine", "contested", "single_source", "anonymous_only", "stale", "overdue", "tag",
        "published", "q", "sort")
MAX_NAME_LENGTH = 100
MAX_QUERY_LENGTH = 2000
#: Saved filters one person may keep.
MAX_PER_PERSON = 50


def normalise_query(query: str) -> str:
    """``query`` with only the filters and the sort, in a stable order, empty values dropped."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in KEPT and v.strip()]
    pairs.sort(key=lambda kv: (KEPT.index(kv[0]), kv[1]))
    return urlencode(pairs)


def filters_of(session: Session, user_id: int, page: str) -> list[SavedFilter]:
    """A person's saved filters for one page, by name."""
    return list(session.scalars(
        select(SavedFilter).where(SavedFilter.user_id == user_id, SavedFilter.page == page)
        .order_by(func.lower(SavedFilter.name), SavedFilter.id)
    ))


def save_filter(session: Session, actor: Actor, *, name: object, page: object, query: object) -> SavedFilter:
    """Keep the view ``query`` of ``page`` under ``name`` for the person acting (replacing the
    view of their filter of that name, if they have one)."""
    user = actor.user
    if user is None:
        raise ValidationError("Only a signed-in person can save a filter.")
    name = clean_text(name, "name", max_length=MAX_NAME_LENGTH)
    if page not in PAGES:
        raise ValidationError("A filter can be saved from the queue or the desk only.", {"page": "unknown page"})
    kept = normalise_query(clean_text(query, "query", max_length=MAX_QUERY_LENGTH, required=False))
    existing = session.scalar(select(SavedFilter).where(SavedFilter.user_id == user.id, SavedFilter.name == name))
    if existing is not None:
        before = {"page": existing.page, "query": existing.query}
        existing.page, existing.query = str(page), kept
        changes = audit.changes(before, {"page": existing.page, "query": existing.query})
        if changes:
            audit.record(session, "saved_filter.edit", actor=actor, subject_type="saved_filter",
                         subject_id=existing.id, detail=name, changes=changes)
        session.flush()
        return existing
    held = session.scalar(select(func.count()).select_from(SavedFilter).where(SavedFilter.user_id == user.id)) or 0
    if held >= MAX_PER_PERSON:
        raise ValidationError(
            f"You keep {held} saved filters, the most one person may: delete one you no longer use first.",
            {"name": f"at most {MAX_PER_PERSON} saved filters"},
        )
    saved = SavedFilter(user_id=user.id, name=name, page=str(page), query=kept)
    session.add(saved)
    session.flush()
    audit.record(session, "saved_filter.create", actor=actor, subject_type="saved_filter", subject_id=saved.id,
                 detail=name, changes=audit.changes({}, {"name": name, "page": saved.page, "query": kept}))
    return saved


def delete_filter(session: Session, actor: Actor, filter_id: int) -> SavedFilter:
    """Delete one of the acting person's saved filters (another's is "not found")."""
    saved = session.get(SavedFilter, filter_id)
    if saved is None or actor.user is None or saved.user_id != actor.user.id:
        raise NotFound("No such saved filter of yours.")
    audit.record(session, "saved_filter.delete", actor=actor, subject_type="saved_filter", subject_id=saved.id,
                 detail=saved.name, changes=audit.changes({"name": saved.name, "page": saved.page,
                                                          "query": saved.query}, {}))
    session.delete(saved)
    session.flush()
    return saved
