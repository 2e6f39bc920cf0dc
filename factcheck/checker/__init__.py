"""The checker's desk: claims, statements, sources and status — for checkers and above."""

from __future__ import annotations

from flask import Blueprint

from ..auth import gate
from ..models import Role

bp = Blueprint("checker", __name__, url_prefix="/desk")
gate(bp, Role.CHECKER)

from . import archive, attachments, claims, extract, mywork, notes, sources, statements  # noqa: E402,F401  (registers the views)
