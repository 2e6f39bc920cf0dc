"""API fixtures: bearer tokens for each role, and a little vocabulary for requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from factcheck.models import Claim, Role, User
from factcheck.services import Actor
from factcheck.services.claims import set_published
from factcheck.services import users
from factcheck.services.tokens import create_token

from .. import factories

Headers = dict[str, str]


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """API tests make many users and never test passwords: hash them cheaply.

    The default Argon2id profile costs about 0.3 s per user by design; the API is reached with
    tokens, so nothing here depends on that cost (the sign-in tests keep it).
    """
    monkeypatch.setattr(users, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def token_for(session: Session) -> Callable[[User], str]:
    """The secret of a new token for ``user``."""

    def _token(user: User, name: str = "test") -> str:
        _row, secret = create_token(session, user, Actor.system("test"), name=name)
        session.flush()
        return secret

    return _token


@pytest.fixture
def bearer(make: factories.Factory, token_for: Callable[[User], str]) -> Callable[..., Headers]:
    """``bearer("editor")``: Authorization headers of a token of a new user of that role."""

    def _bearer(role: Role | str = Role.CHECKER) -> Headers:
        return {"Authorization": f"Bearer {token_for(make.user(role))}"}

    return _bearer


@pytest.fixture
def checker(bearer: Callable[..., Headers]) -> Headers:
    return bearer(Role.CHECKER)


@pytest.fixture
def editor(bearer: Callable[..., Headers]) -> Headers:
    return bearer(Role.EDITOR)


@pytest.fixture
def published(session: Session) -> Callable[[Claim], Claim]:
    """Publish a claim as an editor would (the reader-visible state)."""

    def _publish(claim: Claim) -> Claim:
        set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
        session.flush()
        return claim

    return _publish
