"""factcheck: a source-attribution fact-checking tracker for newsrooms."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers

from config import Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | type[Config] | None = None) -> Flask:
    """Build the application: database, blueprints, error handlers, CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    if config is None:
        config = config_from_env()
    elif isinstance(config, type):
        config = config()
    app.config.from_object(config)

    from . import cli, db, jobs, outage, web

    db.init_app(app)
    web.init_app(app)
    outage.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)  # the worker is woken after each commit that wrote outbox rows
    # The ORM's mappers are configured now rather than on a first request: under a
    # preloading server (deploy/gunicorn.conf.py), once for all workers.
    configure_mappers()
    return app
