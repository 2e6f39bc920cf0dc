"""The fetcher is hostile-input code: every page of a hostile site on loopback, and the
address rule it shares with webhooks (``services.addresses``).

The site (tests/archive_site.py) is reachable only because each test allows its exact
``127.0.0.1:port`` pair; every other private address stays refused. Host names are resolved
by an injected resolver, so no test asks a real DNS server anything.
"""

from __future__ import annotations

import time

import pytest

from factcheck.services import addresses
from factcheck.services.fetch import MB, Policy, fetch, fingerprint, readable

from .archive_site import Site, running_site, tls_site


@pytest.fixture(scope="module")
def site() -> Site:
    with running_site() as running:
        yield running


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address a fetch opens a TCP connection to."""
    import urllib3.util.connection as connection

    opened: list[tuple[str, int]] = []
    real = connection.create_connection

    def spy(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append((address[0], address[1]))
        return real(address, *args, **kwargs)

    monkeypatch.setattr(connection, "create_connection", spy)
    return opened


def policy(site: Site, **kw: object) -> Policy:
    return Policy(allow=site.allow, **kw)  # type: ignore[arg-type]


# --- The address rule --------------------------------------------------------------------

@pytest.mark.parametrize("address, why", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.1", "private"), ("192.168.1.20", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"), ("100.64.0.1", "not public"),
    ("fc00::1", "private"),
])
def test_refused_ranges(address: str, why: str) -> None:
    assert why in (addresses.refused(address) or "")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert addresses.refused(address) is None


def test_a_name_with_one_private_address_is_refused_whole() -> None:
    resolver = lambda host, port: ["93.184.216.34", "10.1.2.3"]  # noqa: E731
    with pytest.raises(addresses.AddressRefused, match=r"mixed.example \(10.1.2.3\) is a private address"):
        addresses.checked_addresses("mixed.example", 80, resolver=resolver)


def test_the_allow_list_is_exact_address_and_port() -> None:
    allow = frozenset({"127.0.0.1:8080"})
    assert addresses.checked_addresses("127.0.0.1", 8080, allow=allow) == ["127.0.0.1"]
    for host, port in (("127.0.0.1", 8081), ("127.0.0.2", 8080), ("10.0.0.1", 8080)):
        with pytest.raises(addresses.AddressRefused):
            addresses.checked_addresses(host, port, allow=allow)


# --- Pages that work -----------------------------------------------------------------------

def test_an_article_is_fetched_and_its_main_text_read(site: Site) -> None:
    got = fetch(site.url("/article"), policy(site))
    try:
        assert got.ok, got.error
        assert (got.status, got.content_type, got.charset) == (200, "text/html", "utf-8")
        assert got.final_url == site.url("/article") and got.redirects == []
        body = got.read_body()
        assert body.startswith(b"<!doctype html>") and got.size == len(body)
        import hashlib
        assert got.sha256 == hashlib.sha256(body).hexdigest()
        text, title = readable(body, got.content_type, got.charset)
    finally:
        got.close()
    assert title == "Raid in Musa Qala"
    assert "categorically rejected the claim" in text
    # Main text only: no navigation, footer or script.
    for noise in ("Sport", "Copyright", "Cookie settings", "alert", "document.cookie"):
        assert noise not in text, noise


def test_a_redirect_chain_is_followed_and_kept(site: Site) -> None:
    got = fetch(site.url("/redirect/3"), policy(site))
    got.close()
    assert got.ok and got.final_url == site.url("/article")
    assert got.redirects == [site.url(f"/redirect/{n}") for n in (3, 2, 1)] + [site.url("/redirect/0")]


def test_five_redirects_pass_and_a_sixth_is_refused(site: Site) -> None:
    five = fetch(site.url("/redirect/4"), policy(site))  # 4, 3, 2, 1, 0: five redirects
    five.close()
    assert five.ok and len(five.redirects) == 5
    six = fetch(site.url("/redirect/5"), policy(site))
    assert (six.outcome, six.error) == ("refused", "more than 5 redirects")
    assert six.body is None


def test_a_host_name_is_pinned_to_the_address_checked(site: Site, connections) -> None:
    resolver = lambda host, port: {"news.test": ["127.0.0.1"]}[host]  # noqa: E731
    got = fetch(site.url("/article", host="news.test"), policy(site, resolver=resolver))
    got.close()
    assert got.ok, got.error
    assert connections == [("127.0.0.1", site.port)]
    assert site.hosts[-1] == f"news.test:{site.port}"  # the name, in the Host header


# --- Pages that must be refused or stopped ---------------------------------------------------

@pytest.mark.parametrize("path, address", [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254")])
def test_a_redirect_to_an_internal_address_is_refused_before_connecting(site: Site, connections, path, address) -> None:
    got = fetch(site.url(path), policy(site))
    assert got.outcome == "refused"
    assert address in got.error and "only public addresses are fetched" in got.error
    assert connections == [("127.0.0.1", site.port)]  # the site only: never the internal address
    assert got.body is None


def test_a_name_that_resolves_to_a_private_address_is_refused(site: Site, connections) -> None:
    resolver = lambda host, port: ["10.0.0.7"]  # noqa: E731
    got = fetch("http://intranet.example/secret", Policy(resolver=resolver))
    assert got.outcome == "refused"
    assert got.error == "intranet.example (10.0.0.7) is a private address; only public addresses are fetched"
    assert connections == []


def test_dns_rebinding_after_a_redirect_is_refused(site: Site, connections) -> None:
    """The name resolves to the allowed address first, then (rebound) to a private one: the
    redirect to the same name is checked again, and refused."""
    answers = iter([["127.0.0.1"], ["10.0.0.9"]])
    resolver = lambda host, port: next(answers)  # noqa: E731
    got = fetch(site.url("/redirect/1", host="rebind.test"), policy(site, resolver=resolver))
    assert got.outcome == "refused" and "10.0.0.9" in got.error
    assert connections == [("127.0.0.1", site.port)]


@pytest.mark.parametrize("url, words", [
    ("ftp://example.org/file", "only http and https"), ("file:///etc/passwd", "only http and https"),
    ("javascript:alert(1)", "only http and https"), ("http://user:pw@example.org/", "user name or password"),
    ("http:///nohost", "no host name"), ("http://exa mple.org/", "spaces"), ("", "no address"),
    ("http://[::1/", "not a valid web address"),
])
def test_addresses_that_are_not_fetched(url: str, words: str) -> None:
    got = fetch(url, Policy())
    assert got.outcome == "refused" and words in got.error


def test_the_loopback_address_is_refused_without_the_allow_list(site: Site, connections) -> None:
    got = fetch(site.url("/article"), Policy())
    assert got.outcome == "refused" and "loopback" in got.error
    assert connections == []


def test_an_endless_slow_body_stops_at_the_deadline(site: Site) -> None:
    started = time.monotonic()
    got = fetch(site.url("/slow"), policy(site, deadline=1.5, read_timeout=5))
    took = time.monotonic() - started
    assert got.outcome == "failed" and got.error == "the page did not arrive within 1.5 seconds"
    assert 1.2 < took < 4, took
    assert got.body is None


def test_a_server_that_never_answers_stops_at_the_read_timeout(site: Site) -> None:
    started = time.monotonic()
    got = fetch(site.url("/silent"), policy(site, read_timeout=0.5, deadline=20))
    took = time.monotonic() - started
    assert (got.outcome, got.error) == ("failed", "no answer in time (timed out)")
    assert took < 5, took


def test_the_connect_timeout_and_the_deadline_bound_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that never completes the TCP handshake: the connection is given the connect
    timeout (or what is left of the deadline, if less)."""
    import urllib3.util.connection as connection

    given: list[float | None] = []

    def black_hole(address, timeout=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(timeout)
        raise TimeoutError("timed out")

    monkeypatch.setattr(connection, "create_connection", black_hole)
    public = lambda host, port: ["93.184.216.34"]  # noqa: E731
    got = fetch("http://slow-to-connect.example/", Policy(resolver=public, connect_timeout=2.5, deadline=30))
    assert got.outcome == "failed" and "timed out" in got.error
    got = fetch("http://slow-to-connect.example/", Policy(resolver=public, connect_timeout=10, deadline=1.5))
    assert got.outcome == "failed"
    assert given[0] == 2.5 and given[1] is not None and given[1] <= 1.5


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_a_50_mb_body_stops_at_the_cap(site: Site, path: str) -> None:
    got = fetch(site.url(path), policy(site))
    assert (got.outcome, got.error) == ("refused", "the body is larger than 10 MB")
    assert got.body is None


def test_a_gzip_bomb_stops_at_the_cap_on_decoded_bytes(site: Site) -> None:
    import tracemalloc

    tracemalloc.start()
    try:
        got = fetch(site.url("/bomb"), policy(site))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(site.bomb) < 1 * MB  # what came over the wire was small…
    assert (got.outcome, got.error) == ("refused", "the body is larger than 10 MB")  # …what it unpacks to is not
    assert peak < 4 * MB, peak  # decoded a bounded piece at a time (spooled past 1 MB)


def test_a_gzip_body_under_the_cap_is_decoded(site: Site) -> None:
    got = fetch(site.url("/bomb"), policy(site, max_bytes=300 * MB))
    try:
        assert got.ok and got.size == 200 * MB
    finally:
        got.close()


@pytest.mark.parametrize("path, outcome, words", [
    ("/gone", "gone", "answered 404"), ("/gone410", "gone", "answered 410"), ("/error", "failed", "answered 503"),
    ("/binary", "refused", "content type application/x-msdownload is not one that is archived"),
    ("/notype", "refused", "no Content-Type"),
])
def test_answers_that_keep_nothing(site: Site, path: str, outcome: str, words: str) -> None:
    got = fetch(site.url(path), policy(site))
    assert got.outcome == outcome and words in got.error
    assert got.body is None


def test_nothing_listening(site: Site) -> None:
    from .archive_site import free_port

    port = free_port()
    got = fetch(f"http://127.0.0.1:{port}/", Policy(allow=frozenset({f"127.0.0.1:{port}"}), connect_timeout=2))
    assert got.outcome == "failed" and "refused" in got.error


def test_a_tls_error_is_a_failure_with_its_reason(tmp_path) -> None:
    with tls_site(tmp_path) as secure:
        got = fetch(secure.url("/article", host="localhost"),
                    Policy(allow=secure.allow, resolver=lambda host, port: ["127.0.0.1"]))
    assert got.outcome == "failed"
    assert got.error.startswith("the secure connection failed (TLS)") and "certificate" in got.error.lower()
    assert got.body is None


def test_a_page_that_changes_between_fetches(site: Site) -> None:
    texts = []
    for version in (1, 2):
        site.version = version
        got = fetch(site.url("/changing"), policy(site))
        try:
            texts.append(readable(got.read_body(), got.content_type, got.charset)[0])
        finally:
            got.close()
    assert "was killed in a joint raid" in texts[0] and "update 2" in texts[1]
    assert fingerprint(texts[0], None) != fingerprint(texts[1], None)
    assert fingerprint(texts[0], None) == fingerprint("  " + texts[0].replace(" ", "\n"), None)  # spacing aside
