"""The JSON API for newsroom integrations, under /api/v1/.

Everything a checker or editor can do in the web pages, a program can do here, by calling the
same service functions: the views only parse, call a service, and serialise.

Why flask-smorest (and not APIFlask). Both generate OpenAPI from marshmallow schemas through
apispec, and both are maintained. APIFlask generates its document from its own application
class (``APIFlask``, a ``Flask`` subclass): adopting it means replacing the application that
``create_app()`` builds and every other blueprint runs on. flask-smorest is an extension — an
``Api`` object initialised on an ordinary ``Flask`` app, with ``Blueprint``s that are Flask
blueprints — so the API is one more part of the application, like the reader and desk pages.
Its ``OPENAPI_VERSION = "3.1.0"`` is honoured by apispec ≥ 6 (nullable fields become
``type: [..., "null"]``, as 3.1 requires). It also lets its error handler be switched off,
which this application needs: one handler renders every error (``factcheck.web``).

Modules: ``framework`` (flask-smorest fitted here), ``auth`` (bearer tokens), ``ratelimit``,
``errors`` (problem details), ``preconditions`` (ETag / If-Match), ``schemas``, ``paging``;
one module per resource (``claims``, ``history``, ``stances``, ``sources``, ``reports``,
``statements``), ``public`` (badge, ClaimReview feed) and ``reference`` (the document and its
page).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from ..public.queries import SLUG
from . import ratelimit
from .framework import Api, init_spec


class SlugConverter(BaseConverter):
    """A claim's slug, as the reader pages accept it; anything else is not a route (404)."""

    regex = SLUG.pattern


def init_app(app: Flask) -> Api:
    """Register the API on ``app``: blueprints, OpenAPI document, rate limiting."""
    from . import attachments, claims, extract, history, public, reference, reports, snapshots, sources, stances, statements

    app.config.setdefault("API_TITLE", "factcheck API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "Claims, their sources, statements and stances, and their status history, "
                "for newsroom integrations. Reads of published claims, badges and the ClaimReview feed "
                "need no token; everything else needs `Authorization: Bearer <token>`. Errors are "
                "RFC 9457 problem details. A human-readable reference is at /api/v1/docs."
            },
        },
    )
    app.url_map.converters.setdefault("slug", SlugConverter)
    api = Api(app)
    init_spec(api)
    api.register_converter(
        SlugConverter, lambda _converter: {"type": "string", "pattern": f"^{SLUG.pattern}$"}
    )
    for module in (claims, history, stances, sources, reports, snapshots, statements, attachments, extract, public, reference):
        api.register_blueprint(module.blp)
    ratelimit.init_app(app)
    app.extensions["factcheck.api"] = api
    return api


__all__ = ["init_app"]
