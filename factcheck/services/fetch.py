"""Fetching a web page someone pasted: hostile-input code.

A report's URL or an evidence link is typed by anyone on the desk, or comes from an imported
feed: the page behind it is someone else's, and may try anything. ``fetch`` gets it under a
fixed policy (``Policy``), and never raises for what the network or the page does: every
refusal or failure comes back as a ``Fetched`` whose ``outcome`` and ``error`` say why.

- **Where.** ``http`` and ``https`` only, no user name or password in the address. The host
  is resolved at connect time and every address it resolves to must pass the address rule
  (``services.addresses``: no loopback, private, link-local, multicast, reserved…); the
  connection goes to the address that was checked (pinned), while the ``Host`` header, TLS's
  server name and the certificate's check use the host name. The same check runs again for
  every redirect, before any connection: a redirect to ``http://169.254.169.254/`` is refused
  without a packet sent, and DNS rebinding reaches nothing.
- **How far.** At most ``max_redirects`` (5) redirects; the sixth is refused.
- **How long.** ``connect_timeout`` to connect, ``read_timeout`` for any one read, and a
  ``deadline`` for the whole fetch, redirects included: a watchdog shuts the socket when it
  passes, so a body trickling in a byte at a time, or headers that never end, stop there.
- **How much.** ``max_bytes`` (10 MB) of body, counted on the bytes as received *and* after
  undoing a gzip or deflate ``Content-Encoding`` (decoded a bounded piece at a time: a gzip
  bomb stops at the cap having used a few kilobytes of memory). A ``Content-Length`` above the
  cap is refused before reading.
- **What.** Only the content types of ``content_types`` are kept (web pages, plain text,
  PDF, JSON, XML, feeds, CSV, common images); anything else is refused.

The body is spooled to a temporary file (memory up to 1 MB), hashed on the way; the caller
stores it (``factcheck.storage``) and closes it. ``readable`` gives the main text of an HTML
page (trafilatura), or the text of a plain-text body.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import tempfile
import threading
import time
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection

from .addresses import AddressRefused, Resolver, checked_addresses

MB = 1024 * 1024
#: Bytes read (and decoded) at a time.
CHUNK = 64 * 1024
#: What is archived, by media type (without parameters).
DEFAULT_CONTENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain", "text/csv", "text/xml", "application/xml",
    "application/json", "application/ld+json", "application/rss+xml", "application/atom+xml", "application/pdf",
    "image/png", "image/jpeg", "image/gif", "image/webp",
})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Types whose body is text (decoded for change detection; plain text becomes a report's text).
TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/xml", "application/xml", "application/json",
                        "application/ld+json", "application/rss+xml", "application/atom+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({404, 410})


@dataclass(frozen=True)
class Policy:
    """What a fetch may do (``from_config`` reads the application's settings)."""

    max_bytes: int = 10 * MB
    max_redirects: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: Seconds for the whole fetch, redirects included.
    deadline: float = 30.0
    content_types: frozenset[str] = DEFAULT_CONTENT_TYPES
    #: Exact ``address:port`` pairs the address rule lets through (tests, a developer's laptop).
    allow: frozenset[str] = frozenset()
    resolver: Resolver | None = None
    user_agent: str = "factcheck-archiver/1.0"
    #: A CA bundle to verify certificates with (None: the system's).
    ca_certs: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], **overrides: Any) -> Policy:
        types = config.get("ARCHIVE_CONTENT_TYPES") or DEFAULT_CONTENT_TYPES
        values: dict[str, Any] = {
            "max_bytes": int(config.get("ARCHIVE_MAX_BYTES") or 10 * MB),
            "max_redirects": int(config.get("ARCHIVE_MAX_REDIRECTS", 5)),
            "connect_timeout": float(config.get("ARCHIVE_CONNECT_TIMEOUT") or 5),
            "read_timeout": float(config.get("ARCHIVE_READ_TIMEOUT") or 10),
            "deadline": float(config.get("ARCHIVE_DEADLINE") or 30),
            "content_types": frozenset(str(t).strip().lower() for t in types if str(t).strip()),
            "allow": frozenset(config.get("ARCHIVE_ALLOW_ADDRESSES") or ()),
            "user_agent": str(config.get("ARCHIVE_USER_AGENT") or "factcheck-archiver/1.0"),
            "ca_certs": config.get("ARCHIVE_CA_CERTS") or None,
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class Fetched:
    """What a fetch came to. ``outcome``: ``ok`` (a body of an allowed type, in full),
    ``gone`` (404 or 410), ``failed`` (the network or the server: may work later) or
    ``refused`` (the policy said no: address, scheme, redirects, size, type)."""

    requested_url: str
    outcome: str = "failed"
    final_url: str | None = None
    #: Every address redirected from, in order (the requested one first).
    redirects: list[str] = field(default_factory=list)
    status: int | None = None
    #: The media type, lower case, without parameters; and the charset it named.
    content_type: str | None = None
    charset: str | None = None
    #: The body (decoded of any Content-Encoding), at position 0; None unless ``ok``.
    body: IO[bytes] | None = None
    size: int = 0
    sha256: str | None = None
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def close(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def read_body(self) -> bytes:
        if self.body is None:
            return b""
        self.body.seek(0)
        data = self.body.read()
        self.body.seek(0)
        return data


class _Refused(Exception):
    """The policy refuses (``outcome`` refused)."""


class _Failed(Exception):
    """The network or the server failed (``outcome`` failed)."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    #: Path and query, as sent in the request line.
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def target(url: str) -> Target:
    """``url`` split for a request, or ``_Refused`` saying what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise _Refused("no address")
    url = url.strip()
    if len(url) > 2000:
        raise _Refused("the address is longer than 2,000 characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _Refused("the address contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _Refused("not a valid web address (check the port and brackets)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _Refused(f"only http and https addresses are archived, not {scheme or 'an address without a scheme'}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _Refused("the address has no host name")
    if parts.username is not None or parts.password is not None:
        raise _Refused("an address with a user name or password is not fetched")
    port = port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url.split("#", 1)[0], scheme, host, port, path)


class _Watchdog:
    """Shuts the connection's socket when the fetch's deadline passes, wherever it is blocked
    (the TLS handshake, the headers, the body)."""

    def __init__(self, deadline_at: float) -> None:
        self.deadline_at = deadline_at
        self.expired = False
        self._timer: threading.Timer | None = None

    def arm(self, sock: socket.socket) -> None:
        remaining = self.deadline_at - time.monotonic()

        def fire() -> None:
            self.expired = True
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        if remaining <= 0:
            fire()
            return
        self._timer = threading.Timer(remaining, fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class _WatchedHTTP(HTTPConnection):
    """A connection whose socket the fetch's watchdog shuts at the deadline."""

    watchdog: _Watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self.watchdog.arm(sock)
        return sock


class _WatchedHTTPS(HTTPSConnection):
    watchdog: _Watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self.watchdog.arm(sock)
        return sock


def _connection(tgt: Target, address: str, policy: Policy, watchdog: _Watchdog) -> HTTPConnection:
    """An urllib3 connection to ``address`` (pinned) for ``tgt``, its socket watched; for
    https, TLS's server name and the certificate's check are the host name's."""
    remaining = max(0.05, watchdog.deadline_at - time.monotonic())
    timeout = min(policy.connect_timeout, remaining)
    conn: HTTPConnection
    if tgt.scheme == "https":
        conn = _WatchedHTTPS(address, tgt.port, timeout=timeout, server_hostname=tgt.host,
                             assert_hostname=tgt.host, cert_reqs="CERT_REQUIRED", ca_certs=policy.ca_certs)
    else:
        conn = _WatchedHTTP(address, tgt.port, timeout=timeout)
    conn.watchdog = watchdog  # type: ignore[attr-defined]
    return conn


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._:-]+)", params)
    if match:
        charset = match.group(1).lower()
    return media.strip().lower() or None, charset


class _Decoder:
    """Undoes a Content-Encoding a bounded piece at a time."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self.encoding = encoding
        if encoding in ("", "identity"):
            self._d = None
        elif encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()  # zlib-wrapped; raw deflate is tried on the first error
            self._raw_tried = False
        else:
            raise _Failed(f"the server sent the body encoded as {encoding[:40]!r}, which was not asked for")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._d is None:
            yield data
            return
        try:
            piece = self._d.decompress(data, CHUNK)
        except zlib.error:
            if self.encoding == "deflate" and not self._raw_tried:
                self._raw_tried = True
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                yield from self.feed(data)
                return
            raise _Failed(f"the body is not valid {self.encoding} data") from None
        yield piece
        while self._d.unconsumed_tail:
            try:
                piece = self._d.decompress(self._d.unconsumed_tail, CHUNK)
            except zlib.error:
                raise _Failed(f"the body is not valid {self.encoding} data") from None
            yield piece


def _too_large(policy: Policy) -> _Refused:
    return _Refused(f"the body is larger than {policy.max_bytes / MB:g} MB")


def _read_body(response: Any, policy: Policy, result: Fetched, watchdog: _Watchdog) -> None:
    """The body into a spooled file, hashed, within the size cap (raw and decoded)."""
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > policy.max_bytes:
        raise _too_large(policy)
    decoder = _Decoder(response.headers.get("Content-Encoding") or "")
    spool = tempfile.SpooledTemporaryFile(max_size=MB)
    digest = hashlib.sha256()
    raw = decoded = 0
    try:
        while True:
            if time.monotonic() > watchdog.deadline_at:
                watchdog.expired = True
                raise _Failed("")
            chunk = response.read1(CHUNK, decode_content=False)
            if watchdog.expired:
                raise _Failed("")  # (the watchdog's shutdown reads as the end of the body)
            if not chunk:
                break
            raw += len(chunk)
            if raw > policy.max_bytes:
                raise _too_large(policy)
            for piece in decoder.feed(chunk):
                decoded += len(piece)
                if decoded > policy.max_bytes:
                    raise _too_large(policy)
                digest.update(piece)
                spool.write(piece)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    result.body, result.size, result.sha256 = spool, decoded, digest.hexdigest()


def _failure_words(error: BaseException) -> str:
    """Plain words for a network failure."""
    seen: set[int] = set()
    while True:  # the innermost reason urllib3 wrapped
        inner = getattr(error, "reason", None) or error.__cause__ or error.__context__
        if not isinstance(inner, BaseException) or id(inner) in seen or inner is error:
            break
        seen.add(id(error))
        if isinstance(error, (ssl.SSLError, ssl.CertificateError)):
            break
        error = inner
    text = str(error) or type(error).__name__
    low = text.lower()
    if isinstance(error, (ssl.SSLError, ssl.CertificateError)) or "certificate" in low or "ssl" in low:
        return f"the secure connection failed (TLS): {text[:300]}"
    if "timed out" in low:
        return "no answer in time (timed out)"
    if "refused" in low:
        return "connection refused (nothing listening)"
    return text[:500]


def fetch(url: str, policy: Policy) -> Fetched:
    """Fetch ``url`` under ``policy`` (see the module docstring). Never raises for what the
    address, the network or the server does; the result says what happened."""
    started = time.monotonic()
    watchdog = _Watchdog(started + policy.deadline)
    result = Fetched(requested_url=url)
    current = url
    try:
        for hop in range(policy.max_redirects + 1):
            tgt = target(current)
            try:
                address = checked_addresses(tgt.host, tgt.port, resolver=policy.resolver, allow=policy.allow)[0]
            except AddressRefused as refusal:
                raise _Refused(f"{refusal}; only public addresses are fetched") from None
            if time.monotonic() > watchdog.deadline_at:
                watchdog.expired = True
                raise _Failed("")
            watchdog = _Watchdog(watchdog.deadline_at)  # one timer per connection
            conn = _connection(tgt, address, policy, watchdog)
            try:
                headers = {"Host": tgt.host_header, "User-Agent": policy.user_agent,
                           "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5",
                           "Accept-Encoding": "gzip, deflate"}
                conn.request("GET", tgt.path, headers=headers, preload_content=False, decode_content=False)
                # Connected: from here on every read waits at most the read timeout (urllib3
                # gives the socket the connection's timeout again when the answer is read).
                conn.timeout = policy.read_timeout
                if conn.sock is not None:
                    conn.sock.settimeout(policy.read_timeout)
                response = conn.getresponse()
                status = response.status
                result.status, result.final_url = status, tgt.url
                if status in REDIRECTS:
                    location = (response.headers.get("Location") or "").strip()
                    if not location:
                        raise _Failed(f"answered {status}, a redirect without a Location")
                    result.redirects.append(tgt.url)
                    if hop == policy.max_redirects:
                        raise _Refused(f"more than {policy.max_redirects} redirects")
                    current = urljoin(tgt.url, location)
                    continue
                result.content_type, result.charset = _media_type(response.headers.get("Content-Type"))
                if status in GONE:
                    result.outcome, result.error = "gone", f"answered {status} {response.reason or ''}".rstrip()
                    return result
                if not 200 <= status < 300:
                    raise _Failed(f"answered {status} {response.reason or ''}".rstrip())
                if result.content_type is None:
                    raise _Refused("the server did not say what the body is (no Content-Type)")
                if result.content_type not in policy.content_types:
                    raise _Refused(f"the content type {result.content_type[:100]} is not one that is archived")
                _read_body(response, policy, result, watchdog)
                result.outcome = "ok"
                return result
            finally:
                watchdog.cancel()
                conn.close()
        raise _Refused(f"more than {policy.max_redirects} redirects")  # (not reached)
    except _Refused as refusal:
        result.close()
        result.outcome, result.error = "refused", str(refusal)
    except _Failed as failure:
        result.close()
        result.outcome, result.error = "failed", str(failure)
    except Exception as error:  # noqa: BLE001 — whatever the network or server did
        result.close()
        result.outcome, result.error = "failed", _failure_words(error)
    finally:
        result.duration_ms = int((time.monotonic() - started) * 1000)
    if watchdog.expired and result.outcome == "failed":
        result.error = f"the page did not arrive within {policy.deadline:g} seconds"
    return result


# --- Readable text -----------------------------------------------------------------------

#: HTML past this many bytes is cut before the extractor parses it.
MAX_EXTRACTED_HTML = 5 * MB
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _decoded(data: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def readable(data: bytes, content_type: str | None, charset: str | None) -> tuple[str | None, str | None]:
    """The readable text and title of a body: an HTML page's main text without navigation,
    footers or scripts (trafilatura, falling back to all of the page's text); a text body's
    text; None for anything else (PDF, images)."""
    if content_type in HTML_TYPES:
        import trafilatura

        html = data[:MAX_EXTRACTED_HTML]
        title = None
        match = _TITLE.search(html[:256 * 1024])
        if match:
            title = " ".join(_decoded(match.group(1), charset).split())[:500] or None
        text_html = _decoded(html, charset)
        try:
            text = trafilatura.extract(text_html, include_comments=False, include_tables=True)
            if not text:
                text = trafilatura.html2txt(text_html)
        except Exception:  # noqa: BLE001 — a page the extractor chokes on has no readable text
            text = None
        return (_tidy(text) if text else None), title
    if content_type in TEXT_TYPES:
        return _tidy(_decoded(data, charset)) or None, None
    return None, None


def _tidy(text: str) -> str:
    """Lines without trailing spaces, no run of blank lines, no NUL (databases refuse it)."""
    text = text.replace("\x00", "")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip()


def fingerprint(text: str | None, sha256: str | None) -> str | None:
    """What tells two copies of a page apart: the SHA-256 of its readable text with spacing
    aside, or of its bytes where it has no text."""
    if text:
        return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
    return sha256


def allowed_pairs(values: Collection[str]) -> frozenset[str]:
    return frozenset(v.strip() for v in values if v and v.strip())
