"""The queue page: text search, the count, previous and next pages, saved filters per person."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.errors import NotFound, ValidationError
from factcheck.models import AuditEvent, Role, SavedFilter
from factcheck.services import Actor, queue, saved_filters


@pytest.fixture
def editor(app, login_as):
    app.config["WTF_CSRF_ENABLED"] = False
    return login_as("editor")


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="pick" value="(\d+):\d+"', html)]


def test_search_inside_the_queue_with_its_count(client, make, editor) -> None:
    raids = [make.claim(f"Raid number {n} in Musa Qala") for n in range(3)]
    make.claim("A flood in Helmand")
    html = client.get("/editor/queue?q=raid+qala&sort=age").get_data(as_text=True)
    assert _ids(html) == [c.id for c in raids]
    assert "3 claims match this view." in html and 'value="raid qala"' in html
    assert "1 claim matches this view." in client.get("/editor/queue?q=flood").get_data(as_text=True)


def test_count_says_about_past_ten_thousand_on_postgresql(client, make, editor, monkeypatch, dialect) -> None:
    for n in range(4):
        make.claim(f"Counted claim {n}")
    monkeypatch.setattr(queue, "EXACT_COUNT_UP_TO", 2)
    html = client.get("/editor/queue").get_data(as_text=True)
    if dialect == "postgresql":
        assert re.search(r"About [\d,]+ claims match this view <small class=\"muted\">\(an estimate", html)
    else:
        assert "4 claims match this view." in html


def test_previous_and_next_pages_keep_the_view(client, make, editor) -> None:
    claims = [make.claim(f"Paged claim {n:03d} raid") for n in range(120)]
    first = client.get("/editor/queue?sort=age&q=raid").get_data(as_text=True)
    assert 'class="prev"' not in first and _ids(first) == [c.id for c in claims[:50]]
    seen = []
    page = first
    for expected in (claims[50:100], claims[100:]):
        url = re.search(r'formaction="([^"]+)"[^>]*class="next"', page).group(1).replace("&amp;", "&")
        assert "q=raid" in url and "sort=age" in url
        page = client.post(url).get_data(as_text=True)
        assert _ids(page) == [c.id for c in expected]
        seen.append(page)
    back = re.search(r'formaction="([^"]+)"[^>]*class="prev"', seen[-1]).group(1).replace("&amp;", "&")
    assert _ids(client.post(back).get_data(as_text=True)) == [c.id for c in claims[50:100]]
    # The same cursor as a plain link (GET) works too.
    assert _ids(client.get(back).get_data(as_text=True)) == [c.id for c in claims[50:100]]


def test_a_bad_view_in_the_address_is_a_clear_refusal(client, editor) -> None:
    for path in ("/editor/queue?sort=nonsense", "/editor/queue?cursor=bm9wZQ", "/editor/queue?stale=perhaps"):
        response = client.get(path)
        assert response.status_code == 422 and "Unresolved claims" in response.get_data(as_text=True), path


# -- saved filters ---------------------------------------------------------------------------


def test_saved_filters_are_each_persons_own(client, session, make, editor) -> None:
    response = client.post("/editor/filters?q=raid&contested=1&sort=deadline&cursor=abc&junk=1",
                           data={"name": "Contested raids"})
    assert response.status_code == 302 and "q=raid" in response.headers["Location"]
    [saved] = saved_filters.filters_of(session, editor.id, "editor.queue")
    assert (saved.name, saved.query) == ("Contested raids", "contested=1&q=raid&sort=deadline")
    html = client.get("/editor/queue").get_data(as_text=True)
    assert 'href="/editor/queue?contested=1&amp;q=raid&amp;sort=deadline"' in html and "Contested raids" in html
    # Saving again under the name replaces its view.
    client.post("/editor/filters?tag=kabul", data={"name": "Contested raids"})
    session.expire_all()
    assert [(f.name, f.query) for f in saved_filters.filters_of(session, editor.id, "editor.queue")] == [
        ("Contested raids", "tag=kabul")]
    # Another editor sees none of it, and cannot delete it.
    other = Actor.of(make.user(Role.EDITOR))
    assert saved_filters.filters_of(session, other.user_id, "editor.queue") == []
    with pytest.raises(NotFound):
        saved_filters.delete_filter(session, other, saved.id)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "saved_filter")
                              .order_by(AuditEvent.id)).all()
    assert actions == ["saved_filter.create", "saved_filter.edit"]
    assert client.post("/editor/filters/delete", data={"filter_id": saved.id}).status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SavedFilter)) == 0


@pytest.mark.parametrize("name, words", [("", "Name: this is required."), ("x" * 101, "Name: is too long")])
def test_saving_a_filter_refuses_in_words_and_keeps_the_view(client, editor, name, words) -> None:
    response = client.post("/editor/filters?q=raid", data={"name": name})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and words in html and 'value="raid"' in html


def test_at_most_fifty_saved_filters(session, make) -> None:
    actor = Actor.of(make.user(Role.EDITOR))
    for n in range(saved_filters.MAX_PER_PERSON):
        saved_filters.save_filter(session, actor, name=f"View {n}", page="editor.queue", query="q=x")
    with pytest.raises(ValidationError, match="delete one you no longer use"):
        saved_filters.save_filter(session, actor, name="One more", page="editor.queue", query="")
    with pytest.raises(ValidationError):
        saved_filters.save_filter(session, actor, name="Elsewhere", page="admin.users", query="")
