"""A save that fails in the middle leaves no partial rows: the request's one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.models import Base
from factcheck.services import intake

from .conftest import csrf_token


def _counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_failure_in_the_middle_of_a_multi_row_save(client, session, login_as, monkeypatch) -> None:
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    before = _counts(session)
    real = intake.create_statement
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "create_statement", fail_on_second)
    form = {"csrf_token": token, "url": "https://news.example/crash", "article": "text", "count": "3",
            "new_claim": "Something happened", "outlet": "Crash Times"}
    for i, name in enumerate(["Ann", "Bob", "Cy"]):
        form.update({f"keep-{i}": "1", f"speaker-{i}": name, f"text-{i}": f"words {i}", f"stance-{i}": "asserts"})
    with pytest.raises(RuntimeError, match="injected"):
        client.post("/desk/extract/save", data=form)
    assert len(calls) == 2  # the claim, report, outlet, two speakers and one statement were written…
    assert _counts(session) == before  # …and are all gone


def test_server_error_page_is_generic(app, client, login_as, monkeypatch) -> None:
    """With exceptions not propagated (production), a fault is a plain 500 page, no traceback."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as("checker")
    monkeypatch.setattr(intake, "create_statement", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("secret detail")))
    token = csrf_token(client, "/desk/extract")
    response = client.post("/desk/extract/save", data={
        "csrf_token": token, "url": "https://news.example/e", "count": "1", "new_claim": "X",
        "keep-0": "1", "speaker-0": "Ann", "text-0": "w", "stance-0": "asserts"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Internal Server Error" in body and "secret detail" not in body and "Traceback" not in body
