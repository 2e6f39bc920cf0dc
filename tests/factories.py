"""Small factories: the least data a test needs, through the services where rules apply."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimStatement, Role, Source, Statement, User
from factcheck.services import Actor
from factcheck.services.claims import create_claim, link_statement
from factcheck.services.sources import create_source, create_statement, find_duplicate
from factcheck.services.users import create_user

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def user(self, role: Role | str = Role.CHECKER, **kw: object) -> User:
        n = next(_counter)
        return create_user(
            self.session,
            email=kw.pop("email", f"user{n}@example.org"),  # type: ignore[arg-type]
            password=kw.pop("password", PASSWORD),  # type: ignore[arg-type]
            role=role,
            name=kw.pop("name", f"User {n}"),  # type: ignore[arg-type]
            actor=Actor.system("test"),
        )

    def actor(self, role: Role | str = Role.CHECKER) -> Actor:
        return Actor.of(self.user(role))

    def source(self, name: str | None = None, **kw: object) -> Source:
        kw.setdefault("kind", "organisation")
        return create_source(
            self.session, Actor.system("test"), name=name or f"Source {next(_counter)}", **kw  # type: ignore[arg-type]
        )

    def statement(self, speaker: Source, text: str | None = None, **kw: object) -> Statement:
        kw.setdefault("kind", "paraphrase")
        return create_statement(
            self.session, Actor.system("test"), speaker_id=speaker.id,
            text=text or f"It happened ({next(_counter)}).", **kw  # type: ignore[arg-type]
        )

    def claim(self, text: str | None = None, **kw: object) -> Claim:
        return create_claim(
            self.session, Actor.system("test"), text=text or f"Claim number {next(_counter)}", **kw  # type: ignore[arg-type]
        )

    def link(self, claim: Claim, speaker: Source, stance: str, text: str | None = None) -> ClaimStatement:
        """Link what ``speaker`` said (the statement already recorded with these words, if any)."""
        recorded = find_duplicate(self.session, speaker_id=speaker.id, report_id=None, text=text) if text else None
        return link_statement(
            self.session, claim, recorded or self.statement(speaker, text), Actor.system("test"), stance=stance
        )
