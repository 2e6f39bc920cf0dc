"""Internal words never reach readers.

Reproduced: notes meant for colleagues ("calling the provincial office", "document is on
file"), typed into the status form's reason or the override's reason, ended up on the public
page, because there was no place for an internal note. Now the status form and the override
each have a public reason and an internal note, labelled so. This puts a marker in every
internal field the desk can fill — status note, override note, link note, claim context, a
source's sealed identity, the reasons kept with statement and source revisions, a rewording
of a claim made before publication — and finds it in no public page, badge, embed, feed,
ClaimReview export or public API answer, while the public words are there.
"""

from __future__ import annotations

import json

from factcheck.claimreview.export import data_feed
from factcheck.services import Actor
from factcheck.services.claims import link_statement, set_published, update_claim
from factcheck.services.sources import create_source, create_statement, update_source, update_statement
from factcheck.services.status import change_status

EDITOR = Actor.system("test")
MARK = "INTERNAL-MARKER"


def test_no_internal_field_reaches_a_public_output(client, session, make, app) -> None:
    claim = make.claim("The governor's convoy was attacked on the highway", context=f"{MARK}-context")
    update_claim(session, claim, EDITOR, expected_version=claim.version,
                 text="The governor's convoy was attacked on the northern highway", reason=f"{MARK}-draft-reword")
    ministry = create_source(session, EDITOR, name="Interior Ministry", kind="government")
    insider = create_source(session, EDITOR, name="Official in the governor's office", kind="person",
                            anonymous=True, anonymity_reason="Not authorised to speak.",
                            sealed_identity=f"{MARK}-sealed")
    update_source(session, insider, EDITOR, description="Works in the press office.", reason=f"{MARK}-source-why")
    police = create_source(session, EDITOR, name="Provincial police", kind="government")
    said = create_statement(session, EDITOR, speaker_id=ministry.id, kind="quote", text="The convoy was attacked.")
    update_statement(session, said, EDITOR, text="The governor's convoy was attacked.", reason=f"{MARK}-statement-why")
    link_statement(session, claim, said, EDITOR, stance="asserts", note=f"{MARK}-link-note")
    link_statement(session, claim, create_statement(session, EDITOR, speaker_id=insider.id, kind="paraphrase",
                                                    text="Shots were fired at the convoy."), EDITOR, stance="asserts")
    link_statement(session, claim, create_statement(session, EDITOR, speaker_id=police.id, kind="paraphrase",
                                                    text="Police confirm an attack."), EDITOR, stance="asserts")
    set_published(session, claim, EDITOR, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Public: checking the reports.", EDITOR, claim.version,
                  evidence="Public: two reports.", note=f"{MARK}-status-note")
    change_status(session, claim, "confirmed", "Public: confirmed by police.", EDITOR, claim.version,
                  override_reason="Public: police are independent enough here.",
                  note=f"{MARK}-verdict-note", override_note=f"{MARK}-override-note")
    session.flush()

    urls = ["/", "/claims", "/claims?q=convoy", "/corrections", "/methodology", "/feeds/changes.atom",
            f"/claims/{claim.slug}", f"/claims/{claim.slug}/feed.atom", f"/badge/{claim.slug}.svg",
            f"/embed/{claim.slug}", "/api/v1/claims", f"/api/v1/claims/{claim.id}",
            f"/api/v1/claims/{claim.id}/statements", f"/api/v1/claims/{claim.id}/history",
            f"/api/v1/claims/{claim.slug}/badge", "/api/v1/claimreview"]
    urls += [f"/api/v1/claims/{claim.id}/statements/{link.statement_id}" for link in claim.links]
    urls += [f"/api/v1/claims/{claim.id}/history/{change.id}" for change in claim.history]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.get_data(as_text=True)
    bodies["claimreview export"] = json.dumps(data_feed(session, base_url="https://news.example",
                                                          org_name="News", org_url="https://news.example"))
    for where, body in bodies.items():
        assert MARK not in body, f"an internal field reached readers: {where}"
    page = bodies[f"/claims/{claim.slug}"]
    for public in ("Public: confirmed by police.", "Public: two reports.",
                   "Public: police are independent enough here.", "Not authorised to speak."):
        assert public in page
    # The desk sees the internal words, labelled as internal.
    from tests.conftest import csrf_token  # noqa: F401  (the login helper signs in through the form)

    desk_user = make.user("editor")
    session.flush()
    client.post("/login", data={"email": desk_user.email, "password": "correct horse battery staple",
                                "csrf_token": csrf_token(client, "/login")})
    desk = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    for field in ("status-note", "override-note", "link-note", "context"):
        assert f"{MARK}-{field}" in desk
    assert "internal, never published" in desk and "published with the change" in desk
