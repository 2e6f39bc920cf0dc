"""The editor's forms (``factcheck.webforms``)."""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..webforms import Choice, Day, Form, Id, LongText, Text, Version, When, arg_id


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


class BulkForm(Form):
    """One change to the claims selected in the queue (the selection itself, ``pick`` and
    ``selected``, is read by ``editor.queue_page.selection_from_form``)."""

    LABELS = {"action": "What to do", "assignee_id": "Assign to", "assignee": "Assign to", "tag": "Tag",
              "priority": "Priority", "deadline": "Deadline", "pick": "Selection"}
    action = Choice("What to do")
    assignee = Choice("Assign to")
    tag = Text("Tag")
    priority = Choice("Priority")
    deadline = When("Deadline")

    def change(self) -> dict[str, Any]:
        """The chosen change as ``services.bulk.apply`` takes it (nothing if none was chosen,
        which it refuses in words)."""
        action = self.action.data
        if action == "assign":
            if not self.assignee.data:
                raise ValidationError("Assign to: choose a person, or nobody.", {"assignee": "choose one"})
            if self.assignee.data == "none":
                return {"assignee_id": None}
            user_id = arg_id({"a": self.assignee.data}, "a")
            if user_id is None:
                raise ValidationError("Assign to: not one of ours.", {"assignee": "not one of ours"})
            return {"assignee_id": user_id}
        if action == "tag":
            return {"add_tag": self.tag.data}
        if action == "priority":
            return {"priority": self.priority.data}
        if action == "deadline":
            return {"deadline": self.deadline.data}
        return {}


class SaveFilterForm(Form):
    LABELS = {"name": "Name"}
    name = Text("Name")


class DeleteFilterForm(Form):
    filter_id = Id("Saved filter", required=True)


class ReviewDetailsForm(Form):
    """What a verdict's ClaimReview says (``services.review_details``)."""

    LABELS = {"claimant_id": "Claimant", "claimant": "Claimant", "appearance_url": "Where the claim appeared",
              "explanation": "Explanation of the rating"}
    version = Version()
    claimant = Text("Claimant")
    appearance_url = Text("Where the claim appeared")
    explanation = LongText("Explanation of the rating")
