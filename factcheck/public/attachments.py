"""Evidence files readers may see: the public ones of a published claim, listed on its page
and downloaded from ``/claims/<slug>/files/<id>``; anything else is "not found", in the same
words whatever the reason (private, unpublished, another claim's, none)."""

from __future__ import annotations

from typing import Any

from ..db import get_session
from ..models import Attachment
from ..services import attachments
from .. import uploads
from . import bp


@bp.get("/claims/<slug>/files/<id:attachment_id>")
def attachment(slug: str, attachment_id: int) -> Any:
    row = attachments.public_attachment(get_session(), attachment_id, slug=slug)
    return uploads.download(row, public=True)


@bp.app_template_global("public_evidence_files")
def public_evidence_files(slug: str) -> list[Attachment]:
    """The public claim page's evidence files (one query)."""
    return attachments.public_attachments(get_session(), slug=slug)


@bp.app_template_global("evidence_file_label")
def evidence_file_label(row: Attachment) -> str:
    kept = attachments.BY_CONTENT_TYPE.get(row.content_type)
    return f"{kept.label if kept else row.content_type}, {attachments.megabytes(row.size)}"
