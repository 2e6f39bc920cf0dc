"""Sign-in, sessions, throttling, CSRF and redirects."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from factcheck.models import AuditEvent, LoginAttempt
from factcheck.models.security import SignInThrottle
from factcheck.services.users import hasher

from . import factories
from .conftest import csrf_token


def sign_in(client, email, password=factories.PASSWORD, environ_base=None, **extra):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login"), **extra}
    return client.post("/login", data=data, environ_base=environ_base or {})


def test_login_and_logout(client, make) -> None:
    user = make.user("checker")
    response = sign_in(client, user.email)
    # Everyone lands on their own work after signing in (issue 18).
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/my-work")
    assert client.get("/desk/").status_code == 200
    token = csrf_token(client, "/desk/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/desk/").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make) -> None:
    user = make.user("checker")
    wrong = sign_in(client, user.email, "not the right password")
    unknown = sign_in(client, "nobody@example.org", "not the right password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Email or password is incorrect." in wrong.get_data(as_text=True)
    assert "Email or password is incorrect." in unknown.get_data(as_text=True)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Throttling's clock stands still: a delay never runs out while a test runs, however slow."""
    from factcheck.models import utcnow
    from factcheck.services import signin

    now = utcnow()
    monkeypatch.setattr(signin, "utcnow", lambda: now)
    return now


def test_throttling_per_account_from_an_address_is_stored_in_the_database(client, make, session, frozen_clock) -> None:
    user = make.user("checker")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password here").status_code == 401
    held = sign_in(client, user.email)  # even the right password, from this address, now
    assert held.status_code == 429 and held.headers["Retry-After"] == "1"
    assert "Too many failed sign-ins for this account from your address" in held.get_data(as_text=True)
    failures = session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(False)))
    assert failures == 5
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.login_failed")) == 5
    counts = {row.email: row.failures for row in session.scalars(select(SignInThrottle))}
    assert counts == {"": 5, user.email: 5}
    # From another address, the owner signs in: no one else's failures lock an account.
    other = sign_in(client, user.email, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 302


def test_throttling_per_address(client, make, app, frozen_clock) -> None:
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for n in range(3):
        sign_in(client, f"guess{n}@example.org", "wrong password here")
    user = make.user("checker")
    assert "Too many failed sign-ins from your address" in sign_in(client, user.email).get_data(as_text=True)


def test_session_id_changes_at_login(client, make) -> None:
    user = make.user("checker")
    client.get("/login")
    with client.session_transaction() as s:
        s["sid"] = "attacker-fixed"
    sign_in(client, user.email)
    with client.session_transaction() as s:
        assert s["sid"] != "attacker-fixed" and s["uid"] == user.id


def test_logout_ends_other_sessions(app, make) -> None:
    user = make.user("checker")
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.email)
    sign_in(second, user.email)
    assert second.get("/desk/").status_code == 200
    first.post("/logout", data={"csrf_token": csrf_token(first, "/desk/")})
    assert second.get("/desk/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make) -> None:
    user = make.user("checker")
    mine, other = app.test_client(), app.test_client()
    sign_in(mine, user.email)
    sign_in(other, user.email)
    response = mine.post("/account/password", data={
        "current": factories.PASSWORD, "new": "a brand new long password", "confirm": "a brand new long password",
        "csrf_token": csrf_token(mine, "/account/password")})
    assert response.status_code == 302
    assert mine.get("/desk/").status_code == 200
    assert other.get("/desk/").status_code == 302


def test_deactivation_ends_sessions(app, make, session) -> None:
    user = make.user("checker")
    client = app.test_client()
    sign_in(client, user.email)
    user.active = False
    user.session_nonce += 1
    session.flush()
    assert client.get("/desk/").status_code == 302


@pytest.mark.parametrize("field,age", [("seen_at", 3601), ("login_at", 12 * 3600 + 1)])
def test_idle_and_absolute_timeouts(client, make, field, age) -> None:
    user = make.user("checker")
    sign_in(client, user.email)
    with client.session_transaction() as s:
        s[field] = int(time.time()) - age
    assert client.get("/desk/").status_code == 302


def test_session_cookie_flags(db_url, connection, make) -> None:
    """Outside development the cookie is Secure as well as HttpOnly and SameSite."""
    from sqlalchemy.orm import sessionmaker

    from config import Config, TestingConfig
    from factcheck import create_app
    from factcheck.db import get_database

    class Production(TestingConfig):
        SESSION_COOKIE_SECURE = Config.SESSION_COOKIE_SECURE

    app = create_app(Production(db_url))
    bound = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    get_database(app).read_sessions = get_database(app).write_sessions = bound
    user = make.user("checker")
    client = app.test_client()
    response = sign_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_post_without_csrf_token_is_refused(client, make) -> None:
    user = make.user("checker")
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/desk/").status_code == 302  # not signed in (the page's words: factcheck/web.py)


@pytest.mark.parametrize("target,expected", [
    ("/desk/sources", "/desk/sources"),
    ("https://evil.example/", "/desk/my-work"),
    ("//evil.example/x", "/desk/my-work"),
    ("/\\evil.example", "/desk/my-work"),
    ("javascript:alert(1)", "/desk/my-work"),
])
def test_next_parameter_only_goes_to_this_site(client, make, target, expected) -> None:
    user = make.user("checker")
    response = sign_in(client, user.email, next=target)
    assert response.headers["Location"] == expected


def test_password_bounds_checked_before_hashing(client, make, monkeypatch) -> None:
    from factcheck.services import users

    user = make.user("admin")
    sign_in(client, user.email)
    called = []

    class Spy:
        def hash(self, password: str) -> str:
            called.append(len(password))
            return hasher.hash(password)

    monkeypatch.setattr(users, "hasher", Spy())
    response = client.post("/admin/users", data={"email": "new@example.org", "password": "x" * 100_000,
                                                 "role": "checker", "csrf_token": csrf_token(client, "/admin/users")})
    assert response.status_code == 422
    assert "12 to 256 characters" in response.get_data(as_text=True)
    assert called == []


def test_rehash_when_parameters_change(make, session) -> None:
    from argon2 import PasswordHasher

    from factcheck.services import users

    user = make.user("checker")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(factories.PASSWORD)
    old = user.password_hash
    assert users.verify_password(user, factories.PASSWORD)
    assert user.password_hash != old and user.password_hash.startswith("$argon2id$")
