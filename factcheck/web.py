"""The web side: blueprints, template helpers and the one error handler."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from .errors import DomainError
from .models import STATUS_LABELS, Status
from .services.validation import MAX_ID
from .urls import check_base_url, public_url


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _render_error(status: int, title: str, detail: str, **extra: Any) -> Response | tuple[str, int]:
    if wants_json():
        from .api.errors import problem

        return problem(status, title, detail, **extra)
    return render_template("error.html", status=status, title=title, detail=detail, extra=extra), status


class IdConverter(IntegerConverter):
    """``<id:claim_id>``: a row id, 1 to the largest id a database holds; any other number is
    no route at all (404), never a database error."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def _refuse_nul_bytes() -> None:
    """No query parameter or form field may carry a NUL byte (no database stores one, and
    nothing a person types has one): a clear 400 for every route, before any view or check."""
    # The API's bodies are JSON, refused field by field by its schemas; reading a form here
    # would consume a body its parser has yet to read.
    is_form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    form = request.form if is_form and not request.path.startswith("/api/") else MultiDict()
    for where, values in (("query string", request.args), ("form", form)):
        for key, value in values.items(multi=True):  # type: ignore[call-arg]
            if "\x00" in key or "\x00" in value:
                abort(400, description=f"The {where} contains a character that cannot be stored (a NUL byte) "
                                       f"in {'a field name' if chr(0) in key else repr(key)}: remove it and try again.")


def init_app(app: Flask) -> None:
    check_base_url(app)
    app.url_map.converters["id"] = IdConverter
    app.before_request(_refuse_nul_bytes)  # first: before the CSRF check and every gate
    from . import api, auth, headers
    from .api import errors as api_errors
    from .admin import bp as admin_bp
    from .checker import bp as checker_bp
    from .editor import bp as editor_bp
    from .ops import bp as ops_bp
    from .public import bp as public_bp
    from .resubmit import bp as resubmit_bp, keep_form

    auth.init_app(app)
    headers.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(checker_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(resubmit_bp)
    api.init_app(app)

    @app.errorhandler(CSRFError)
    def _stale_form(error: CSRFError) -> Any:
        # CSRF is checked before routing errors are raised: a wrong method or address is that
        # (405, 404), not a refused form.
        if isinstance(request.routing_exception, HTTPException):
            return _http_error(request.routing_exception)
        # A form sent once its sign-in or token lapsed: keep what was typed (factcheck.resubmit).
        if wants_json() or request.method != "POST" or request.endpoint in ("auth.login", None):
            return _render_error(400, "Please try again",
                                 "The page had expired before it was sent. Reload it and send it again.")
        from .auth import current_user

        if current_user() is None:
            return keep_form("Your sign-in lapsed before this was sent, so nothing was saved. Sign in again "
                             "to save it.")
        return keep_form("The page was open too long (or was sent from another tab), so nothing was saved. "
                         "Check your text and save it again.")

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError) -> Any:
        return _render_error(error.status_code, error.title, error.detail, **error.extra)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if wants_json():  # field errors and Allow / WWW-Authenticate / Retry-After headers
            return api_errors.http_problem(error)
        return _render_error(error.code or 500, error.name, error.description or error.name)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {"STATUS_LABELS": STATUS_LABELS, "Status": Status, "public_url": public_url}
