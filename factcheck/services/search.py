"""Finding claims by their words: full-text search and "similar claims" while typing.

SQLite uses the FTS5 table ``claims_fts``; PostgreSQL a GIN index on
``to_tsvector('english', text)`` (both made by migration 0003). User input never reaches the
search syntax: it is cut into word tokens first, so no query can be malformed.

Bounded at any size. Ranking (bm25, ``ts_rank``) is computed per matching row, and a query
of common words matches a large part of a million claims: ranking all of them took hundreds
of milliseconds. So every query here ranks at most ``RANK_CAP`` candidates taken straight
from the index (on SQLite the newest, on PostgreSQL the first found), then orders those.

"Similar claims" looks for near-duplicates of a text being typed. A near-duplicate shares
the *rare* words of the text (names, places, figures), not its common ones, so each word's
number of claims is estimated — from the planner's statistics on PostgreSQL, by a capped
count on SQLite — and candidates are gathered in stages, stopping as soon as there are
enough: claims with all the words; claims with at least two of the (up to five) rare ones;
for a text with fewer than two rare words, claims with its three rarest words together;
claims with any of the three rarest rare words. Common words are never OR-ed: their posting
lists are what made the old query slow. Only the few candidates are re-ranked, by trigram
similarity.
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


def _matching(session: Session, query: str, *, limit: int, lexemes: bool, ranked: bool = True) -> list[tuple[int, str]]:
    """(id, text) of ``limit`` claims matching ``query``: FTS5 syntax on SQLite; on
    PostgreSQL tsquery text, of ``lexemes`` (cast as they are) or of words (which
    ``to_tsquery`` stems).

    ``ranked``: the best ``limit`` of at most ``max(RANK_CAP, limit)`` candidates. Unranked:
    the first ``limit`` the index yields — for a query whose every match holds every word,
    ranking adds little and costs much (FTS5's bm25 counts each word's claims, every one of
    them, to weigh it).
    """
    cap = max(RANK_CAP, limit)
    if not _is_postgresql(session):
        if not ranked:
            stmt = text(
                "SELECT c.id, c.text FROM claims_fts JOIN claims AS c ON c.id = claims_fts.rowid "
                "WHERE claims_fts MATCH :q ORDER BY claims_fts.rowid DESC LIMIT :limit"
            ).bindparams(q=query, limit=limit)
        else:
            # FTS5 yields rowids in order without ranking them; only the rows the subquery
            # keeps (the newest ``cap``) get a bm25 rank.
            stmt = text(
                "SELECT c.id, c.text FROM (SELECT rowid, rank FROM claims_fts WHERE claims_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :cap) AS f JOIN claims AS c ON c.id = f.rowid "
                "ORDER BY f.rank, c.id DESC LIMIT :limit"
            ).bindparams(q=query, cap=cap, limit=limit)
    else:
        tsquery = "CAST(:q AS tsquery)" if lexemes else "to_tsquery('english', :q)"
        matches = f"SELECT id, text FROM claims, {tsquery} AS query WHERE to_tsvector('english'::regconfig, text) @@ query"
        if not ranked:
            stmt = text(f"{matches} LIMIT :limit").bindparams(bindparam("q", query), limit=limit)
        else:
            stmt = text(
                f"SELECT c.id, c.text FROM ({matches} LIMIT :cap) AS c, {tsquery} AS query "
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
    ids = [claim_id for claim_id, _ in _matching(session, joined, limit=wanted, lexemes=False)]
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
#: A word in fewer claims than this is "rare": a query over it reads a short posting list.
#: An absolute count, not a share, because what a query costs is the length of the lists it
#: reads (at a million claims, this is half a percent of them).
RARE_POSTINGS = 5000
#: How long PostgreSQL's word statistics are kept in memory (they change only at ANALYZE).
STATS_TTL_SECONDS = 300.0


@dataclass(frozen=True)
class _WordStats:
    """PostgreSQL's statistics of the search index (``most_common_elems``): lexeme → share of
    claims, and the number of claims. Lexemes not listed are rarer than any listed one."""

    shares: dict[str, float]
    claims: float
    loaded_at: float

    def postings(self, lexeme: str) -> int:
        return round(self.shares.get(lexeme, 0.0) * self.claims)


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
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
            "(SELECT reltuples FROM pg_class WHERE oid = 'claims'::regclass) "
            "FROM pg_stats AS s WHERE s.schemaname = current_schema() AND s.tablename = 'ix_claims_search' "
            "LIMIT 1"
        )
    ).first()
    stats = _WordStats({}, 0.0, now)
    if row is not None and row[0] is not None:
        # (The frequency array ends with three summary numbers, beyond the elements.)
        stats = _WordStats(dict(zip(row[0], row[1])), max(0.0, float(row[2] or 0)), now)
    _stats_cache[engine] = stats
    return stats


def _rarest_first(session: Session, text_: str) -> list[tuple[str, int]]:
    """The searchable words of ``text_`` with (an estimate of) how many claims hold each,
    rarest first: PostgreSQL lexemes, stemmed as the index stems them, counted from the
    planner's statistics; SQLite words (FTS5 stems them in the query), counted up to
    RARE_POSTINGS in the index."""
    words = terms(text_, drop_stop_words=True)
    if not words:
        return []
    if _is_postgresql(session):
        # The word tokens, not the raw text: nothing else (a NUL byte…) reaches the database.
        lexemes = session.scalar(
            text("SELECT tsvector_to_array(to_tsvector('english', :t))").bindparams(t=" ".join(words))
        ) or []
        stats = _word_stats(session)
        counted = [(lexeme, stats.postings(lexeme)) for lexeme in lexemes]
    else:
        counts = session.execute(
            text(
                "SELECT "
                + ", ".join(
                    f"(SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH :w{n} LIMIT :cap))"
                    for n in range(len(words))
                )
            ).bindparams(cap=RARE_POSTINGS, **{f"w{n}": _fts5((w,), "") for n, w in enumerate(words)})
        ).one()
        counted = list(zip(words, counts))
    # Stable: among equally rare words, the text's own order.
    return sorted(counted, key=lambda pair: pair[1])


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


def _candidate_queries(counted: Sequence[tuple[str, int]], *, postgresql: bool) -> list[tuple[str, bool]]:
    """The stages of the module docstring, narrowest first, each with whether to rank its
    matches (not those of "all the words": each holds every word). Common words are used
    only where every match must hold them all, never OR-ed."""
    words = [word for word, _ in counted]
    rare = [word for word, postings in counted if postings < RARE_POSTINGS]
    queries = []
    if len(words) >= 2:
        queries.append((_all_query(words, postgresql=postgresql), False))
    if len(rare) >= 3:
        queries.append((_pairs_query(rare[:5], postgresql=postgresql), True))
    if len(rare) < 2 and len(words) >= 3:
        # A text of common words: what it says is in how they combine.
        queries.append((_all_query(words[:3], postgresql=postgresql), True))
    if rare:
        queries.append((_any_query(rare[:3], postgresql=postgresql), True))
    return queries


def similar_claims(
    session: Session, text_: str, *, limit: int = 5, min_score: float = 0.15, candidates: int = 40
) -> list[Similar]:
    """Existing claims that look like ``text_`` (to avoid entering a duplicate)."""
    counted = _rarest_first(session, text_)
    if not counted:
        return []
    postgresql = _is_postgresql(session)
    found: dict[int, str] = {}
    for query, ranked in _candidate_queries(counted, postgresql=postgresql):
        for claim_id, claim_text in _matching(session, query, limit=candidates, lexemes=True, ranked=ranked):
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
