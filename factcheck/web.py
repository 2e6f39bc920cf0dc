"""The web side: blueprints, template helpers and the one error handler."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from .errors import DomainError
from .models import STATUS_LABELS, Status


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _render_error(status: int, title: str, detail: str, **extra: Any) -> Response | tuple[str, int]:
    if wants_json():
        from .api.errors import problem

        return problem(status, title, detail, **extra)
    return render_template("error.html", status=status, title=title, detail=detail, extra=extra), status


def init_app(app: Flask) -> None:
    from . import api, auth, headers
    from .api import errors as api_errors
    from .admin import bp as admin_bp
    from .checker import bp as checker_bp
    from .editor import bp as editor_bp
    from .ops import bp as ops_bp
    from .public import bp as public_bp

    auth.init_app(app)
    headers.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(checker_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(ops_bp)
    api.init_app(app)

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
        return {"STATUS_LABELS": STATUS_LABELS, "Status": Status}
