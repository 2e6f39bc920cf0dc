"""Evidence files of a claim: list, upload (multipart), download, and an editor's public mark.

The same rules as the desk pages (``services.attachments``): a file's type is what its content
is; readers see only the public files of a published claim. The upload takes a body larger
than the API's other requests (``factcheck.uploads``): up to ``ATTACHMENT_MAX_BYTES`` for the
file itself.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from marshmallow import fields

from .. import uploads
from ..db import get_session
from ..errors import ValidationError
from ..services import attachments
from ..services.claims import get_claim
from ..storage import get_store
from . import auth
from .claims import CLAIM, visible_claim
from .errors import PROBLEM_JSON, ProblemSchema
from .framework import Blueprint
from .schemas import MAX_ID, Representation, UserRefSchema

blp = Blueprint(
    "api-attachments", __name__,
    description="Evidence files: PDFs, images, audio and video kept with a claim or one of its status changes.",
)
blp.record_once(lambda state: uploads.init_app(state.app))

ATTACHMENT = f"<int(min=1, max={MAX_ID}):attachment_id>"
STORE_UNAVAILABLE = "The file store could not be reached; nothing was changed. Try again."


class AttachmentSchema(Representation):
    MEMBERS_ONLY = ("added_by", "via", "status_change_id", "public_changed_at")

    id = fields.Integer()
    claim_id = fields.Integer()
    status_change_id = fields.Integer(allow_none=True, metadata={
        "description": "The status change it is evidence for; null: the claim's. Desk only."})
    filename = fields.String(metadata={"description": "The name it was uploaded under, made safe."})
    content_type = fields.String(metadata={"description": "What its content is (never what its name said)."})
    size = fields.Integer(metadata={"description": "Bytes."})
    sha256 = fields.String(metadata={"description": "SHA-256 of its bytes, in hex."})
    description = fields.String()
    public = fields.Boolean(metadata={"description": "Readers see it (while the claim is published)."})
    public_changed_at = fields.DateTime(allow_none=True, metadata={"description": "Desk only."})
    added_at = fields.DateTime()
    via = fields.String(metadata={"description": "Desk only."})
    added_by = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "Desk only."})
    download_url = fields.Method("_download", metadata={"description": "Where to download it."})

    def _download(self, row: Any) -> str:
        return url_for("api-attachments.download", claim_id=row.claim_id, attachment_id=row.id)


AttachmentListSchema = Representation.from_dict(
    {"items": fields.List(fields.Nested(AttachmentSchema))}, name="AttachmentList")


class AttachmentPublicSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    public = fields.Boolean(required=True, metadata={"description": "true: readers see it; false: the desk only."})


def _upload_body() -> dict[str, Any]:
    return {
        "required": True,
        "content": {"multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": (
                        f"The file: {attachments.KEPT_WORDS}. Its type is read from its content.")},
                    "description": {"type": "string", "maxLength": attachments.MAX_DESCRIPTION_LENGTH},
                    "status_change_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": (
                        "A status change of this claim the file is evidence for (default: the claim).")},
                },
            },
        }},
    }


def _problem_503(func: Any) -> Any:
    return blp.alt_response(503, schema=ProblemSchema, content_type=PROBLEM_JSON, description=STORE_UNAVAILABLE)(func)


@blp.route(f"/claims/{CLAIM}/attachments", methods=["GET"])
@blp.public
@blp.response(200, AttachmentListSchema)
@blp.problems(401, 404)
def list_attachments(claim_id: int) -> Any:
    """List a claim's evidence files

    The desk sees every file; readers, the public files of a published claim only.
    """
    claim = visible_claim(claim_id)
    session = get_session()
    if auth.is_member():
        return {"items": attachments.attachments_of(session, claim.id)}
    return {"items": attachments.public_attachments(session, claim_id=claim.id)}


@blp.route(f"/claims/{CLAIM}/attachments", methods=["POST"])
@blp.token
@blp.doc(requestBody=_upload_body())
@blp.response(201, AttachmentSchema, headers={"Location": {"schema": {"type": "string"}}})
@blp.problems(400, 401, 403, 404, 413, 422, 429)
@_problem_503
def upload(claim_id: int) -> Any:
    """Attach an evidence file

    `multipart/form-data` with `file` (and optionally `description`, `status_change_id`). The
    file's type is read from its content: a PDF, an image, audio or video is kept (anything
    else, or an empty file, is 422), up to the configured size (413 past it). It is private to
    the desk until an editor makes it public.
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    from flask import request

    raw_change = (request.form.get("status_change_id") or "").strip()
    change_id = None
    if raw_change:
        if not (raw_change.isascii() and raw_change.isdigit() and len(raw_change) <= 10 and 1 <= int(raw_change) <= MAX_ID):
            raise ValidationError("status_change_id must be the id of one of this claim's status changes.",
                                  {"status_change_id": "not a status change's id"})
        change_id = int(raw_change)
    upload = uploads.uploaded("file")
    row = attachments.add_attachment(
        session, claim, actor, stream=upload.stream, filename=upload.filename, store=get_store(),
        limit=int(current_app.config["ATTACHMENT_MAX_BYTES"]), description=request.form.get("description", ""),
        status_change_id=change_id,
    )
    return row, {"Location": url_for(".download", claim_id=claim.id, attachment_id=row.id)}


uploads.UPLOAD_ENDPOINTS.add("api-attachments.upload")

_BINARY = {"schema": {"type": "string", "format": "binary"}}


@blp.route(f"/claims/{CLAIM}/attachments/{ATTACHMENT}/file", methods=["GET"])
@blp.public
@blp.doc(responses={"200": {"description": "The file, as a download (`Content-Disposition: attachment`).",
                            "content": {t.content_type: _BINARY for t in attachments.KEPT}}})
@blp.alt_response(304, description="Not modified: If-None-Match names this file (its SHA-256).")
@blp.problems(401, 404)
@_problem_503
def download(claim_id: int, attachment_id: int) -> Any:
    """Download an evidence file

    Served as the type its content is, as an attachment, never rendered by a browser. Readers
    may download the public files of a published claim only.
    """
    session = get_session()
    if auth.is_member():
        row = attachments.get_attachment(session, get_claim(session, claim_id).id, attachment_id)
        return uploads.download(row, public=False)
    return uploads.download(attachments.public_attachment(session, attachment_id, claim_id=claim_id), public=True)


@blp.route(f"/claims/{CLAIM}/attachments/{ATTACHMENT}/public", methods=["POST"])
@blp.token
@blp.arguments(AttachmentPublicSchema)
@blp.response(200, AttachmentSchema)
@blp.problems(400, 401, 403, 404, 413, 422, 429)
def set_public(data: dict[str, Any], claim_id: int, attachment_id: int) -> Any:
    """Make an evidence file public or private

    Editors only. `{"public": true}` shows it to readers on the claim's public page (while the
    claim is published); `false` hides it again. Audited either way.
    """
    actor = auth.current_actor()
    session = get_session()
    row = attachments.get_attachment(session, claim_id, attachment_id)
    attachments.set_public(session, row, actor, public=data["public"])
    return row
