""""My work" (where each person lands after signing in), reading the inbox, e-mail choices,
and the header's unread count on every page."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from ..auth import current_actor, current_user
from ..db import get_session
from ..errors import DomainError
from ..services import inbox, mywork
from ..services.watching import REASON_LABELS
from ..webforms import Check, Form, Id, arg_id, read, worded
from . import bp


class ReadForm(Form):
    LABELS = {"notification": "Notification", "up_to": "Notifications"}
    notification = Id("Notification")
    up_to = Id("Notifications")


class EmailChoicesForm(Form):
    email_now = Check("E-mail me at once")
    email_digest = Check("A daily digest")


@bp.app_context_processor
def _unread_in_header() -> dict[str, Any]:
    def inbox_unread() -> int:
        """The signed-in person's unread notifications (up to ``inbox.COUNT_CAP``), once per
        request."""
        if "inbox_unread" not in g:
            user = current_user()
            try:
                g.inbox_unread = inbox.unread_count(get_session(), user.id) if user is not None else 0
            except SQLAlchemyError:  # an error page drawn after the database failed: no count
                g.inbox_unread = 0
        return g.inbox_unread

    return {"inbox_unread": inbox_unread, "inbox_count_cap": inbox.COUNT_CAP}


def render_my_work(*, status_code: int = 200, error: DomainError | None = None) -> Any:
    user = current_user()
    assert user is not None
    work = mywork.build(get_session(), user, inbox_before=arg_id(request.args, "before"),
                        watching_before=arg_id(request.args, "watching"))
    g.inbox_unread = work.unread_count
    return render_template("checker/my_work.html", work=work, reasons=REASON_LABELS, error=error,
                           recent_days=mywork.RECENT.days), status_code


@bp.get("/my-work")
def my_work() -> Any:
    """What the signed-in person must look at next."""
    return render_my_work()


@bp.post("/my-work/read")
def mark_read() -> Any:
    """Mark one notification read (``notification``), or all of them up to the newest shown
    (``up_to``). (Opening a claim reads its notifications too: ``checker.notes``.)"""
    session = get_session()
    try:
        form = read(ReadForm)
        inbox.mark_read(session, current_actor(), notification_id=form.notification.data, up_to=form.up_to.data)
    except DomainError as error:
        session.rollback()
        error = worded(error, ReadForm)
        return render_my_work(status_code=error.status_code, error=error)
    flash("Marked as read." if form.notification.data else "Everything shown is marked as read.", "info")
    return redirect(url_for("checker.my_work"))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> Any:
    """How the person hears of their notifications by e-mail."""
    user = current_user()
    assert user is not None
    if request.method == "GET":
        return render_template("checker/preferences.html", form={"email_now": user.email_now,
                                                                 "email_digest": user.email_digest})
    session = get_session()
    typed = {"email_now": bool(request.form.get("email_now")), "email_digest": bool(request.form.get("email_digest"))}
    try:
        form = read(EmailChoicesForm)
        changed = inbox.set_email_choices(session, user, current_actor(), email_now=bool(form.email_now.data),
                                          email_digest=bool(form.email_digest.data))
    except DomainError as error:
        session.rollback()
        error = worded(error, EmailChoicesForm)
        return render_template("checker/preferences.html", form=typed, error=error), error.status_code
    flash("Your e-mail choices are saved." if changed else "Nothing changed.", "info")
    return redirect(url_for("checker.preferences"))
