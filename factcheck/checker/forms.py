"""The desk's forms (``factcheck.webforms``): one class per form, read once by its view."""

from __future__ import annotations

from typing import Any

from ..webforms import Check, Choice, Day, Form, Id, LongText, Text, Version


class NewClaimForm(Form):
    LABELS = {"text": "Claim", "context": "Context", "tag": "Tags"}
    text = LongText("Claim")
    context = LongText("Context")
    tags = Text("Tags")
    confirm_new = Check("Not a duplicate")

    def tag_list(self) -> list[str]:
        return [t for t in (self.tags.data or "").split(",")]


class StatusForm(Form):
    LABELS = {"status": "New status", "reason": "Reason", "evidence": "Evidence", "note": "Note for colleagues",
              "override_reason": "Independence override", "override_note": "Override note"}
    version = Version()
    to = Choice("New status")
    reason = LongText("Reason")
    evidence = LongText("Evidence")
    note = LongText("Note for colleagues")
    override_reason = LongText("Independence override")
    override_note = LongText("Override note")


class EditClaimForm(NewClaimForm):
    LABELS = {**NewClaimForm.LABELS, "reason": "Why the wording changes"}
    version = Version()
    reason = LongText("Why the wording changes")


class StanceForm(Form):
    version = Version()
    stance = Choice("Stance")


class UnlinkForm(Form):
    LABELS = {"reason": "Why"}
    version = Version()
    reason = LongText("Why")


class StatementForm(Form):
    """A new statement: who said it (a speaker picked or a new one), the words, where."""

    LABELS = {"name": "Speaker", "text": "Words", "kind": "Form", "said_on": "Date said", "stance": "Stance on this claim",
              "url": "Report URL", "title": "Report title", "anonymity_reason": "Why anonymous",
              "sealed_identity": "Sealed identity", "description": "Description", "affiliation_id": "Affiliation",
              "relayed_by_id": "Relayed by", "relayed_through_id": "Relayed through"}
    speaker = Text("Speaker")
    speaker_kind = Choice("Kind")
    speaker_description = LongText("Description")
    affiliation = Text("Affiliation")
    anonymous = Check("Anonymous source")
    anonymity_reason = Text("Why anonymous")
    sealed_identity = Text("Sealed identity")
    text = LongText("Words")
    kind = Choice("Form")
    said_on = Day("Date said")
    stance = Choice("Stance on this claim")
    report_url = Text("Report URL")
    report_title = Text("Report title")
    outlet = Text("Outlet")
    relayed_by = Text("Relayed by")
    relayed_through = Id("Relayed through")


class LinkExistingForm(Form):
    statement_id = Id("Statement", required=True)
    stance = Choice("Stance")


class StatementEditForm(Form):
    LABELS = {"text": "Words", "kind": "Form", "said_on": "Date said", "reason": "Why"}
    version = Version()
    text = LongText("Words")
    kind = Choice("Form")
    said_on = Day("Date said")
    reason = Text("Why")


class RetractForm(Form):
    LABELS = {"reason": "Why"}
    version = Version()
    reason = LongText("Why")


class SourceForm(Form):
    LABELS = {"name": "Name", "kind": "Kind", "affiliation_id": "Affiliation", "description": "Description",
              "url": "Web address", "anonymous": "Anonymous source", "anonymity_reason": "Why anonymous",
              "sealed_identity": "Sealed identity", "reason": "Why"}
    version = Id("Version")
    name = Text("Name")
    kind = Choice("Kind")
    affiliation = Text("Affiliation")
    description = LongText("Description")
    url = Text("Web address")
    anonymous = Check("Anonymous source")
    anonymity_reason = Text("Why anonymous")
    sealed_identity = Text("Sealed identity")
    clear_sealed_identity = Check("Clear the sealed identity")
    reason = Text("Why")


class MergeForm(Form):
    LABELS = {"survivor": "The source it is the same as", "reason": "Why"}
    version = Id("Version")
    survivor = Text("The source it is the same as")
    reason = LongText("Why")


class ArticleForm(Form):
    LABELS = {"article": "Article text", "url": "Article URL", "title": "Title", "outlet": "Outlet"}
    url = Text("Article URL")
    title = Text("Title")
    outlet = Text("Outlet")
    article = LongText("Article text")


class ReviewForm(ArticleForm):
    """The review of extracted statements: the article's fields, the claim, and ``count`` rows
    of ``name-<i>`` fields (read by ``checker.extract``)."""

    LABELS = {**ArticleForm.LABELS, "claim": "An existing claim", "new_claim": "A new claim"}
    count = Id("Rows")
    claim = Text("An existing claim")
    new_claim = LongText("A new claim")


class ProposalRow(Form):
    """One row of the review (``name-<i>`` in the page), read as a form of its own."""

    keep = Check("Keep")
    speaker = Text("Speaker")
    text = LongText("Words")
    stance = Choice("Stance toward the claim")
    direct = Check("Direct quote")
    anonymous = Check("Anonymous")
    anonymity_reason = Text("Why anonymous")
    relayed_by = Text("Relayed by")
    kind = Choice("Kind (if new)")
    affiliation = Text("Affiliation (if new)")
    cue = Text("Cue")
    cue_stance = Choice("The words")
    known_affiliation = Text("Affiliation (recorded)")
    recorded = Id("Recorded statement")

    #: Most rows a review holds (an article's statements, with room to spare).
    MOST = 1000

    @classmethod
    def rows(cls, formdata: Any, count: int | None) -> list[ProposalRow]:
        from werkzeug.datastructures import MultiDict

        out = []
        for i in range(min(count or 0, cls.MOST)):
            suffix = f"-{i}"
            own = MultiDict({name.removesuffix(suffix): value for name, value in formdata.items(multi=True)
                             if name.endswith(suffix)})
            row = cls(formdata=own)
            if not row.validate():
                errors = {f"statement-{i + 1}": "; ".join(messages[0] for messages in row.errors.values())}
                from ..errors import ValidationError

                raise ValidationError(f"Statement {i + 1}: {errors[f'statement-{i + 1}']}.", errors)
            out.append(row)
        return out
