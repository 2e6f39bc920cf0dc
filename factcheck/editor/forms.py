"""The editor's forms (``factcheck.webforms``)."""

from __future__ import annotations

from ..webforms import Choice, Day, Form, Id, LongText, Version, When


class DeskForm(Form):
    LABELS = {"assignee_id": "Assignee", "priority": "Priority", "deadline": "Deadline", "next_review_on": "Next review"}
    version = Version()
    assignee_id = Id("Assignee")
    priority = Choice("Priority")
    deadline = When("Deadline")
    next_review_on = Day("Next review")


class PublishForm(Form):
    version = Version()
    published = Choice("Published")


class SignoffForm(Form):
    LABELS = {"note": "Note"}
    note = LongText("Note")
