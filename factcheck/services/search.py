"""Finding claims by their words: full-text search and "similar claims" while typing.

SQLite uses the FTS5 table ``claims_fts``; PostgreSQL a GIN index on
``to_tsvector('english', text)`` (both made by migration 0003). User input never reaches the
search syntax: it is cut into word tokens first, so no query can be malformed.

Bounded at any size. Ranking (bm25, ``ts_rank``) is computed per matching row, and a query
of common words matches a large part of a million claims: ranking all of them took hundreds
of milliseconds. So every query here ranks at most ``RANK_CAP`` candidates taken straight
from the index (on SQLite the newest, on PostgreSQL the first found), then orders those.

"Similar claims" looks for near-duplicates of a text being typed. A near-duplicate shares
the *rare* words of the text (names, places, figures), not its common ones, so the words are
ordered rarest first — by the planner's statistics on PostgreSQL, by a capped count on SQLite
— and candidates are gathered in stages, stopping as soon as there are enough: claims with
all the words; claims with at least two of the five rarest; claims with any of the three
rarest. Only those few candidates are re-ranked, by trigram similarity.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import Engine, bindparam, select, text
from sqlalchemy.orm import Session

from ..models import Claim

MAX_TERMS = 16
#: Most rows any one query ranks (see the module docstring).
RANK_CAP = 200
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


# -- the two dialects' query languages -------------------------------------------------------


def _fts5(words: Sequence[str], joiner: str) -> str:
    return joiner.join('"' + w.replace('"', '""') + '"' for w in words)


def _tsquery(words: Sequence[str], joiner: str) -> str:
    # Tokens are \w+ only, so quoting them as lexemes is safe.
    return joiner.join("'" + w.replace("'", "") + "'" for w in words)


def _lexeme(lexeme: str) -> str:
    """A lexeme quoted for a ``::tsquery`` cast (taken as written, not stemmed again)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _pairs_query(words: Sequence[str], *, postgresql: bool) -> str:
    """Rows holding at least two of ``words``: the OR of every pair's AND."""
    if postgresql:
        return " | ".join(f"({_lexeme(a)} & {_lexeme(b)})" for a, b in combinations(words, 2))
    return " OR ".join(f"({_fts5((a, b), ' ')})" for a, b in combinations(words, 2))


def _any_query(words: Sequence[str], *, postgresql: bool) -> str:
    return " | ".join(map(_lexeme, words)) if postgresql else _fts5(words, " OR ")


def _all_query(words: Sequence[str], *, postgresql: bool) -> str:
    return " & ".join(map(_lexeme, words)) if postgresql else _fts5(words, " ")


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _ranked(session: Session, query: str, *, limit: int, lexemes: bool) -> list[tuple[int, str]]:
    """(id, text) of the best ``limit`` of at most ``max(RANK_CAP, limit)`` claims matching
    ``query``: FTS5 syntax on SQLite; on PostgreSQL tsquery text, of ``lexemes`` (cast as
    they are) or of words (which ``to_tsquery`` stems)."""
    cap = max(RANK_CAP, limit)
    if not _is_postgresql(session):
        # FTS5 yields rowids in order without ranking them; only the rows the subquery keeps
        # (the newest ``cap``) get a bm25 rank.
        stmt = text(
            "SELECT c.id, c.text FROM (SELECT rowid, rank FROM claims_fts WHERE claims_fts MATCH :q "
            "ORDER BY rowid DESC LIMIT :cap) AS f JOIN claims AS c ON c.id = f.rowid "
            "ORDER BY f.rank, c.id DESC LIMIT :limit"
        ).bindparams(q=query, cap=cap, limit=limit)
    else:
        tsquery = "CAST(:q AS tsquery)" if lexemes else "to_tsquery('english', :q)"
        stmt = text(
            f"SELECT c.id, c.text FROM (SELECT id, text FROM claims, {tsquery} AS query "
            "WHERE to_tsvector('english'::regconfig, text) @@ query LIMIT :cap) AS c, "
            f"{tsquery} AS query "
            "ORDER BY ts_rank(to_tsvector('english'::regconfig, c.text), query) DESC, c.id DESC "
            "LIMIT :limit"
        ).bindparams(bindparam("q", query), cap=cap, limit=limit)
    return [(row[0], row[1]) for row in session.execute(stmt)]


def search_claims(
    session: Session, query: str, *, limit: int = 50, published_only: bool = False
) -> list[Claim]:
    """Claims containing every word of ``query``, best match first (among at most
    ``RANK_CAP`` or ``4 × limit`` matches, see the module docstring)."""
    words = terms(query)
    if not words:
        return []
    wanted = limit * (4 if published_only else 1)
    joined = _tsquery(words, " & ") if _is_postgresql(session) else _fts5(words, " ")
    ids = [claim_id for claim_id, _ in _ranked(session, joined, limit=wanted, lexemes=False)]
    return _load_in_order(session, ids, published_only=published_only)[:limit]


def _load_in_order(session: Session, ids: list[int], *, published_only: bool) -> list[Claim]:
    if not ids:
        return []
    stmt = select(Claim).where(Claim.id.in_(ids))
    if published_only:
        stmt = stmt.where(Claim.published_at.is_not(None))
    by_id = {c.id: c for c in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


# -- rarity ----------------------------------------------------------------------------------
#: How far the SQLite count of a word's claims goes: beyond it a word is simply "common".
RARITY_COUNT_CAP = 2000
#: How long PostgreSQL's word statistics are kept in memory (they change only at ANALYZE).
STATS_TTL_SECONDS = 300.0


@dataclass(frozen=True)
class _WordStats:
    """PostgreSQL's ``most_common_elems`` of the search index: lexeme → share of claims.
    Lexemes not listed are rarer than ``floor``."""

    shares: dict[str, float]
    floor: float
    loaded_at: float


_stats_cache: weakref.WeakKeyDictionary[Engine, _WordStats] = weakref.WeakKeyDictionary()


def _word_stats(session: Session) -> _WordStats:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    cached = _stats_cache.get(engine)
    now = time.monotonic()
    if cached is not None and now - cached.loaded_at < STATS_TTL_SECONDS:
        return cached
    row = session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'ix_claims_search' LIMIT 1"
        )
    ).first()
    shares: dict[str, float] = {}
    floor = 0.0
    if row is not None and row[0] is not None:
        # The frequency array ends with three summary numbers (min, max, null share).
        shares = dict(zip(row[0], row[1]))
        floor = float(row[1][-3]) if len(row[1]) >= 3 else 0.0
    stats = _WordStats(shares, floor, now)
    _stats_cache[engine] = stats
    return stats


def _rarest_first(session: Session, text_: str) -> list[str]:
    """The searchable words of ``text_``, rarest first: PostgreSQL lexemes (stemmed as the
    index stems them), or SQLite words (FTS5 stems them in the query)."""
    words = terms(text_, drop_stop_words=True)
    if not words:
        return []
    if _is_postgresql(session):
        # The word tokens, not the raw text: nothing else (a NUL byte…) reaches the database.
        lexemes = session.scalar(
            text("SELECT tsvector_to_array(to_tsvector('english', :t))").bindparams(t=" ".join(words))
        ) or []
        stats = _word_stats(session)
        # Unlisted lexemes are rarer than any listed one; among them, keep the text's order.
        ordered = sorted(lexemes, key=lambda lexeme: stats.shares.get(lexeme, 0.0))
        return ordered
    counts = session.execute(
        text(
            "SELECT "
            + ", ".join(
                f"(SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH :w{n} LIMIT :cap))"
                for n in range(len(words))
            )
        ).bindparams(cap=RARITY_COUNT_CAP, **{f"w{n}": _fts5((w,), "") for n, w in enumerate(words)})
    ).one()
    return [word for _, word in sorted(zip(counts, words), key=lambda pair: pair[0])]


# -- similar claims --------------------------------------------------------------------------
def trigrams(value: str) -> set[str]:
    padded = f"  {' '.join(_WORD.findall(value.lower()))} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character trigrams (as pg_trgm computes it), 0 to 1."""
    return _jaccard(trigrams(a), trigrams(b))


def _jaccard(ta: set[str], tb: set[str]) -> float:
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class Similar:
    claim: Claim
    score: float


def _candidate_queries(words: Sequence[str], *, postgresql: bool) -> list[str]:
    """The stages of the module docstring, narrowest first."""
    queries = []
    if len(words) >= 2:
        queries.append(_all_query(words, postgresql=postgresql))
    if len(words) >= 3:
        queries.append(_pairs_query(words[:5], postgresql=postgresql))
    queries.append(_any_query(words[:3], postgresql=postgresql))
    return queries


def similar_claims(
    session: Session, text_: str, *, limit: int = 5, min_score: float = 0.15, candidates: int = 40
) -> list[Similar]:
    """Existing claims that look like ``text_`` (to avoid entering a duplicate)."""
    words = _rarest_first(session, text_)
    if not words:
        return []
    postgresql = _is_postgresql(session)
    found: dict[int, str] = {}
    for query in _candidate_queries(words, postgresql=postgresql):
        for claim_id, claim_text in _ranked(session, query, limit=candidates, lexemes=True):
            found.setdefault(claim_id, claim_text)
        if len(found) >= candidates:
            break
    mine = trigrams(text_)
    scored = sorted(
        ((_jaccard(mine, trigrams(claim_text)), claim_id) for claim_id, claim_text in found.items()),
        key=lambda pair: (-pair[0], -pair[1]),
    )
    best = {claim_id: score for score, claim_id in scored if score >= min_score}
    claims = _load_in_order(session, list(best)[:limit], published_only=False)
    return [Similar(claim, best[claim.id]) for claim in claims]
