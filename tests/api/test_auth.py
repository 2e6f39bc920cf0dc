"""Bearer tokens on the API: who is refused, and how."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from factcheck.models import ApiToken, utcnow
from factcheck.services import Actor
from factcheck.services.tokens import revoke_token
from factcheck.services.users import set_active

from .helpers import assert_problem


def test_writes_without_a_token_are_401_with_a_challenge(client) -> None:
    response = client.post("/api/v1/claims", json={"text": "x"})
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error=" not in response.headers["WWW-Authenticate"]
    assert "Authorization: Bearer" in body["detail"]


def test_a_wrong_token_is_401_even_on_public_reads(client) -> None:
    for header in ("Bearer fct_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "fct_token-without-scheme",
                   "Bearer " + "x" * 5000, "Bearer é"):
        response = client.get("/api/v1/claims", headers={"Authorization": header})
        assert_problem(response, 401)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"] or \
            "error=invalid_token" in response.headers["WWW-Authenticate"]


def test_revoked_token_is_refused_at_once(client, session, make, token_for) -> None:
    user = make.user("checker")
    secret = token_for(user)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/sources", headers=headers).status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    revoke_token(session, token, Actor.system("test"))
    session.flush()
    assert_problem(client.get("/api/v1/sources", headers=headers), 401)


def test_deactivated_users_tokens_stop_working(client, session, make, token_for) -> None:
    user = make.user("checker")
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    set_active(session, user, Actor.of(make.user("admin")), False)
    session.flush()
    assert_problem(client.post("/api/v1/claims", json={"text": "x"}, headers=headers), 401)


def test_token_acts_with_its_users_current_role(client, session, make, token_for) -> None:
    user = make.user("checker")
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    claim = make.claim("x")
    assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"priority": 3, "version": claim.version},
                                headers=headers), 403)
    user.role = "editor"
    session.flush()
    response = client.patch(f"/api/v1/claims/{claim.id}", json={"priority": 3, "version": claim.version},
                            headers=headers)
    assert response.status_code == 200, response.get_json()


def test_use_is_recorded_at_most_once_a_minute(client, session, make, token_for) -> None:
    user = make.user("checker")
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is None
    client.get("/api/v1/sources", headers=headers)
    session.refresh(token)
    first = token.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    client.get("/api/v1/sources", headers=headers)
    session.refresh(token)
    assert token.last_used_at == first


def test_session_cookies_do_not_authenticate_the_api(client, login_as) -> None:
    login_as("editor")
    assert_problem(client.post("/api/v1/claims", json={"text": "x"}), 401)
    assert_problem(client.get("/api/v1/sources"), 401)
