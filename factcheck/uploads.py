"""Evidence files over HTTP: the upload routes' own body limit, and downloads served safely.

**Uploads.** Every request is held to ``MAX_CONTENT_LENGTH`` (2 MB), except the few routes
that take a file (``UPLOAD_ENDPOINTS``): for them alone the request's limit
(``request.max_content_length``, Flask 3.1) is raised before anything reads the body — in a URL
value preprocessor, which runs before every ``before_request`` function (the CSRF check and the
NUL-byte check both read the form). Up to twice ``ATTACHMENT_MAX_BYTES`` (plus room for the
form's other fields) is read, so that a file somewhat over the limit still gets the page back
with its refusal and everything else typed kept; the file part is spooled at most one byte past
the limit (``_CappedSpool``: the rest is read and dropped), so a too-large file never fills the
disk. A body larger than that is refused at once (413) with the same words, before it is read.

**Downloads** (``download``): the type the content was found to be (never text or HTML),
``Content-Disposition: attachment`` with a safe file name, ``X-Content-Type-Options: nosniff``,
a sandboxing Content-Security-Policy (a file opened anyway runs no script and reaches nothing),
and no cookie: the session is not written by a download.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from flask import Flask, Response, current_app, g, request, session
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import NotFound
from .models import Attachment
from .services.attachments import FileStoreUnavailable, FileTooLarge, download_name, megabytes
from .storage import CHUNK, NotStored, StorageError, get_store

#: Endpoints that take an evidence file (their views add themselves).
UPLOAD_ENDPOINTS: set[str] = set()
#: Bytes allowed beside the file: the form's other fields and the multipart framing.
FORM_ALLOWANCE = 1024 * 1024
#: A download's Content-Security-Policy: nothing runs, nothing loads, nothing frames it.
SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class UploadTooLarge(RequestEntityTooLarge):
    """A request to an upload route far larger than the file limit (refused before reading)."""

    @property
    def name(self) -> str:  # the page's title, instead of "Request Entity Too Large"
        return "File too large"

    def __init__(self, limit: int) -> None:
        super().__init__(description=(
            f"The file is larger than {megabytes(limit)}, the most one evidence file may be. Nothing was attached: "
            "go back and choose a smaller file."))


def upload_limit() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


class _CappedSpool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    """Where an uploaded file part is written while the form is parsed: in memory up to 512 KB,
    then a temporary file, and never more than ``cap`` bytes (the rest is dropped, and
    ``overflowed`` says so)."""

    def __init__(self, cap: int) -> None:
        super().__init__(max_size=512 * 1024)
        self.cap = cap
        self.kept = 0
        self.overflowed = False

    def write(self, data: Any) -> int:  # type: ignore[override]
        size = len(data)
        room = self.cap - self.kept
        if size > room:
            self.overflowed = True
            data = bytes(data[:max(room, 0)])
        if data:
            self.kept += super().write(data)
        return size


def _allow_upload(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if endpoint not in UPLOAD_ENDPOINTS or request.method != "POST":
        return
    limit = upload_limit()
    allowed = 2 * limit + FORM_ALLOWANCE
    request.max_content_length = allowed
    g.upload_limit = limit
    if request.content_length is not None and request.content_length > allowed:
        raise UploadTooLarge(limit)

    def spool(total_content_length: int | None, content_type: str | None, filename: str | None,
              content_length: int | None = None) -> IO[bytes]:
        return _CappedSpool(limit + 1)  # type: ignore[return-value]

    request._get_file_stream = spool  # type: ignore[method-assign]  (werkzeug's stream factory, per request)


@dataclass(frozen=True)
class Upload:
    """The file part of an upload: its bytes (from the start) and the name it was sent under."""

    stream: IO[bytes] | None
    filename: str


def uploaded(field: str = "file") -> Upload:
    """The file sent in ``field`` (None when no file was chosen); ``FileTooLarge`` when it was
    larger than the limit (only the limit and one byte were kept of it)."""
    part = request.files.get(field)
    if part is None or (not part.filename and _empty(part.stream)):
        return Upload(None, "")
    stream = part.stream
    if isinstance(stream, _CappedSpool) and stream.overflowed:
        raise FileTooLarge(upload_limit())
    stream.seek(0)
    return Upload(stream, part.filename or "")


def _empty(stream: IO[bytes]) -> bool:
    try:
        here = stream.tell()
        data = stream.read(1)
        stream.seek(here)
        return not data
    except (OSError, ValueError):
        return False


def content_disposition(name: str) -> str:
    """``attachment`` with the name as plain ASCII (for old clients) and as UTF-8 (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in ascii_name).strip(" .") or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(attachment: Attachment, *, public: bool) -> Response:
    """The file, as a download (see the module docstring); 304 to a client that has it."""
    etag = attachment.sha256
    cache = "public, no-cache" if public else "private, no-cache"
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff", "Content-Security-Policy": SANDBOX_CSP,
               "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin"}
    session.modified = False  # no Set-Cookie on a download (a sign-in's idle clock is not moved)
    if etag in request.if_none_match:
        response = Response(status=304, headers=headers)
        response.set_etag(etag)
        return response
    try:
        source = get_store().open(attachment.sha256)
    except NotStored:
        raise NotFound("This file's content is missing from the file store (an administrator can list what is "
                       "missing with `flask --app factcheck check-files`).") from None
    except StorageError as error:
        raise FileStoreUnavailable(f"The file store could not be read ({error}). Try again.") from None

    def chunks() -> Iterator[bytes]:
        with source:
            while True:
                chunk = source.read(CHUNK)
                if not chunk:
                    return
                yield chunk

    response = Response(chunks(), mimetype=attachment.content_type, headers=headers, direct_passthrough=True)
    response.content_length = attachment.size
    response.headers["Content-Disposition"] = content_disposition(download_name(attachment))
    response.set_etag(etag)
    return response


def init_app(app: Flask) -> None:
    """Let the upload routes take their larger bodies (idempotent)."""
    if _allow_upload not in app.url_value_preprocessors.setdefault(None, []):
        app.url_value_preprocessor(_allow_upload)
