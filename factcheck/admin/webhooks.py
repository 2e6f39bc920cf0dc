"""Outgoing webhooks, for admins: register one (its secret shown once), deactivate it, send its
failed events again, and read its delivery history (``services.webhooks``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms import SelectMultipleField

from ..auth import current_actor
from ..db import get_session
from ..errors import DomainError
from ..models import Webhook
from ..services import delivery, webhooks
from ..webforms import Form, Text, arg_id, read, worded
from . import bp

HISTORY_PAGE = 50


class WebhookForm(Form):
    LABELS = {"url": "Address", "events": "Events"}
    url = Text("Address")
    # Which events are ours is the service's rule (``services.webhooks.EVENTS``).
    events = SelectMultipleField("Events", validate_choice=False)


def _list_page(*, error: DomainError | None = None, form: Any = None, secret: str | None = None,
               created: Webhook | None = None, status: int = 200) -> Any:
    session = get_session()
    hooks = session.scalars(select(Webhook).order_by(Webhook.active.desc(), Webhook.id.desc())).all()
    counts = {hook.id: webhooks.waiting(session, hook) for hook in hooks}
    typed = form if form is not None else {}
    chosen = typed.getlist("events") if hasattr(typed, "getlist") else list(webhooks.EVENTS)[:3]
    retry = delivery.Settings.from_config(current_app.config)
    response = current_app.make_response((render_template(
        "admin/webhooks.html", hooks=hooks, counts=counts, events=webhooks.EVENTS, error=error, typed=typed,
        chosen=chosen, secret=secret, created=created,
        allow_private=current_app.config.get("WEBHOOK_ALLOW_PRIVATE"), retry_seconds=retry.retry_seconds,
        retry_max_seconds=retry.retry_max_seconds, max_attempts=retry.max_attempts), status))
    if secret:
        response.headers["Cache-Control"] = "no-store"  # the secret is shown once, and kept nowhere
    return response


@bp.get("/webhooks")
def webhooks_page() -> Any:
    return _list_page()


@bp.post("/webhooks")
def register_webhook() -> Any:
    session = get_session()
    try:
        form = read(WebhookForm)
        hook, secret = webhooks.register(session, current_actor(), url=form.url.data, events=form.events.data or [],
                                         allow_private=bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE")))
    except DomainError as error:
        session.rollback()
        error = worded(error, WebhookForm)
        return _list_page(error=error, form=request.form, status=error.status_code)
    return _list_page(secret=secret, created=hook, status=201)


def _history_page(hook: Webhook, *, error: DomainError | None = None, status: int = 200) -> Any:
    session = get_session()
    before = arg_id(request.args, "before")
    attempts = webhooks.deliveries(session, hook, before=before, limit=HISTORY_PAGE + 1)
    more = len(attempts) > HISTORY_PAGE
    attempts = attempts[:HISTORY_PAGE]
    pending, failed = webhooks.waiting(session, hook)
    return render_template("admin/webhooks_history.html", hook=hook, attempts=attempts, pending=pending,
                           failed=failed, events=webhooks.EVENTS, error=error,
                           next_before=attempts[-1][0].id if more and attempts else None), status


@bp.get("/webhooks/<id:webhook_id>")
def webhook(webhook_id: int) -> Any:
    return _history_page(webhooks.get_webhook(get_session(), webhook_id))


@bp.post("/webhooks/<id:webhook_id>/deactivate")
def deactivate_webhook(webhook_id: int) -> Any:
    session = get_session()
    hook = webhooks.get_webhook(session, webhook_id)
    changed = webhooks.deactivate(session, hook, current_actor())
    flash(f"{hook.url}: deactivated; nothing more is sent to it." if changed
          else f"{hook.url} was already deactivated.", "info")
    return redirect(url_for("admin.webhook", webhook_id=hook.id))


@bp.post("/webhooks/<id:webhook_id>/send-again")
def send_webhook_again(webhook_id: int) -> Any:
    session = get_session()
    hook = webhooks.get_webhook(session, webhook_id)
    try:
        count = webhooks.send_failed_again(session, hook, current_actor())
    except DomainError as error:
        session.rollback()
        return _history_page(webhooks.get_webhook(session, webhook_id), error=error, status=error.status_code)
    flash(f"{count} failed event{'s' if count != 1 else ''} queued again for {hook.url}.", "info")
    return redirect(url_for("admin.webhook", webhook_id=hook.id))
