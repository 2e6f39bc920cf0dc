"""What the API reads and writes, as marshmallow schemas (and, through them, the OpenAPI document).

Request schemas check *shape* only — types, required fields, unknown fields, ids and times
that fit the database — and hand the values to the services, which own every rule (lengths,
URLs, the status machine, anonymity…). Response schemas all derive from ``Representation``,
which drops the fields a caller may not see *whatever view dumps them*: desk fields
(context, assignee, deadline, notes…) and people's e-mail addresses for readers without a
token, and a source's sealed identity for anyone below editor — nested in a statement or not.
Readers see of a source what the reader pages show of it (``public.presenters.public_source``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import marshmallow as ma
from flask import current_app, request
from marshmallow import fields, validate

from ..claimreview.export import claim_url
from ..urls import base_url
from ..models import Claim, Source, SourceKind, Stance, StatementKind, Status
from ..public.presenters import public_source
from ..services.flags import flags_for
from ..services.claims import MAX_CLAIM_LENGTH, MAX_CONTEXT_LENGTH, MAX_NOTE_LENGTH as MAX_LINK_NOTE, MAX_TAG_LENGTH, MAX_TAGS
from ..services.queue import MAX_LIMIT, SORTS
from ..services.sources import (
    MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_REASON_LENGTH, MAX_STATEMENT_LENGTH, MAX_TITLE_LENGTH,
)
from ..services.status import MAX_EVIDENCE_LENGTH, MAX_NOTE_LENGTH
from . import auth

from ..services.validation import MAX_ID, parse_when  # noqa: E402  (ids: PostgreSQL integers)


def Id(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    """A row id: a positive integer that fits the column."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ma.ValidationError("contains a NUL byte")


#: A text without NUL bytes (no database stores one); and one with something in it besides
#: spaces. As patterns, so that the OpenAPI document states them.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\x00\s][^\x00]*$"


#: An absolute http(s) address (``services.validation.http_url``), stated as a pattern.
HTTP_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f]+$"


def Url(*, required: bool = False, **kwargs: Any) -> fields.String:
    """An http(s) address of at most 2,000 characters."""
    return fields.String(required=required, validate=[validate.Length(max=2000), validate.Regexp(
        HTTP_URL, error="An absolute http:// or https:// address.")], **kwargs)


class _TextRule(validate.Regexp):
    """No NUL byte, and (``blank=False``) not only spaces: checked with the services' words,
    stated in the OpenAPI document as its pattern."""

    def __init__(self, *, blank: bool) -> None:
        super().__init__(NO_NUL if blank else NOT_BLANK)
        self.blank = blank

    def __call__(self, value: str) -> str:
        if "\x00" in value:
            raise ma.ValidationError("contains a NUL byte")
        if not self.blank and not value.strip():
            raise ma.ValidationError("is required")
        return value


def Words(max_length: int, *, required: bool = False, blank: bool = True, **kwargs: Any) -> fields.String:
    """A text field with the service's own bounds, stated in the OpenAPI document: at most
    ``max_length`` characters, no NUL byte, and (required, or ``blank=False``) not only spaces."""
    return fields.String(required=required, validate=[validate.Length(max=max_length),
                                                      _TextRule(blank=blank and not required)], **kwargs)


def _assignee(value: str) -> None:
    if value != "none" and not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID):
        raise ma.ValidationError(f"A user id (1 to {MAX_ID}) or 'none'.")


class UtcDateTime(fields.DateTime):
    """An ISO 8601 date-time, in UTC (``services.validation.parse_when``: the one rule of the
    desk's forms and the API — a time without an offset is UTC, years 1900 to 2100)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ma.ValidationError("A date and time as text, like 2019-09-23T14:00:00Z.")
        try:
            return parse_when(value)
        except ValueError as error:
            raise ma.ValidationError(f"Use {error}.".replace("Use use", "Use")) from None


def _enum(enum_cls: Any, **kwargs: Any) -> fields.Enum:
    return fields.Enum(enum_cls, by_value=fields.String, **kwargs)


def _at_least_one_change(data: dict[str, Any]) -> None:
    if not set(data) - {"version"}:
        raise ma.ValidationError("Send at least one field to change.")


# ---------------------------------------------------------------------------------------------
# Responses


class Representation(ma.Schema):
    """Base of every response: drops what the caller may not see (see the module docstring).

    Responses may gain fields in later versions, so none is documented as closed
    (``unknown = INCLUDE`` is what makes the document say ``additionalProperties`` is allowed).
    """

    class Meta:
        unknown = ma.INCLUDE

    #: Fields shown only to callers with a token (any role).
    MEMBERS_ONLY: ClassVar[tuple[str, ...]] = ()
    #: Fields shown only to editors and admins.
    EDITORS_ONLY: ClassVar[tuple[str, ...]] = ()

    @ma.post_dump
    def _hide(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        hidden = () if auth.is_member() else self.MEMBERS_ONLY
        if not auth.is_editor():
            hidden += self.EDITORS_ONLY
        for name in hidden:
            data.pop(name, None)
        return data


class UserRefSchema(Representation):
    MEMBERS_ONLY = ("email",)

    id = fields.Integer()
    name = fields.String()
    email = fields.String(metadata={"description": "Desk only."})


class FlagsSchema(Representation):
    MEMBERS_ONLY = ("stale", "overdue")

    contested = fields.Boolean(metadata={"description": "Independent sources both assert and deny it."})
    single_source = fields.Boolean(metadata={"description": "One speaker only among its bearing statements."})
    anonymous_only = fields.Boolean(metadata={"description": "Every speaker of its bearing statements is anonymous."})
    stale = fields.Boolean(
        metadata={"description": "Unresolved, and nothing has happened to it for a while. Desk only."}
    )
    overdue = fields.Boolean(metadata={"description": "Unresolved past its deadline. Desk only."})


class _ClaimFlags(fields.Nested):
    """The claim's flags, computed when dumped (stale and overdue depend on the clock)."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = ma.missing) -> Any:
        return flags_for(obj, stale_after_days=current_app.config["STALE_AFTER_DAYS"])


class TagSchema(Representation):
    name = fields.String()


class ClaimSchema(Representation):
    MEMBERS_ONLY = ("context", "priority", "assignee", "deadline", "next_review_on", "last_activity_at")

    id = fields.Integer()
    slug = fields.String()
    text = fields.String()
    context = fields.String(metadata={"description": "Background for the desk. Desk only."})
    status = _enum(Status)
    status_label = fields.String(attribute="status.label")
    resolved = fields.Boolean()
    status_changed_at = fields.DateTime()
    version = fields.Integer(metadata={"description": "Send it back (If-Match or `version`) to edit the claim."})
    published = fields.Boolean()
    published_at = fields.DateTime(allow_none=True)
    url = fields.Method(
        "_public_url",
        metadata={"type": ["string", "null"], "description": "The public page, once published."},
    )
    tags = fields.Pluck(TagSchema, "name", many=True)
    flags = _ClaimFlags(FlagsSchema)
    priority = fields.Integer(metadata={"description": "0 low, 1 normal, 2 high, 3 urgent. Desk only."})
    assignee = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "Desk only."})
    deadline = fields.DateTime(allow_none=True, metadata={"description": "Desk only."})
    next_review_on = fields.Date(allow_none=True, metadata={"description": "Desk only."})
    created_at = fields.DateTime()
    last_activity_at = fields.DateTime(metadata={"description": "Desk only."})

    def _public_url(self, claim: Claim) -> str | None:
        return claim_url(base_url(), claim.slug) if claim.published else None

    @ma.post_dump(pass_original=True)
    def _as_readers_see_it(self, data: dict[str, Any], claim: Claim, **_: Any) -> dict[str, Any]:
        """Readers get the status readers see (``public_status``): a verdict waiting for a
        second editor's sign-off is the desk's, not yet theirs."""
        if auth.is_member() or claim.public_status is None or "status" not in data:
            return data
        data["status"] = claim.public_status.value
        data["status_label"] = claim.public_status.label
        data["resolved"] = claim.public_status.resolved
        return data


class AliasSchema(Representation):
    name = fields.String()


class SourceSchema(Representation):
    MEMBERS_ONLY = ("url", "created_at", "updated_at", "version", "merged_into_id", "aliases")
    EDITORS_ONLY = ("sealed_identity",)

    id = fields.Integer()
    kind = _enum(SourceKind)
    name = fields.String(metadata={"description": "For an anonymous source, its public descriptor."})
    description = fields.String(metadata={"description": "Empty for readers when the source is anonymous."})
    anonymous = fields.Boolean()
    anonymity_reason = fields.String(allow_none=True)
    sealed_identity = fields.String(
        allow_none=True, metadata={"description": "Who an anonymous source really is. Editors only."}
    )
    affiliation_id = fields.Integer(
        allow_none=True, metadata={"description": "Not shown to readers for an anonymous source or body."}
    )
    url = fields.String(allow_none=True, metadata={"description": "Desk only."})
    version = fields.Integer(metadata={"description": "Send it back (`version`) to edit it. Desk only."})
    merged_into_id = fields.Integer(allow_none=True, metadata={"description": "Set when merged into another source. Desk only."})
    aliases = fields.Pluck("AliasSchema", "name", many=True, metadata={"description": "Names of sources merged into it. Desk only."})
    created_at = fields.DateTime(metadata={"description": "Desk only."})
    updated_at = fields.DateTime(metadata={"description": "Desk only."})

    @ma.post_dump(pass_original=True)
    def _as_readers_see_it(self, data: dict[str, Any], source: Source, **_: Any) -> dict[str, Any]:
        """Readers learn of a source what the reader pages show (``public_source``): of an
        anonymous one only its descriptor and the reason for anonymity, and no affiliation
        with an anonymous body."""
        if auth.is_member():
            return data
        public = public_source(source)
        data["description"] = public.description
        if public.affiliation is None:
            data.pop("affiliation_id", None)
        return data


class ReportSchema(Representation):
    id = fields.Integer()
    url = fields.String()
    outlet_id = fields.Integer(allow_none=True)
    title = fields.String()
    published_at = fields.DateTime(allow_none=True)
    retrieved_at = fields.DateTime(allow_none=True)
    text_sha256 = fields.String(
        allow_none=True, metadata={"description": "SHA-256 (hex) of the stored text, if one is stored."}
    )
    created_at = fields.DateTime()


class ReportDetailSchema(ReportSchema):
    text = fields.String(allow_none=True, metadata={"description": "The stored copy, as retrieved."})


class StatementSchema(Representation):
    id = fields.Integer()
    text = Words(MAX_STATEMENT_LENGTH, blank=False)
    kind = _enum(StatementKind)
    said_on = fields.Date(allow_none=True)
    speaker_id = fields.Integer()
    speaker = fields.Nested(SourceSchema)
    report_id = fields.Integer(allow_none=True)
    report = fields.Nested(ReportSchema, allow_none=True)
    relayed_by_id = fields.Integer(allow_none=True)
    relayed_through_id = fields.Integer(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back (`version`) to edit or retract it."})
    retracted_at = fields.DateTime(allow_none=True, metadata={"description": "Set when withdrawn: it counts for no claim."})
    retraction_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class LinkSchema(Representation):
    """How one statement bears on one claim."""

    MEMBERS_ONLY = ("note",)

    id = fields.Integer()
    claim_id = fields.Integer()
    statement_id = fields.Integer()
    stance = _enum(Stance)
    note = fields.String(metadata={"description": "Internal. Desk only."})
    created_at = fields.DateTime()
    unlinked_at = fields.DateTime(allow_none=True, metadata={"description": "Set when taken off the claim: it no longer counts."})
    unlink_reason = fields.String(allow_none=True)
    statement = fields.Nested(StatementSchema)


class StatusChangeSchema(Representation):
    MEMBERS_ONLY = ("actor", "note", "override_note")

    id = fields.Integer()
    claim_id = fields.Integer()
    from_status = _enum(Status, allow_none=True)
    to_status = _enum(Status)
    reason = fields.String()
    evidence = fields.String()
    independence_override = fields.Boolean()
    override_reason = fields.String(allow_none=True)
    note = fields.String(metadata={"description": "Internal. Desk only."})
    override_note = fields.String(metadata={"description": "Internal. Desk only."})
    reopening = fields.Boolean(attribute="is_reopening", metadata={"description": "A verdict reopened."})
    via = fields.String()
    version = fields.Integer(metadata={"description": "The claim's version after this change."})
    at = fields.DateTime()
    actor = fields.Nested(UserRefSchema, allow_none=True, metadata={"description": "Desk only."})


def _page_of(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    return Representation.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "next_cursor": fields.String(
                allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null on the last."}
            ),
        },
        name=name,
    )


ClaimPageSchema = _page_of(ClaimSchema, "ClaimPage")
SourcePageSchema = _page_of(SourceSchema, "SourcePage")
ReportPageSchema = _page_of(ReportSchema, "ReportPage")
StatementPageSchema = _page_of(StatementSchema, "StatementPage")
LinkPageSchema = _page_of(LinkSchema, "LinkPage")
StatusChangePageSchema = _page_of(StatusChangeSchema, "StatusChangePage")


class BadgeSchema(Representation):
    """The badge of a published claim, as the reader pages draw it."""

    slug = fields.String()
    claim = fields.String()
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    label = fields.String()
    resolved = fields.Boolean()
    colour = fields.String()
    symbol = fields.String()
    version = fields.Integer()
    status_changed_at = fields.String(metadata={"format": "date-time"})
    url = fields.String()


class DataFeedSchema(Representation):
    """A schema.org DataFeed of ClaimReview items (JSON-LD)."""

    context = fields.String(data_key="@context")
    type = fields.String(data_key="@type")
    name = fields.String()
    dateModified = fields.String()
    publisher = fields.Dict()
    dataFeedElement = fields.List(fields.Dict())


# ---------------------------------------------------------------------------------------------
# Requests


class PageQuery(ma.Schema):
    cursor = fields.String(metadata={"description": "The `next_cursor` of the previous page."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))


class ClaimQuery(PageQuery):
    """The filters of the editor queue (``ClaimFilter.from_args``), plus the sort."""

    status = fields.List(_enum(Status), metadata={"description": "Repeatable. Default: every status."})
    assignee = fields.String(
        validate=_assignee,
        metadata={"description": "A user id, or `none` for unassigned claims.", "pattern": "^(none|[1-9][0-9]*)$"},
    )
    contested = fields.Boolean()
    single_source = fields.Boolean()
    anonymous_only = fields.Boolean()
    stale = fields.Boolean()
    overdue = fields.Boolean()
    published = fields.Boolean(metadata={"description": "Without a token, only published claims are listed."})
    tag = Words(MAX_TAG_LENGTH)
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={"description": "Default: `priority` for the desk, `age` (the only one allowed) for readers."},
    )


class SourceQuery(PageQuery):
    kind = _enum(SourceKind)
    anonymous = fields.Boolean()
    affiliation_id = Id(strict=False)
    name = Words(MAX_NAME_LENGTH, metadata={"description": "Part of the name, any case."})


class ReportQuery(PageQuery):
    outlet_id = Id(strict=False)
    url = Words(2000, metadata={"description": "Exactly this URL (to find a report before filing it)."})


class StatementQuery(PageQuery):
    speaker_id = Id(strict=False)
    report_id = Id(strict=False)


class ClaimCreateSchema(ma.Schema):
    text = Words(MAX_CLAIM_LENGTH, required=True, metadata={"description": "The claim, phrased neutrally."})
    context = Words(MAX_CONTEXT_LENGTH)
    priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=3),
                              metadata={"description": "0 low, 1 normal (the default), 2 high, 3 urgent: other than normal, editors only."})
    tags = fields.List(Words(MAX_TAG_LENGTH), validate=validate.Length(max=MAX_TAGS),
                       metadata={"description": f"At most {MAX_TAGS}, each at most {MAX_TAG_LENGTH} characters."})
    slug = Words(120, metadata={"description": "Made from the text when not given."})


class ClaimUpdateSchema(ma.Schema):
    text = Words(MAX_CLAIM_LENGTH, blank=False, metadata={"description": "On a published claim: editors only, with `reason`."})
    reason = Words(MAX_REASON_LENGTH, metadata={
        "description": "Why the wording changes. Required to change a published claim's text, and then "
        "published with the correction."})
    context = Words(MAX_CONTEXT_LENGTH)
    tags = fields.List(Words(MAX_TAG_LENGTH), validate=validate.Length(max=MAX_TAGS),
                       metadata={"description": f"At most {MAX_TAGS}, each at most {MAX_TAG_LENGTH} characters."})
    priority = fields.Integer(strict=True, validate=validate.Range(min=0, max=3), metadata={"description": "Editors only."})
    assignee_id = Id(allow_none=True, metadata={"description": "Editors only."})
    next_review_on = fields.Date(allow_none=True, metadata={"description": "Editors only."})
    deadline = UtcDateTime(allow_none=True, metadata={"description": "Editors only."})
    published = fields.Boolean(metadata={"description": "Editors only."})
    version = Id(metadata={"description": "The version edited, if not sent as If-Match."})

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **_: Any) -> None:
        if not set(data) - {"version", "reason"}:
            raise ma.ValidationError("Send at least one field to change.")


class StatusChangeRequestSchema(ma.Schema):
    to = _enum(Status, required=True)
    reason = Words(MAX_REASON_LENGTH, required=True, metadata={"description": "Why: every change carries one. Published."})
    evidence = Words(MAX_EVIDENCE_LENGTH, metadata={"description": "Published with the change."})
    override_reason = Words(MAX_REASON_LENGTH, 
        allow_none=True,
        metadata={"description": "Editors only: confirm without an independent source, and say why (published)."},
    )
    note = Words(MAX_NOTE_LENGTH, metadata={"description": "Internal: for colleagues, never published."})
    override_note = Words(MAX_NOTE_LENGTH, metadata={"description": "Internal note on the override, never published."})
    version = Id(metadata={"description": "The version edited, if not sent as If-Match."})


class SourceCreateSchema(ma.Schema):
    name = Words(MAX_NAME_LENGTH, required=True)
    kind = _enum(SourceKind, required=True)
    description = Words(MAX_DESCRIPTION_LENGTH)
    anonymous = fields.Boolean()
    anonymity_reason = Words(2000, allow_none=True, metadata={"description": "Required for an anonymous source."})
    sealed_identity = Words(2000, allow_none=True, metadata={
        "description": "Anonymous sources only. Anyone on the desk may write one; only editors read it back."})
    affiliation_id = Id(allow_none=True)
    url = Url(allow_none=True)


class SourceUpdateSchema(ma.Schema):
    version = Id(metadata={"description": "The source's version as read: an edit over someone else's is refused (409)."})
    reason = Words(MAX_REASON_LENGTH, metadata={"description": "Why, kept with the revision."})
    name = Words(MAX_NAME_LENGTH, blank=False)
    kind = _enum(SourceKind)
    description = Words(MAX_DESCRIPTION_LENGTH, metadata={"description": "Empty for readers when the source is anonymous."})
    anonymous = fields.Boolean()
    anonymity_reason = Words(2000, allow_none=True)
    sealed_identity = Words(2000, allow_none=True, metadata={
        "description": "Anyone on the desk may set one; only editors read it back or clear it (null)."})
    affiliation_id = Id(allow_none=True)
    url = Url(allow_none=True)

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **_: Any) -> None:
        if not set(data) - {"version", "reason"}:
            raise ma.ValidationError("Send at least one field to change.")


class SourceMergeSchema(ma.Schema):
    into = Id(required=True, metadata={"description": "The source this one is the same as: it survives."})
    reason = Words(MAX_REASON_LENGTH, required=True)
    version = Id(metadata={"description": "This source's version as read."})


class ReportCreateSchema(ma.Schema):
    url = Url(required=True)
    outlet_id = Id(allow_none=True)
    title = Words(MAX_TITLE_LENGTH)
    published_at = UtcDateTime(allow_none=True)
    retrieved_at = UtcDateTime(allow_none=True)
    text = Words(2_000_000, allow_none=True, metadata={"description": "A copy of the report, kept with its SHA-256."})


class ReportUpdateSchema(ma.Schema):
    url = Url()
    outlet_id = Id(allow_none=True)
    title = Words(MAX_TITLE_LENGTH)
    published_at = UtcDateTime(allow_none=True)
    retrieved_at = UtcDateTime(allow_none=True)
    text = Words(2_000_000, allow_none=True, metadata={"description": "Only if none is stored yet."})

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **_: Any) -> None:
        _at_least_one_change(data)


class StatementCreateSchema(ma.Schema):
    speaker_id = Id(required=True)
    text = Words(MAX_STATEMENT_LENGTH, required=True)
    kind = _enum(StatementKind, required=True)
    report_id = Id(allow_none=True)
    relayed_by_id = Id(allow_none=True)
    relayed_through_id = Id(allow_none=True)
    said_on = fields.Date(allow_none=True)


class StatementUpdateSchema(ma.Schema):
    version = Id(metadata={"description": "The statement's version as read: an edit over someone else's is refused (409)."})
    reason = Words(MAX_REASON_LENGTH, metadata={"description": "Why, kept with the revision."})
    speaker_id = Id()
    text = Words(MAX_STATEMENT_LENGTH, blank=False)
    kind = _enum(StatementKind)
    report_id = Id(allow_none=True)
    relayed_by_id = Id(allow_none=True)
    relayed_through_id = Id(allow_none=True)
    said_on = fields.Date(allow_none=True)

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **_: Any) -> None:
        if not set(data) - {"version", "reason"}:
            raise ma.ValidationError("Send at least one field to change.")


class RetractSchema(ma.Schema):
    reason = Words(MAX_REASON_LENGTH, required=True, metadata={
        "description": "Why it is withdrawn: published where readers saw the statement."})
    version = Id(metadata={"description": "The statement's version as read."})


class UnlinkSchema(ma.Schema):
    reason = Words(MAX_REASON_LENGTH, required=True, metadata={
        "description": "Why it is taken off the claim: published if readers saw it there."})
    version = Id(metadata={"description": "The claim's version edited, if not sent as If-Match."})


class LinkCreateSchema(ma.Schema):
    statement_id = Id(required=True)
    stance = _enum(Stance, required=True)
    note = Words(MAX_LINK_NOTE, metadata={"description": "Internal: desk only."})


class LinkUpdateSchema(ma.Schema):
    stance = _enum(Stance, required=True)
    version = Id(metadata={"description": "The claim's version edited, if not sent as If-Match."})
