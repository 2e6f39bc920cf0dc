"""Evidence files on a claim's desk page: the list (a panel, and beside each status change),
uploading one, downloading one, and an editor marking one public or private.

The rules are ``services.attachments``'; the upload's own body limit and the safe download are
``factcheck.uploads``'. The panel's partial is ``templates/checker/_attachments.html``; the
files of each status change are listed beside it by ``templates/checker/_change_attachments.html``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from .. import uploads
from ..auth import current_actor, requires
from ..db import get_session
from ..models import Claim, Role, User
from ..services import attachments
from ..services.claims import get_claim
from ..storage import get_store
from ..webforms import Check, Form, Id, LongText
from . import bp, panels
from .claims import submit


class AttachmentForm(Form):
    LABELS = {"description": "What it is", "status_change_id": "Evidence for", "file": "File"}
    description = LongText("What it is")
    status_change_id = Id("Evidence for")


class AttachmentPublicForm(Form):
    public = Check("Public")


bp.record_once(lambda state: uploads.init_app(state.app))


@panels.panel
def attachments_panel(session: Session, claim: Claim, user: User) -> dict[str, Any]:
    """The claim's evidence files (one query), also grouped by the status change they are for."""
    files = attachments.attachments_of(session, claim.id)
    by_change: dict[int, list[Any]] = {}
    for row in files:
        if row.status_change_id is not None:
            by_change.setdefault(row.status_change_id, []).append(row)
    limit = int(current_app.config["ATTACHMENT_MAX_BYTES"])
    return {
        "attachments": files,
        "attachments_by_change": by_change,
        "attachment_limit": attachments.megabytes(limit),
        "attachment_kinds": attachments.KEPT_WORDS,
        "attachment_accept": ",".join(t.content_type for t in attachments.KEPT),
        "attachment_label": lambda row: attachments.BY_CONTENT_TYPE[row.content_type].label
        if row.content_type in attachments.BY_CONTENT_TYPE else row.content_type,
        "megabytes": attachments.megabytes,
    }


@bp.post("/claims/<id:claim_id>/attachments")
def upload_attachment(claim_id: int) -> Any:
    """Attach a file (multipart form: ``file``, ``description``, ``status_change_id``)."""

    def write(form: AttachmentForm) -> str:
        session = get_session()
        claim = get_claim(session, claim_id)
        upload = uploads.uploaded("file")
        row = attachments.add_attachment(
            session, claim, current_actor(), stream=upload.stream, filename=upload.filename, store=get_store(),
            limit=uploads.upload_limit(), description=form.description.data, status_change_id=form.status_change_id.data,
        )
        return (f"Evidence file {row.filename} attached ({attachments.megabytes(row.size)}, "
                f"{attachments.BY_CONTENT_TYPE[row.content_type].label}). Only the desk sees it until an editor "
                "makes it public.")

    return submit(claim_id, "attachment", AttachmentForm, write)


uploads.UPLOAD_ENDPOINTS.add("checker.upload_attachment")


@bp.get("/claims/<id:claim_id>/attachments/<id:attachment_id>")
def attachment(claim_id: int, attachment_id: int) -> Any:
    """Download an evidence file (any, public or not: the desk's own)."""
    return uploads.download(attachments.get_attachment(get_session(), claim_id, attachment_id), public=False)


@bp.post("/claims/<id:claim_id>/attachments/<id:attachment_id>/public")
@requires(Role.EDITOR)
def attachment_public(claim_id: int, attachment_id: int) -> Any:
    """An editor shows the file to readers (``public=1``) or hides it (``public=0``)."""

    def write(form: AttachmentPublicForm) -> str:
        session = get_session()
        row = attachments.get_attachment(session, claim_id, attachment_id)
        want = bool(form.public.data)
        changed = attachments.set_public(session, row, current_actor(), public=want)
        if not changed:
            return f"{row.filename} was already {'public' if want else 'private'}; nothing changed."
        if want:
            claim = session.get(Claim, claim_id)
            shown = "readers see it on the claim's public page" if claim is not None and claim.published \
                else "readers will see it once the claim is published"
            return f"{row.filename} is public: {shown}."
        return f"{row.filename} is private again: only the desk sees it."

    return submit(claim_id, f"attachment-{attachment_id}", AttachmentPublicForm, write)
