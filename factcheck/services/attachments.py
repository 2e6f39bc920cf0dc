"""Evidence files: a PDF, an image, a recording attached to a claim or to one of its status
changes — kept by content (``factcheck.storage``), private to the desk unless an editor marks
one public.

What a file is comes from its bytes, never its name (``sniff``, with ``puremagic``: a maintained,
pure-Python reader of file signatures, so nothing needs a system package such as libmagic). Only
the types in ``TYPES`` are kept: documents (PDF), images, audio and video. An HTML page renamed
``.pdf``, a program, an SVG (which can carry script), an archive, an empty file: each is refused
with a message saying what it is, and nothing is stored. The type found is what the file is
served as; its download name ends with that type's extension, whatever it was uploaded as.

The order of an upload (``add_attachment``): the rules on the words typed, then the size (when
it can be known before reading), then the type from the file's first bytes, and only then the
bytes are stored and the row written, in the caller's transaction with its audit event. A row
never points at a file that was not stored; a file stored for an upload whose transaction then
failed is kept but referenced by nothing (``flask check-files`` lists such files).

Readers see a file only if it is public and its claim is published (``public_attachment``).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import IO

import puremagic
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import DomainError, NotFound, ValidationError
from ..models import Attachment, Claim, Role, StatusChange, utcnow
from ..storage import Store, StorageError, TooLarge
from . import audit, outbox
from .actor import Actor
from .validation import clean_text

#: Bytes of a file read to decide its type (every signature we accept lies within them).
HEAD_BYTES = 64 * 1024
MAX_DESCRIPTION_LENGTH = 2_000
MAX_FILENAME_LENGTH = 200


@dataclass(frozen=True)
class FileType:
    """A kind of file kept as evidence: what it is served as, and how it is named."""

    content_type: str
    label: str
    #: The extension its download name gets, and the others it may already have.
    extension: str
    also: tuple[str, ...] = ()
    group: str = "document"

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.also)


_PDF = FileType("application/pdf", "PDF", ".pdf")
_JPEG = FileType("image/jpeg", "JPEG image", ".jpg", (".jpeg", ".jpe", ".jfif"), "image")
_MP3 = FileType("audio/mpeg", "MP3 audio", ".mp3", (".mpga",), "audio")
_OGG = FileType("audio/ogg", "Ogg audio", ".ogg", (".oga", ".ogv", ".opus"), "audio")
_TIFF = FileType("image/tiff", "TIFF image", ".tif", (".tiff",), "image")
_HEIF = FileType("image/heic", "HEIC image", ".heic", (".heif",), "image")
_MKV = FileType("video/x-matroska", "Matroska video", ".mkv", (), "video")

#: The extension puremagic names for a signature → what we keep it as. Anything else is refused.
TYPES: dict[str, FileType] = {
    ".pdf": _PDF,
    ".png": FileType("image/png", "PNG image", ".png", (), "image"),
    ".jpg": _JPEG, ".jpeg": _JPEG, ".jpe": _JPEG, ".jfif": _JPEG,
    ".gif": FileType("image/gif", "GIF image", ".gif", (), "image"),
    ".webp": FileType("image/webp", "WebP image", ".webp", (), "image"),
    ".tif": _TIFF, ".tiff": _TIFF,
    ".heic": _HEIF, ".heif": _HEIF,
    ".mp3": _MP3, ".mpga": _MP3,
    ".wav": FileType("audio/wav", "WAV audio", ".wav", (), "audio"),
    ".ogg": _OGG, ".oga": _OGG,
    ".flac": FileType("audio/flac", "FLAC audio", ".flac", (), "audio"),
    ".m4a": FileType("audio/mp4", "M4A audio", ".m4a", (), "audio"),
    ".mp4": FileType("video/mp4", "MP4 video", ".mp4", (".m4v",), "video"),
    ".mov": FileType("video/quicktime", "QuickTime video", ".mov", (".qt",), "video"),
    ".webm": FileType("video/webm", "WebM video", ".webm", (), "video"),
    ".mkv": _MKV,
}
#: Every type kept, once each (the forms' ``accept``, the API document, the README).
KEPT: tuple[FileType, ...] = tuple(dict.fromkeys(TYPES.values()))
BY_CONTENT_TYPE: dict[str, FileType] = {t.content_type: t for t in KEPT}
#: What the upload forms say is accepted.
KEPT_WORDS = ("PDF; images (PNG, JPEG, GIF, WebP, TIFF, HEIC); audio (MP3, WAV, Ogg, FLAC, M4A); "
              "video (MP4, QuickTime, WebM, Matroska)")


class FileTooLarge(ValidationError):
    """The file is larger than the configured limit (413)."""

    status_code = 413
    title = "File too large"

    def __init__(self, limit: int) -> None:
        words = f"The file is larger than {megabytes(limit)}, the most one evidence file may be. Nothing was attached."
        super().__init__(words, {"file": f"larger than {megabytes(limit)}"})
        self.limit = limit


class FileStoreUnavailable(DomainError):
    """The file store did not answer (a bucket unreachable, a disk full): try again (503)."""

    status_code = 503
    title = "File store unavailable"


def megabytes(size: int) -> str:
    """``25 MB``, ``1.5 MB``, ``640 KB``, ``12 bytes``: sizes as the desk reads them."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte{'s' if size != 1 else ''}"


def sniff(head: bytes) -> tuple[FileType | None, str]:
    """The kept type the bytes ``head`` (a file's beginning) are, and puremagic's name for what
    they are (for the refusal's words when it is no kept type: "HTML File")."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None, ""
    if not matches:
        return None, ""
    best = max(m.confidence for m in matches)
    top = [m for m in matches if m.confidence == best]
    for match in top:
        kept = TYPES.get((match.extension or "").lower())
        if kept is not None:
            return kept, match.name or ""
    # The refusal's words: the likeliest match of a registered type (a Windows program is
    # "Windows Executable", not one of the rarer formats that begin with the same bytes).
    known = [m for m in matches if m.mime_type]
    named = max(known, key=lambda m: m.confidence) if known else top[0]
    return None, named.name or ""


_BIDI_AND_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_filename(name: object) -> str:
    """The name a file was uploaded under, as kept and shown: its last path part only, without
    control or direction-changing characters, quotes or leading dots, at most 200 characters."""
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _BIDI_AND_CONTROLS.sub("", text).replace('"', "").strip().lstrip(".").strip()
    if len(text) > MAX_FILENAME_LENGTH:
        stem, ext = os.path.splitext(text)
        ext = ext if len(ext) <= 16 else ""
        text = stem[: MAX_FILENAME_LENGTH - len(ext)] + ext
    return text or "file"


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the uploaded name, ending with the extension of the
    type the content is (``notes.html`` that is a PDF is saved as ``notes.html.pdf``)."""
    kept = BY_CONTENT_TYPE.get(attachment.content_type)
    name = safe_filename(attachment.filename)
    if kept is None:
        return name
    stem, ext = os.path.splitext(name)
    if ext.lower() in kept.extensions:
        return stem + ext.lower()
    return name + kept.extension


def _length(stream: IO[bytes]) -> int | None:
    """The bytes left in ``stream`` if it can tell without reading (a spooled upload can)."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return None


class _Rejoined(io.RawIOBase):
    """The bytes already read (``head``), then the rest of ``stream``: the whole file again,
    for the store, without reading it twice."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                out, self._head = self._head + self._stream.read(), b""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._stream.read(size)


def _status_change(session: Session, claim: Claim, status_change_id: int | None) -> StatusChange | None:
    if status_change_id is None:
        return None
    change = session.get(StatusChange, status_change_id)
    if change is None or change.claim_id != claim.id:
        raise ValidationError("Evidence for: that status change is not one of this claim's.",
                              {"status_change_id": "not one of this claim's status changes"})
    return change


def _touch(session: Session, claim: Claim) -> None:
    """Evidence added or shown counts as activity on the claim (never stale), not as an edit:
    nobody's open form becomes out of date (the version stays)."""
    at = utcnow()
    session.execute(update(Claim).where(Claim.id == claim.id).values(last_activity_at=at)
                    .execution_options(synchronize_session=False))
    set_committed_value(claim, "last_activity_at", at)


def add_attachment(
    session: Session, claim: Claim, actor: Actor, *, stream: IO[bytes] | None, filename: str, store: Store,
    limit: int, description: str = "", status_change_id: int | None = None,
) -> Attachment:
    """Keep the file ``stream`` as evidence for ``claim`` (or for its status change
    ``status_change_id``): checked, typed by its content, stored, recorded, audited."""
    actor.require(Role.CHECKER, "attach evidence files")
    description = clean_text(description, "description", max_length=MAX_DESCRIPTION_LENGTH, required=False)
    change = _status_change(session, claim, status_change_id)
    if stream is None:
        raise ValidationError("File: choose a file to attach.", {"file": "choose a file"})
    name = safe_filename(filename)
    size = _length(stream)
    if size is not None and size > limit:
        raise FileTooLarge(limit)
    head = stream.read(HEAD_BYTES)
    if not head:
        raise ValidationError(f"{name} is empty (0 bytes): there is nothing to keep. Nothing was attached.",
                              {"file": "is empty"})
    kept, what = sniff(head)
    if kept is None:
        seen = f" (its content is: {what})" if what else ""
        raise ValidationError(
            f"{name} is not a kind of file kept as evidence{seen}, whatever its name says. Evidence files "
            f"are {KEPT_WORDS}. Nothing was attached.",
            {"file": "not a PDF, image, audio or video file"},
        )
    try:
        stored = store.put(_Rejoined(head, stream), limit=limit)
    except TooLarge:
        raise FileTooLarge(limit) from None
    except StorageError as error:
        raise FileStoreUnavailable(f"The file could not be stored ({error}). Nothing was attached; try again.") from None
    row = Attachment(claim_id=claim.id, status_change_id=change.id if change else None, sha256=stored.sha256,
                     size=stored.size, content_type=kept.content_type, filename=name, description=description,
                     public=False, added_by_id=actor.user_id, via=actor.via, added_at=utcnow())
    session.add(row)
    session.flush()
    _touch(session, claim)
    audit.record(session, "attachment.add", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"evidence file #{row.id}: {name}",
                 changes=audit.changes({}, {"attachment": row.id, "filename": name, "content_type": kept.content_type,
                                            "size": stored.size, "sha256": stored.sha256,
                                            "status_change": row.status_change_id, "description": description or None}))
    return row


def set_public(session: Session, attachment: Attachment, actor: Actor, *, public: bool) -> bool:
    """An editor shows an evidence file to readers (on its claim's public page, while the claim
    is published), or hides it again. Audited; returns whether anything changed."""
    actor.require(Role.EDITOR, "make evidence files public or private")
    public = bool(public)
    if attachment.public == public:
        return False
    before = attachment.public
    attachment.public = public
    attachment.public_changed_at = utcnow()
    attachment.public_changed_by_id = actor.user_id
    session.flush()
    claim = session.get(Claim, attachment.claim_id)
    assert claim is not None
    _touch(session, claim)
    audit.record(session, "attachment.publish" if public else "attachment.unpublish", actor=actor,
                 subject_type="claim", subject_id=claim.id, detail=f"evidence file #{attachment.id}: {attachment.filename}",
                 changes={"public": [before, public]})
    if claim.published_at is not None:
        # The public page lists it (or no longer does): refresh the front caches' copy.
        outbox.enqueue(session, "cache", "attachment.public", {"slug": claim.slug, "claim_id": claim.id},
                       claim_id=claim.id)
    return True


def attachments_of(session: Session, claim_id: int) -> list[Attachment]:
    """A claim's evidence files, oldest first, with who added them (one query)."""
    return list(session.scalars(
        select(Attachment).where(Attachment.claim_id == claim_id)
        .options(joinedload(Attachment.added_by), joinedload(Attachment.public_changed_by))
        .order_by(Attachment.id)
    ).unique())


def get_attachment(session: Session, claim_id: int, attachment_id: int) -> Attachment:
    """An evidence file of ``claim_id``; NotFound for another claim's, or none."""
    row = session.get(Attachment, attachment_id)
    if row is None or row.claim_id != claim_id:
        raise NotFound("That evidence file is not on this claim.")
    return row


def _public(query):  # type: ignore[no-untyped-def]
    return query.join(Claim, Claim.id == Attachment.claim_id).where(
        Attachment.public.is_(True), Claim.published_at.is_not(None))


def public_attachments(session: Session, *, slug: str | None = None, claim_id: int | None = None) -> list[Attachment]:
    """What readers see of a claim's evidence files: the public ones, while it is published."""
    query = _public(select(Attachment))
    query = query.where(Claim.slug == slug) if slug is not None else query.where(Claim.id == claim_id)
    return list(session.scalars(query.order_by(Attachment.id)))


def public_attachment(session: Session, attachment_id: int, *, slug: str | None = None,
                      claim_id: int | None = None) -> Attachment:
    """One file readers may download; NotFound — the same words for every other — otherwise:
    private, of an unpublished claim, of another claim, or none."""
    query = _public(select(Attachment)).where(Attachment.id == attachment_id)
    query = query.where(Claim.slug == slug) if slug is not None else query.where(Claim.id == claim_id)
    row = session.scalar(query)
    if row is None:
        raise NotFound("No such file.")
    return row
