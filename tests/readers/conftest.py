"""Fixtures for the reader side: published claims at any status, and a committed app for the
command line."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from factcheck.models import Claim, Source, Status
from factcheck.services import Actor
from factcheck.services.claims import set_published
from factcheck.services.status import change_status
from tests.factories import Factory

DESK = Actor.system("test")

#: The words that must never leave the building, in every test that makes a sealed source.
SEALED = "Colonel Sealed-Identity Example"


class Readers:
    """Builds claims as the desk would, ready for readers."""

    def __init__(self, session: Session, make: Factory) -> None:
        self.session = session
        self.make = make

    def move(self, claim: Claim, *path: Status | str, reason: str | None = None) -> Claim:
        """Walk ``claim`` along ``path``, each step with a reason; confirmations by override."""
        for to in path:
            to = Status(to)
            change_status(
                self.session, claim, to, reason or f"Reason for {to.value}.", DESK, claim.version,
                evidence=f"Evidence for {to.value}.",
                override_reason="Editor's reason to confirm." if to == Status.CONFIRMED else None,
            )
        return claim

    def publish(self, claim: Claim, published: bool = True) -> Claim:
        set_published(self.session, claim, DESK, published=published, expected_version=claim.version)
        return claim

    def claim(
        self, text: str | None = None, path: Sequence[Status | str] = (), *, published: bool = True,
        speaker: Source | None = None,
    ) -> Claim:
        """A claim with one asserting statement (by ``speaker`` or a new named source), published
        first (readers see every step of ``path``) unless ``published`` is False."""
        claim = self.make.claim(text)
        self.make.link(claim, speaker or self.make.source(), "asserts", text="They said so.")
        if published:
            self.publish(claim)
        self.move(claim, *path)
        self.session.flush()
        return claim

    def sealed_source(self) -> Source:
        return self.make.source(
            "Official in the ministry", kind="person", anonymous=True,
            anonymity_reason="Not authorised to speak publicly.", sealed_identity=SEALED,
        )


@pytest.fixture
def readers(session: Session, make: Factory) -> Readers:
    return Readers(session, make)


@pytest.fixture
def cli_app(committed_app: Flask) -> Flask:
    """An application whose command-line transactions really commit."""
    return committed_app
