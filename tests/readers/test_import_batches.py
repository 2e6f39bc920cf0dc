"""The batched import writes what the item-by-item import writes.

The same mixed feed — new reviews in five languages, one review under several addresses,
reviews imported before (unchanged, with a changed verdict, with a status the desk has since
set), claimants and reports to reuse or create, slugs to number, and items that must fail —
is imported into the same starting data once item by item through the services
(``batch_size=None``) and once in batches of several sizes; the database content, compared
by natural keys, and every outcome must be the same. The expected outcomes are also spelt
out, so that both paths going wrong the same way fails too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from factcheck.claimreview import importer
from factcheck.claimreview.importer import ImportSummary, import_reviews
from factcheck.claimreview.ratings import RatingMap
from factcheck.claimreview.reading import ReviewItem, read_file
from factcheck.db import get_database
from factcheck.models import (
    AuditEvent, Base, Claim, ClaimStatement, ImportedReview, Report, Revision, Source, Statement, Status,
    StatusChange,
)
from factcheck.services.claims import create_claim, link_statement
from factcheck.services.search import search_claims
from factcheck.services.sources import create_report, create_source, create_statement
from factcheck.services.status import change_status

from factcheck.db import counting
from .conftest import DESK

NUL = "\x00"


def review(url: str | None, claim: str | None, rating: str | None = "False", *, value: Any = None,
           best: Any = None, worst: Any = None, claimant: dict[str, Any] | None = None,
           appearances: list[dict[str, Any]] | None = None, publisher: str = "Checkers Example",
           body: str | None = None, date: str | None = "2024-03-01") -> dict[str, Any]:
    """One ClaimReview as JSON-LD."""
    rating_node: dict[str, Any] = {"@type": "Rating"}
    if rating is not None:
        rating_node["alternateName"] = rating
    for key, v in (("ratingValue", value), ("bestRating", best), ("worstRating", worst)):
        if v is not None:
            rating_node[key] = v
    node: dict[str, Any] = {"@type": "ClaimReview", "author": {"@type": "Organization", "name": publisher},
                            "reviewRating": rating_node}
    if url is not None:
        node["url"] = url
    if claim is not None:
        node["claimReviewed"] = claim
    if date is not None:
        node["datePublished"] = date
    if body is not None:
        node["reviewBody"] = body
    item: dict[str, Any] = {"@type": "Claim"}
    if claimant is not None:
        item["author"] = claimant
        item["datePublished"] = "2024-02-27"
    if appearances is not None:
        item["appearance"] = appearances
    node["itemReviewed"] = item
    return node


def person(name: str) -> dict[str, Any]:
    return {"@type": "Person", "name": name}


def organisation(name: str, kind: str = "Organization") -> dict[str, Any]:
    return {"@type": kind, "name": name}


def seen_at(url: str, title: str = "") -> dict[str, Any]:
    return {"@type": "CreativeWork", "url": url, "headline": title, "datePublished": "2024-02-27T08:00:00Z"}


EARLIER = [
    review("https://earlier.example/a", "The harbour was sold in secret.", "False", claimant=person("Harbour Critic")),
    review("https://earlier.example/b", "Schools will close on Fridays.", "False",
           claimant=organisation("Parents Forum"), appearances=[seen_at("https://forum.example/fridays")]),
    review("https://earlier.example/c", "The tram line will be free.", "Misleading"),
]

MIXED = [
    # 1 reuses a named source and an existing report
    review("https://checks.example/1", "Bread prices doubled in a month.", "False",
           claimant=person("Shared Claimant"), appearances=[seen_at("https://news.example/existing", "Ignored")]),
    # 2, 3: a new claimant and a new report, both reused by the next item
    review("https://verifica.example/bulo-agua", "Beber agua caliente cura la gripe.", "Engañoso",
           claimant=organisation("Cadena de WhatsApp"), appearances=[seen_at("https://chat.example/1", "Cadena")],
           publisher="Verifica Ejemplo"),
    review("https://checa.example/vacina", "A vacina altera o DNA.", "Falso", value=1,
           claimant=person("Cadena de WhatsApp"), appearances=[seen_at("https://chat.example/1", "Other title")],
           publisher="Checa Exemplo"),
    # 4 no claimant, no appearance
    review("https://verif.example/fr/pont", "Le pont a été vendu à une entreprise étrangère.", "Faux",
           publisher="Vérif Exemple"),
    # 5 the first appearance is unusable, the second is used
    review("https://pruefen.example/de/strom", "Der Strompreis hat sich verdoppelt.", "Teilweise falsch",
           claimant=organisation("Ministerium Beispiel", "GovernmentOrganization"),
           appearances=[seen_at("javascript:alert(1)"), seen_at("https://ministerium.example/strom", "Strom")],
           publisher="Prüfen Beispiel"),
    # 6 confirmed by override; an anonymous source of the same name is never reused
    review("https://checks.example/6", "Bus lanes doubled commute times.", "True",
           claimant=organisation("Anonymous Claimant Name")),
    # 7 a reversed numeric scale; 8 an unknown verdict
    review("https://scale.example/reversed", "The river is cleaner than ever.", None, value=4, best=1, worst=5,
           publisher="Scale Example"),
    review("https://satire.example/moon", "The moon will be repainted.", "Satire", publisher="Satire Watch"),
    # 9, 10 the slug of an existing claim, twice
    review("https://checks.example/9", "Taxes rose by half.", "Mostly false", claimant=person("Tax Critic")),
    review("https://other.example/9", "Taxes rose by half.", "Half true", claimant=person("Tax Critic")),
    # 11-13 one review under several addresses: the same, then a changed verdict
    review("http://www.dup.example/x/?utm_source=feed&fbclid=1", "The bridge will be painted pink.", "False",
           claimant=person("Bridge Fan"), appearances=[seen_at("https://social.example/pink")]),
    review("https://dup.example/x", "The bridge will be painted pink.", "False",
           claimant=person("Bridge Fan"), appearances=[seen_at("https://social.example/pink")]),
    review("https://dup.example/x#verdict", "The bridge will be painted pink.", "Mostly false",
           claimant=person("Bridge Fan"), appearances=[seen_at("https://social.example/pink")]),
    # 14-16 reviews imported before: unchanged; a changed verdict; a status the desk set since
    EARLIER[0],
    review("https://earlier.example/b", "Schools will close on Fridays.", "Mostly true",
           claimant=organisation("Parents Forum"), appearances=[seen_at("https://forum.example/fridays")]),
    review("https://earlier.example/c", "The tram line will be free.", "False"),
    # 17-22 refused or failing items
    review(None, "A review without a URL."),
    review("ftp://files.example/1", "A review at an ftp address."),
    review("https://checks.example/no-claim", None),
    review("https://checks.example/long", "word " * 1000),
    review("https://checks.example/nul-body", "A review whose body has a NUL.", body=f"Body {NUL} here"),
    review("https://checks.example/nul-title", "A report title with a NUL.", claimant=person("Ghost Source"),
           appearances=[seen_at("https://ghost.example/1", f"Ghost {NUL} title")]),
    # 23, 24 a review that fails, then the same review that does not
    review("https://checks.example/retry", "word " * 1000),
    review("https://checks.example/retry/", "The second try is short enough.", "Unproven"),
    # 25 a verdict in a sentence; 26 what the ghost left behind is created again
    review("https://chequeado.example/video", "El video muestra la inundación de ayer.", "Falso: el video es de 2015",
           claimant=person("Cuenta Viral"), publisher="Chequeado Ejemplo"),
    review("https://checks.example/ghost", "The ghost claimant is real after all.", "False",
           claimant=person("Ghost Source"), appearances=[seen_at("https://ghost.example/1", "Ghost title")]),
    # 27 a description over the limit of create_source
    review("https://checks.example/publisher", "A publisher with a very long name.", "False",
           claimant=person("Somebody New"), publisher="P" * 10_000),
    # 28 a claimant name cut at 300 characters, 29 the same name again
    review("https://checks.example/long-name-1", "A claimant with a long name.", "False",
           claimant=person("N" * 299 + " tail")),
    review("https://checks.example/long-name-2", "The same claimant with a long name.", "False",
           claimant=person("N" * 299 + " tail")),
]

EXPECTED_RESULTS = (
    ["imported"] * 11 + ["skipped", "updated", "skipped", "updated", "updated"]
    + ["failed"] * 6 + ["failed", "imported", "imported", "imported", "failed", "imported", "imported"]
)


def feed_items(tmp_path: Path, name: str, reviews: list[dict[str, Any]]) -> list[ReviewItem]:
    path = tmp_path / name
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": reviews}), encoding="utf-8")
    return read_file(path)[0]


def set_up(session: Session, tmp_path: Path) -> None:
    """The starting data of every run: sources, a report and a claim to meet, earlier imports."""
    create_source(session, DESK, name="Shared Claimant", kind="person", description="The first of the name.")
    create_source(session, DESK, name="Shared Claimant", kind="organisation", description="The second.")
    create_source(session, DESK, name="Anonymous Claimant Name", kind="organisation", anonymous=True,
                  anonymity_reason="Asked not to be named.")
    create_report(session, DESK, url="https://news.example/existing", title="Already here")
    create_claim(session, DESK, text="Taxes rose by half.")
    import_reviews(session, feed_items(tmp_path, "earlier.json", EARLIER), ratings=RatingMap(), batch_size=None)
    tram = session.scalar(select(Claim).where(Claim.text == "The tram line will be free."))
    change_status(session, tram, "in_review", "The desk is checking again.", DESK, tram.version)
    # The desk adds a denial to another imported claim: a new version, but the importer
    # moved its status last, so a changed verdict still moves it.
    fridays = session.scalar(select(Claim).where(Claim.text == "Schools will close on Fridays."))
    denier = create_source(session, DESK, name="Education Ministry", kind="government")
    link_statement(session, fridays, create_statement(session, DESK, speaker_id=denier.id, kind="quote",
                                                      text="No school will close on Fridays."),
                   DESK, stance="denies")
    session.flush()


def outcomes(summary: ImportSummary) -> list[tuple[Any, ...]]:
    return [(o.origin, o.result, o.reason, o.review_url, o.claim_slug) for o in summary.outcomes]


def snapshot(session: Session) -> dict[str, Any]:
    """The whole database by natural keys (never ids or clock times, which differ by run)."""
    session.expire_all()
    slugs = dict(session.execute(select(Claim.id, Claim.slug)).all())
    keys = {
        "claim": slugs,
        "source": {s.id: (s.name, s.description) for s in session.scalars(select(Source))},
        "report": {r.id: r.url for r in session.scalars(select(Report))},
        "statement": {s.id: s.text for s in session.scalars(select(Statement))},
        "link": {link.id: (slugs[link.claim_id], link.statement.text) for link in session.scalars(select(ClaimStatement))},
    }

    def _subject(event: AuditEvent) -> Any:
        return keys.get(event.subject_type, {}).get(event.subject_id, event.subject_id)

    def _revised(revision: Revision) -> Any:
        return keys[revision.subject_type].get(revision.subject_id)

    sources = {s.id: s for s in session.scalars(select(Source))}
    reports = {r.id: r for r in session.scalars(select(Report))}

    def who(source_id: int | None) -> Any:
        s = sources.get(source_id) if source_id is not None else None
        return None if s is None else (s.name, s.kind, s.description, s.anonymous)

    def where(report_id: int | None) -> Any:
        r = reports.get(report_id) if report_id is not None else None
        return None if r is None else (r.url, r.title, r.published_at)

    claims = {}
    for claim in session.scalars(select(Claim)):
        history = list(session.scalars(
            select(StatusChange).where(StatusChange.claim_id == claim.id).order_by(StatusChange.id)))
        links = list(session.scalars(
            select(ClaimStatement).where(ClaimStatement.claim_id == claim.id).order_by(ClaimStatement.id)))
        assert claim.status == history[-1].to_status
        assert claim.status_changed_at == history[-1].at
        assert claim.last_activity_at >= claim.created_at
        claims[claim.slug] = {
            "row": (claim.text, claim.context, claim.status, claim.version, claim.priority, claim.published_at,
                    claim.created_by_id, claim.assignee_id, claim.deadline, claim.next_review_on,
                    claim.flag_contested, claim.flag_single_source, claim.flag_anonymous_only,
                    [t.name for t in claim.tags]),
            "history": [(c.from_status, c.to_status, c.reason, c.evidence, c.independence_override,
                         c.override_reason, c.actor_id, c.via, c.version, c.is_reopening, c.note,
                         c.override_note)
                        for c in history],
            "links": [(link.stance, link.note, link.created_by_id, link.statement.text, link.statement.kind,
                       link.statement.said_on, who(link.statement.speaker_id), where(link.statement.report_id),
                       link.statement.relayed_by_id, link.statement.relayed_through_id) for link in links],
            "found by search": claim.id in {c.id for c in search_claims(session, claim.text, limit=100)},
        }
    return {
        "counts": {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables},
        "claims": claims,
        "sources": sorted((s.name, s.kind, s.description, s.anonymous, s.anonymity_reason, s.sealed_identity,
                           s.affiliation_id, s.url, s.created_by_id) for s in sources.values()),
        "reports": sorted((r.url, r.title, r.published_at, r.outlet_id, r.text, r.text_sha256, r.retrieved_at,
                           r.created_by_id) for r in reports.values()),
        "statements": sorted((who(s.speaker_id), s.text, s.kind, s.said_on, where(s.report_id), s.created_by_id)
                             for s in session.scalars(select(Statement))),
        "reviews": {r.review_url: (slugs[r.claim_id], r.publisher, r.original_rating, r.rating_value,
                                   r.best_rating, r.worst_rating, r.date_published, r.raw)
                    for r in session.scalars(select(ImportedReview))},
        "audit": sorted((e.action, e.actor_id, e.actor_label, e.subject_type, _subject(e), _no_ids(e.detail),
                         e.address, json.dumps(_without_ids(e.changes), sort_keys=True, default=str))
                        for e in session.scalars(select(AuditEvent))),
        "revisions": sorted((r.subject_type, _revised(r), r.number, json.dumps(_without_ids(r.values), sort_keys=True),
                             r.reason, r.actor_id, r.via) for r in session.scalars(select(Revision))),
    }


def _no_ids(text: str) -> str:
    return re.sub(r"#\d+", "#…", text)


def _without_ids(values: Any) -> Any:
    """A revision's values or an audit event's changes with row ids blanked (they differ from
    run to run; what the rows are is compared elsewhere)."""
    if not isinstance(values, dict):
        return values
    return {name: (None if name.endswith("_id") else value) for name, value in values.items()}


def run(session: Session, tmp_path: Path, batch_size: int | None,
        before: Callable[[Session], None] | None = None) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """Import MIXED into the starting data; the outcomes and the database, then undo it all."""
    undo = session.begin_nested()
    try:
        set_up(session, tmp_path)
        if before is not None:
            before(session)
        summary = import_reviews(session, feed_items(tmp_path, "mixed.json", MIXED), ratings=RatingMap(),
                                 batch_size=batch_size)
        session.flush()
        return outcomes(summary), snapshot(session)
    finally:
        undo.rollback()
        session.expire_all()


@pytest.fixture
def by_item(session, tmp_path) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    return run(session, tmp_path, None)


def test_the_item_by_item_import_gives_the_expected_outcomes(by_item) -> None:
    results, db = by_item
    assert [r[1] for r in results] == EXPECTED_RESULTS
    reasons = {origin: reason for origin, _, reason, _, _ in results}
    assert reasons["mixed.json #12"] == "already imported, unchanged"
    assert reasons["mixed.json #16"] == "'False' → false; status left as the desk set it"
    assert reasons["mixed.json #17"] == "no review URL (url or @id): it could not be imported idempotently"
    assert reasons["mixed.json #18"] == "review URL 'ftp://files.example/1' is not an http(s) address"
    assert reasons["mixed.json #19"] == "no claimReviewed: there is no claim to record"
    assert reasons["mixed.json #20"].startswith("text is too long (4999 characters")
    assert reasons["mixed.json #21"] == "evidence contains a NUL byte."
    assert reasons["mixed.json #22"] == "title contains a NUL byte."
    assert reasons["mixed.json #27"].startswith("description is too long")
    assert [r[4] for r in results[8:10]] == ["taxes-rose-by-half-2", "taxes-rose-by-half-3"]
    claims = db["claims"]
    assert claims["le-pont-a-ete-vendu-a-une-entreprise-etrangere"]["row"][2] == Status.FALSE
    assert claims["bus-lanes-doubled-commute-times"]["history"][-1][4] is True  # the override
    assert claims["the-moon-will-be-repainted"]["row"][2] == Status.UNVERIFIED
    fridays = claims["schools-will-close-on-fridays"]
    assert [(h[0], h[1]) for h in fridays["history"][-2:]] == [
        (Status.FALSE, Status.IN_REVIEW), (Status.IN_REVIEW, Status.CONFIRMED)]
    assert fridays["row"][3] == 7  # entered, linked, in review, false; the desk's link; reopened, confirmed
    assert fridays["row"][10] is True  # contested: the desk's denial stays
    assert all(claim["found by search"] for claim in claims.values())
    names = [s[0] for s in db["sources"]]
    assert names.count("Cadena de WhatsApp") == 1 and names.count("Shared Claimant") == 2
    [bread] = claims["bread-prices-doubled-in-a-month"]["links"]
    assert bread[6][2] == "The first of the name."  # the oldest source of that name
    assert names.count("Anonymous Claimant Name") == 2 and names.count("Ghost Source") == 1
    assert names.count("N" * 299) == 1  # cut to "N…N ", stored stripped, found again by its name
    assert [r[:2] for r in db["reports"] if r[0].startswith(("https://chat", "https://ghost"))] == [
        ("https://chat.example/1", "Cadena"), ("https://ghost.example/1", "Ghost title")]


@pytest.mark.parametrize("batch_size", [1, 2, 7, 1000])
def test_batches_write_what_item_by_item_writes(session, tmp_path, by_item, batch_size, caplog) -> None:
    caplog.set_level(logging.INFO, logger="factcheck.claimreview.batch")
    results, db = run(session, tmp_path, batch_size)
    assert not [r for r in caplog.records if "failed" in r.getMessage()], "a batch fell back to item by item"
    expected_results, expected_db = by_item
    assert results == expected_results
    for part in expected_db:
        assert db[part] == expected_db[part], part


@pytest.mark.parametrize("batch_size", [None, 1000])
def test_slugs_are_numbered_as_unique_slug_numbers_them(session, tmp_path, batch_size) -> None:
    for _ in range(8):
        create_claim(session, DESK, text="Rates went up.")  # rates-went-up, -2 … -8
    items = feed_items(tmp_path, "rates.json", [review(f"https://rates.example/{n}", "Rates went up.")
                                                for n in range(3)])
    slugs = [o.claim_slug for o in import_reviews(session, items, ratings=RatingMap(),
                                                  batch_size=batch_size).outcomes]
    assert slugs[0] == "rates-went-up-9"
    assert all(re.fullmatch(r"rates-went-up-[0-9a-f]{6}", slug) for slug in slugs[1:])
    assert len(set(slugs)) == 3


@contextmanager
def claims_refused(session: Session, text_start: str) -> Iterator[None]:
    """A trigger that makes the database refuse one claim: a failure no Python check sees."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(
            "CREATE FUNCTION refuse_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.text LIKE '{text_start}%' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$"))
        session.execute(text("CREATE TRIGGER refuse_claim BEFORE INSERT ON claims FOR EACH ROW "
                             "EXECUTE FUNCTION refuse_claim()"))
    else:
        session.execute(text(f"CREATE TRIGGER refuse_claim BEFORE INSERT ON claims WHEN NEW.text LIKE "
                             f"'{text_start}%' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"))
    yield


@pytest.mark.parametrize("batch_size", [None, 5, 1000])
def test_a_database_failure_in_one_item_loses_none_of_the_others(session, tmp_path, by_item, batch_size,
                                                                   caplog) -> None:
    caplog.set_level(logging.INFO, logger="factcheck.claimreview.batch")

    def refuse(session_: Session) -> None:
        claims_refused(session_, "A vacina").__enter__()

    results, db = run(session, tmp_path, batch_size, before=refuse)
    expected_results, expected_db = by_item
    [refused] = [r for r in results if r[0] == "mixed.json #3"]
    assert refused[1] == "failed" and refused[2].startswith("database refused it (")
    assert "disk on fire" in refused[2]
    assert [r for r in results if r[0] != "mixed.json #3"] == [r for r in expected_results
                                                              if r[0] != "mixed.json #3"]
    assert "a-vacina-altera-o-dna" not in db["claims"]
    assert set(db["claims"]) == set(expected_db["claims"]) - {"a-vacina-altera-o-dna"}
    for slug, claim in db["claims"].items():
        assert claim == expected_db["claims"][slug]
    assert db["counts"]["claims"] == expected_db["counts"]["claims"] - 1
    assert db["counts"]["statements"] == expected_db["counts"]["statements"] - 1
    assert db["counts"]["imported_reviews"] == expected_db["counts"]["imported_reviews"] - 1
    assert db["counts"]["status_changes"] == expected_db["counts"]["status_changes"] - 3
    if batch_size is not None:
        assert any("failed" in r.getMessage() for r in caplog.records)


def numbered(n: int, start: int = 0) -> list[dict[str, Any]]:
    """``n`` new reviews: seven new claimants and eleven new reports between them."""
    return [review(f"https://many.example/{i}", f"Numbered claim {i} says something.", ("False", "True", "Satire")[i % 3],
                   claimant=person(f"Speaker {start}-{i % 7}"),
                   appearances=[seen_at(f"https://posts.example/{start}/{i % 11}")])
            for i in range(start, start + n)]


def test_a_batch_costs_the_same_statements_however_many_items(session, connection, tmp_path) -> None:
    """The bulk path is taken, and its cost does not grow with the batch: one statement per
    lookup and per table, not per item."""
    import_reviews(session, feed_items(tmp_path, "first.json", numbered(3, start=1000)), ratings=RatingMap())
    few = feed_items(tmp_path, "few.json", numbered(10))
    many = feed_items(tmp_path, "many.json", numbered(300, start=10))
    with counting(connection) as for_few:
        assert import_reviews(session, few, ratings=RatingMap()).counts()["imported"] == 10
    with counting(connection) as for_many:
        assert import_reviews(session, many, ratings=RatingMap()).counts()["imported"] == 300
    # 30: the archiving of the new reports adds a constant seven (factcheck/services/archive.py).
    assert len(for_few) == len(for_many) <= 30
    with counting(connection) as again:
        assert import_reviews(session, few + many, ratings=RatingMap()).counts()["skipped"] == 310
    assert len(again) <= 4  # the lookup of the reviews, and the savepoint
    # Changed verdicts (out of false, out of a confirmation, into an unknown one) move existing
    # claims: they go through the services (``import_one``), the one way a status moves.
    few = feed_items(tmp_path, "few-changed.json", [
        {**r, "reviewRating": {"alternateName": ("Satire", "False", "True")[n % 3]}} for n, r in enumerate(numbered(10))])
    with counting(connection) as for_few:
        assert import_reviews(session, few, ratings=RatingMap()).counts()["updated"] == 10
    assert len(for_few) > 10 * 10


def test_cli_import_in_batches_counts_every_outcome(cli_app, tmp_path) -> None:
    feed = tmp_path / "mixed.json"
    feed.write_text(json.dumps({"@graph": MIXED}), encoding="utf-8")
    result = cli_app.test_cli_runner().invoke(args=["claimreview", "import", str(feed)])
    assert result.exit_code == 1
    # Into an empty database: items 14-16 are new here (imported), the rest as in
    # EXPECTED_RESULTS.
    assert result.output.splitlines()[0] == "19 imported, 1 updated, 1 skipped, 8 failed."
    with get_database(cli_app).read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedReview)) == 19
    # Again: one review said two things in this feed (11 and 13), so each updates it in turn;
    # 23 (its text too long) now meets the review 24 imported, and updates it, and 24 back;
    # 22 now finds its report (26 made it), so its bad title is never read: imported.
    again = cli_app.test_cli_runner().invoke(args=["claimreview", "import", str(feed)])
    assert again.output.splitlines()[0] == "1 imported, 4 updated, 18 skipped, 6 failed."
    updated = [line for line in again.output.splitlines() if line.startswith("  updated")]
    assert [line.split(":")[0] for line in updated] == [
        "  updated  mixed.json #11", "  updated  mixed.json #13", "  updated  mixed.json #23", "  updated  mixed.json #24"]


def test_the_item_path_is_still_there(session, tmp_path, monkeypatch) -> None:
    """``batch_size=None`` goes through the services (what the fallback uses)."""
    calls = []
    real = importer.change_status
    monkeypatch.setattr(importer, "change_status", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    import_reviews(session, feed_items(tmp_path, "few.json", numbered(3)), ratings=RatingMap(), batch_size=None)
    assert calls == [Status.IN_REVIEW, Status.FALSE, Status.IN_REVIEW, Status.CONFIRMED]
