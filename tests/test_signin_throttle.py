"""Nobody is locked out by someone else: sign-in and "current password" throttling.

Reproduced first (each test below failed on the code before this change):
- 5 wrong passwords for an account, from anywhere, held back even the right password from
  everywhere for 15 minutes (a hard account lock anyone could set off);
- behind nginx every request came from 127.0.0.1, so the per-address count was one count for
  the whole newsroom; a forwarded address is now trusted exactly PROXY_HOPS proxies deep;
- on PostgreSQL, 64 parallel wrong guesses all read "no failures yet" and all had their
  password checked;
- the password page checked "current password" without any count or audit event.

The clock of ``factcheck.services.signin`` is replaced by one the tests move by hand: no
test waits, and none depends on how fast the machine is.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from factcheck.models import AuditEvent, LoginAttempt, User, utcnow
from factcheck.models.security import SignInThrottle
from factcheck.proxy import init_proxy
from factcheck.services import signin, users

from . import factories
from .conftest import csrf_token

WRONG = "not the right password at all"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


class Clock:
    """``signin``'s clock, moved by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting how many passwords it checked (thread-safe)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):  # noqa: A002 - argon2-cffi's own parameter name
        with self._lock:
            self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(signin, "utcnow", clock)
    return clock


@pytest.fixture
def hasher(monkeypatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(users, "hasher", counting)
    monkeypatch.setattr(users, "_dummy_hash", None)
    return counting


@pytest.fixture
def web(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def post_login(client, email, password=factories.PASSWORD, address=None, **headers):
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ, headers=headers)


def signed_in(response) -> bool:
    return response.status_code == 302 and "/login" not in response.headers["Location"]


def events(session, action: str) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


# --- the account's owner is never kept out by someone else --------------------------------------------


def test_failures_from_elsewhere_do_not_keep_the_owner_out(web, make, clock) -> None:
    user = make.user("checker")
    attacker, owner = web.test_client(), web.test_client()
    for _ in range(30):
        post_login(attacker, user.email, WRONG, address=ATTACKER)
    held = post_login(attacker, user.email, address=ATTACKER)  # even the right password, from there
    assert held.status_code == 429 and "Too many failed sign-ins" in held.get_data(as_text=True)
    assert signed_in(post_login(owner, user.email, address=OWNER))


def test_delays_grow_after_the_free_failures_and_pass(web, make, clock, hasher, session) -> None:
    user = make.user("checker")
    client = web.test_client()
    for _ in range(5):  # LOGIN_MAX_FAILURES_PER_ACCOUNT: free
        assert post_login(client, user.email, WRONG).status_code == 401
    checked = hasher.verified
    waits = []
    for _ in range(4):
        held = post_login(client, user.email)  # the right password, held back: not even checked
        assert held.status_code == 429
        waits.append(int(held.headers["Retry-After"]))
        clock.advance(waits[-1])
        assert post_login(client, user.email, WRONG).status_code == 401  # the wait is over: checked
    assert waits == [1, 2, 4, 8]
    assert hasher.verified == checked + 4
    held = post_login(client, user.email)
    assert held.status_code == 429 and "Wait 16 seconds" in held.get_data(as_text=True)
    assert hasher.verified == checked + 4
    clock.advance(16)
    assert signed_in(post_login(client, user.email))
    assert len(events(session, "auth.login_throttled")) == 5
    assert len(events(session, "auth.login_failed")) == 9


def test_delays_are_capped_and_the_count_is_forgotten_after_a_quiet_window(web, make, clock) -> None:
    user = make.user("checker")
    client = web.test_client()
    waits = []
    for _ in range(35):  # 5 free failures, then each wait sat out and one more failure
        response = post_login(client, user.email, WRONG)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            clock.advance(waits[-1])
    assert waits == [2**k for k in range(10)] + [15 * 60] * 5  # LOGIN_MAX_DELAY: 15 minutes
    assert session_row(web, user.email).failures == 20
    clock.advance(15 * 60)  # the delay is over, but the count stands: one more try, then 15 minutes
    assert post_login(client, user.email, WRONG).status_code == 401
    assert post_login(client, user.email).status_code == 429
    clock.advance(15 * 60 + 15 * 60)  # the delay, then a whole quiet window (LOGIN_THROTTLE_WINDOW)
    for _ in range(5):
        assert post_login(client, user.email, WRONG).status_code == 401  # free again
    assert post_login(client, user.email).status_code == 429


def session_row(app, email):
    from factcheck.db import get_database

    with get_database(app).read_sessions() as s:
        return s.scalar(select(SignInThrottle).where(SignInThrottle.email == email))


def test_the_right_password_starts_the_count_again(web, make, clock) -> None:
    user = make.user("checker")
    client = web.test_client()
    for _ in range(4):
        post_login(client, user.email, WRONG)
    assert signed_in(post_login(client, user.email))
    other = web.test_client()
    for _ in range(4):
        assert post_login(other, user.email, WRONG).status_code == 401  # four more are free again
    assert post_login(other, user.email, WRONG).status_code == 401
    assert post_login(other, user.email, WRONG).status_code == 429


def test_one_address_guessing_at_many_accounts_is_held_back(web, make, clock, hasher) -> None:
    user = make.user("checker")
    client = web.test_client()
    for n in range(20):  # LOGIN_MAX_FAILURES_PER_ADDRESS
        assert post_login(client, f"guess{n}@example.org", WRONG, address=ATTACKER).status_code == 401
    checked = hasher.verified
    held = post_login(client, user.email, address=ATTACKER)
    assert held.status_code == 429 and "from your address" in held.get_data(as_text=True)
    assert hasher.verified == checked
    assert signed_in(post_login(web.test_client(), user.email, address=OWNER))  # everyone else: unaffected


def test_unknown_accounts_are_throttled_like_real_ones(web, make, clock) -> None:
    user = make.user("checker")
    client = web.test_client()
    answers = {}
    for email in (user.email, "nobody.here@example.org"):
        codes = [post_login(client, email, WRONG).status_code for _ in range(6)]
        answers[email] = (codes, post_login(client, email, WRONG).get_data(as_text=True).count("Too many"))
    assert answers[user.email] == answers["nobody.here@example.org"] == ([401] * 5 + [429], 1)


def test_blank_fields_are_refused_without_counting(web, make, clock, hasher, session) -> None:
    user = make.user("checker")
    client = web.test_client()
    response = client.post("/login", data={"email": user.email, "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "Type your email address and your password" in page
    assert user.email in page  # what was typed is kept
    assert hasher.verified == 0
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


# --- 64 parallel guesses: no more password checks than the limit --------------------------------------


def _guess_in_parallel(app, emails: list[str]) -> list[int]:
    app.config["WTF_CSRF_ENABLED"] = False
    start = threading.Barrier(len(emails))
    codes: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def guess(email: str) -> None:
        client = app.test_client()
        try:
            start.wait()
            code = post_login(client, email, WRONG).status_code
            with lock:
                codes.append(code)
        except Exception as exc:  # noqa: BLE001 - collected; the test asserts there are none
            errors.append(repr(exc))

    threads = [threading.Thread(target=guess, args=(email,)) for email in emails]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return codes


@pytest.mark.parametrize("spread", ["one-account", "64-accounts"])
def test_64_parallel_wrong_guesses_get_no_more_checks_than_the_limit(committed_app, clock, monkeypatch, spread) -> None:
    """Count-and-decide is atomic across connections: each guess waits for the row of its
    counts, decides on the count the previous one left, and only then is its password checked."""
    from factcheck.db import get_database

    with get_database(committed_app).transaction() as s:
        users.create_user(s, email="target@example.org", password=factories.PASSWORD, role="checker")
    counting = CountingHasher()
    monkeypatch.setattr(users, "hasher", counting)
    monkeypatch.setattr(users, "_dummy_hash", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("x"))
    if spread == "one-account":
        emails = ["target@example.org"] * 64
    else:
        emails = [f"guess{n}@example.org" for n in range(64)]
    codes = _guess_in_parallel(committed_app, emails)
    limit = 5 if spread == "one-account" else 20  # LOGIN_MAX_FAILURES_PER_ACCOUNT / _PER_ADDRESS
    assert counting.verified == limit
    assert sorted(codes) == [401] * limit + [429] * (64 - limit)
    with get_database(committed_app).read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == limit
        address_row = s.scalar(select(SignInThrottle).where(SignInThrottle.email == ""))
        assert address_row.failures == limit


# --- the proxy: trusted exactly as far as the deployment says ------------------------------------------


def test_behind_one_proxy_two_clients_are_throttled_apart(web, make, clock, session) -> None:
    web.config["PROXY_HOPS"] = "1"
    init_proxy(web)
    user = make.user("checker")
    attacker, owner = web.test_client(), web.test_client()
    for _ in range(25):  # past both free counts
        post_login(attacker, user.email, WRONG, **{"X-Forwarded-For": ATTACKER})
    assert post_login(attacker, user.email, **{"X-Forwarded-For": ATTACKER}).status_code == 429
    # Another reader of the same nginx (the socket is 127.0.0.1 for both): not held back.
    assert signed_in(post_login(owner, user.email, **{"X-Forwarded-For": f"10.1.2.3, {OWNER}"}))
    login = events(session, "auth.login")[-1]
    assert login.address == OWNER  # the last hop, the one nginx appended; the client's own claim ignored
    assert {e.address for e in events(session, "auth.login_failed")} == {ATTACKER}


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(web, make, clock, session) -> None:
    web.config["PROXY_HOPS"] = "0"
    init_proxy(web)
    user = make.user("checker")
    client = web.test_client()
    for n in range(6):  # a new forged address each time: it buys nothing
        post_login(client, user.email, WRONG, **{"X-Forwarded-For": f"192.0.2.{n}"})
    assert post_login(client, user.email, **{"X-Forwarded-For": "192.0.2.200"}).status_code == 429
    assert {e.address for e in events(session, "auth.login_failed")} == {"127.0.0.1"}


def test_proxy_hops_must_be_a_count(app) -> None:
    app.config["PROXY_HOPS"] = "one"
    with pytest.raises(ValueError, match="FACTCHECK_PROXY_HOPS must be the number of proxies"):
        init_proxy(app)


# --- an admin unlocks an account -----------------------------------------------------------------------


def _lock_out(web, email: str, address: str = ATTACKER) -> None:
    client = web.test_client()
    for _ in range(8):
        post_login(client, email, WRONG, address=address)
    assert post_login(client, email, address=address).status_code == 429


def test_admin_unlocks_an_account_on_the_users_page(web, make, login_as, client, clock, session) -> None:
    user = make.user("checker")
    _lock_out(web, user.email)
    login_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"Unlock {user.email}" in page and "held back for" in page
    response = client.post(f"/admin/users/{user.id}", data={"action": "unlock"}, follow_redirects=True)
    assert response.status_code == 200 and "5 failed sign-ins cleared" in response.get_data(as_text=True)
    (event,) = events(session, "user.unlock")
    assert event.subject_id == user.id and event.changes == {"failed_attempts": [5, 0]} and ATTACKER in event.detail
    assert signed_in(post_login(web.test_client(), user.email, address=ATTACKER))
    again = client.post(f"/admin/users/{user.id}", data={"action": "unlock"}, follow_redirects=True)
    assert "nothing to unlock" in again.get_data(as_text=True)
    assert len(events(session, "user.unlock")) == 1  # nothing changed, nothing written


def test_only_admins_unlock(web, make, login_as, client, clock) -> None:
    user = make.user("checker")
    _lock_out(web, user.email)
    login_as("editor")
    assert client.post(f"/admin/users/{user.id}", data={"action": "unlock"}).status_code == 403


def test_cli_unlock(committed_app, clock) -> None:
    from factcheck.db import get_database

    committed_app.config["WTF_CSRF_ENABLED"] = False
    with get_database(committed_app).transaction() as s:
        users.create_user(s, email="locked@example.org", password=factories.PASSWORD, role="checker")
    _lock_out(committed_app, "locked@example.org")
    runner = committed_app.test_cli_runner()
    result = runner.invoke(args=["user", "unlock", "Locked@Example.org"])
    assert result.exit_code == 0, result.output
    assert "Unlocked locked@example.org: 5 failed sign-ins cleared." in result.output
    assert signed_in(post_login(committed_app.test_client(), "locked@example.org", address=ATTACKER))
    with get_database(committed_app).read_sessions() as s:
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "user.unlock")).all()
        assert event.actor_label == "cli" and event.changes == {"failed_attempts": [5, 0]}
    nothing = runner.invoke(args=["user", "unlock", "locked@example.org"])
    assert nothing.exit_code == 0 and "nothing to unlock" in nothing.output
    missing = runner.invoke(args=["user", "unlock", "nobody@example.org"])
    assert missing.exit_code != 0 and "No user nobody@example.org" in missing.output


# --- the password page: counted, held back and audited like a sign-in ----------------------------------


def change(client, current, new="a fresh passphrase for the desk", confirm=None):
    return client.post("/account/password", data={"current": current, "new": new, "confirm": confirm or new,
                                                  "csrf_token": csrf_token(client, "/account/password")})


def test_wrong_current_passwords_are_held_back_and_audited(client, login_as, clock, hasher, session) -> None:
    user = login_as("checker")
    for _ in range(5):
        wrong = change(client, WRONG)
        assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    checked = hasher.verified
    for _ in range(25):  # the rest of 30 guesses: held back, the password never checked
        held = change(client, WRONG)
        assert held.status_code == 429 and "Too many wrong current passwords" in held.get_data(as_text=True)
    held = change(client, factories.PASSWORD)  # now even the right one waits
    assert held.status_code == 429 and held.headers["Retry-After"] == "1"
    assert hasher.verified == checked
    failed = events(session, "user.password_failed")
    assert len(failed) == 5 and all(e.subject_id == user.id and e.actor_id == user.id for e in failed)
    assert len(events(session, "user.password_throttled")) == 26
    clock.advance(1)
    assert change(client, factories.PASSWORD).status_code == 302
    (done,) = events(session, "user.password")[-1:]
    assert done.subject_id == user.id and done.detail == "changed by the user"


def test_wrong_current_passwords_count_towards_sign_in(web, login_as, client, clock) -> None:
    """One secret, one count: guesses on the password page and at sign-in add up."""
    user = login_as("checker")
    for _ in range(5):
        change(client, WRONG)
    held = post_login(web.test_client(), user.email)
    assert held.status_code == 429


def test_a_refused_new_password_costs_no_attempt(client, login_as, clock, hasher, session) -> None:
    login_as("checker")
    checked = hasher.verified  # signing in checked one
    for _ in range(8):
        differ = change(client, WRONG, new="a fresh passphrase for the desk", confirm="something else entirely")
        assert differ.status_code == 422 and "two new passwords differ" in differ.get_data(as_text=True)
        short = change(client, WRONG, new="short")
        assert short.status_code == 422 and "12 to 256 characters" in short.get_data(as_text=True)
    assert hasher.verified == checked
    assert events(session, "user.password_failed") == []
    assert change(client, factories.PASSWORD).status_code == 302


def test_password_change_ends_the_other_sessions(web, make, clock) -> None:
    user = make.user("checker")
    mine, other = web.test_client(), web.test_client()
    assert signed_in(post_login(mine, user.email))
    assert signed_in(post_login(other, user.email))
    response = mine.post("/account/password", data={"current": factories.PASSWORD,
                                                    "new": "a fresh passphrase for the desk",
                                                    "confirm": "a fresh passphrase for the desk"})
    assert response.status_code == 302
    assert mine.get("/desk/").status_code == 200
    assert other.get("/desk/").status_code == 302
    assert signed_in(post_login(web.test_client(), user.email, "a fresh passphrase for the desk"))


def test_users_page_lists_no_one_held_back_when_nobody_is(client, login_as) -> None:
    login_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Unlock" not in page and "Failed sign-ins" in page


def test_login_attempt_rows_record_only_checked_passwords(web, make, clock, session) -> None:
    user = make.user("checker")
    client = web.test_client()
    for _ in range(9):
        post_login(client, user.email, WRONG)
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == user.email)) == 5
    assert session.get(User, user.id).active  # no account is ever locked or deactivated by failures
