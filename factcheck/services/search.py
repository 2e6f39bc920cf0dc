"""Finding claims by their words: full-text search and "similar claims" while typing.

SQLite uses the FTS5 table ``claims_fts``; PostgreSQL a GIN index on
``to_tsvector('english', text)`` (both made by migration 0003). User input never reaches the
search syntax: it is cut into word tokens first, so no query can be malformed. "Similar"
candidates come from the index (any of the words) and are re-ranked by trigram similarity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from ..models import Claim

MAX_TERMS = 16
#: Words too common to find similar claims by (they would match a large part of the table).
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have he her his in is it its of on or she that the "
    "their they this to was were will with".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str, *, drop_stop_words: bool = False) -> list[str]:
    """Word tokens of ``query``, lower-cased, deduplicated, at most MAX_TERMS."""
    seen: list[str] = []
    for word in _WORD.findall(query.lower()):
        word = word.strip("_")
        if not word or word in seen or (drop_stop_words and word in STOP_WORDS):
            continue
        seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def _fts5(words: Sequence[str], joiner: str) -> str:
    return joiner.join('"' + w.replace('"', '""') + '"' for w in words)


def _tsquery(words: Sequence[str], joiner: str) -> str:
    # Tokens are \w+ only, so quoting them as lexemes is safe.
    return joiner.join("'" + w.replace("'", "") + "'" for w in words)


def _matching_ids(session: Session, words: Sequence[str], *, any_word: bool, limit: int) -> list[int]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        stmt = text(
            "SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q ORDER BY rank LIMIT :limit"
        ).bindparams(q=_fts5(words, " OR " if any_word else " "), limit=limit)
    else:
        stmt = text(
            "SELECT id FROM claims, to_tsquery('english', :q) AS query "
            "WHERE to_tsvector('english'::regconfig, text) @@ query "
            "ORDER BY ts_rank(to_tsvector('english'::regconfig, text), query) DESC, id DESC "
            "LIMIT :limit"
        ).bindparams(bindparam("q", _tsquery(words, " | " if any_word else " & ")), limit=limit)
    return [row[0] for row in session.execute(stmt)]


def search_claims(
    session: Session, query: str, *, limit: int = 50, published_only: bool = False
) -> list[Claim]:
    """Claims containing every word of ``query``, best match first."""
    words = terms(query)
    if not words:
        return []
    ids = _matching_ids(session, words, any_word=False, limit=limit * (4 if published_only else 1))
    return _load_in_order(session, ids, published_only=published_only)[:limit]


def _load_in_order(session: Session, ids: list[int], *, published_only: bool) -> list[Claim]:
    if not ids:
        return []
    stmt = select(Claim).where(Claim.id.in_(ids))
    if published_only:
        stmt = stmt.where(Claim.published_at.is_not(None))
    by_id = {c.id: c for c in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def trigrams(value: str) -> set[str]:
    padded = f"  {' '.join(_WORD.findall(value.lower()))} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character trigrams (as pg_trgm computes it), 0 to 1."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class Similar:
    claim: Claim
    score: float


def similar_claims(
    session: Session, text_: str, *, limit: int = 5, min_score: float = 0.15, candidates: int = 40
) -> list[Similar]:
    """Existing claims that look like ``text_`` (to avoid entering a duplicate)."""
    words = terms(text_, drop_stop_words=True)
    if not words:
        return []
    found = _load_in_order(
        session, _matching_ids(session, words, any_word=True, limit=candidates), published_only=False
    )
    scored = [Similar(c, trigram_similarity(text_, c.text)) for c in found]
    scored = [s for s in scored if s.score >= min_score]
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored[:limit]
