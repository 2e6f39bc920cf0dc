"""Full-text search and similar-claim suggestions, on both databases' indexes."""

from __future__ import annotations

import pytest

from factcheck.services.claims import update_claim
from factcheck.services.search import search_claims, similar_claims, terms, trigram_similarity
from factcheck.services import Actor


@pytest.fixture
def claims(make):
    return {
        "killed": make.claim("Asim Umar was killed in a joint Afghan-US raid in Musa Qala"),
        "ahmedabad": make.claim("Asim Umar was from Ahmedabad in Gujarat"),
        "navalny": make.claim("Alexei Navalny was poisoned with Novichok"),
        "jet": make.claim("Iran shot down the Ukrainian airliner by human error"),
    }


def test_search_finds_all_words(session, claims) -> None:
    found = search_claims(session, "Umar killed")
    assert [c.id for c in found] == [claims["killed"].id]


def test_search_stems_english(session, claims) -> None:
    assert claims["navalny"] in search_claims(session, "poisoning")


def test_search_follows_edits(session, claims) -> None:
    claim = claims["jet"]
    update_claim(session, claim, Actor.system("t"), expected_version=claim.version, text="Iran admits downing the jet")
    assert search_claims(session, "airliner") == []
    assert search_claims(session, "downing") == [claim]


def test_search_published_only(session, claims) -> None:
    assert search_claims(session, "Umar", published_only=True) == []


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "umar*", "(", "NEAR(", "'; DROP TABLE claims; --", "\x00", "🙂", ""])
def test_search_survives_any_input(session, claims, query) -> None:
    search_claims(session, query)
    similar_claims(session, query)


def test_similar_claims_ranks_near_duplicates_first(session, claims) -> None:
    result = similar_claims(session, "Asim Umar killed in Musa Qala raid")
    assert result[0].claim == claims["killed"]
    assert all(r.claim != claims["jet"] for r in result)


def test_terms_and_trigrams() -> None:
    assert terms("The NDS, the Taliban!", drop_stop_words=True) == ["nds", "taliban"]
    assert trigram_similarity("Musa Qala", "Musa Qala") == 1.0
    assert trigram_similarity("abc", "xyz") == 0.0
