"""Statement extraction over the API: article text in, proposed attributed statements out.

The statements are those of ``flask --app factcheck extract FILE --json``; nothing is written
(a client saves what it keeps through the statements and stances endpoints). One request is
bounded by ``factcheck.extraction.limits``: its size (``MAX_ARTICLE`` characters; 422 beyond,
413 for a body over the server's limit), its time (``TIME_BUDGET`` seconds, after which the
answer says where the reading stopped) and its cost in the write rate limit (one write per
``ratelimit.EXTRACT_BYTES_PER_WRITE`` bytes of body, ``ratelimit.cost``).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate

from ..extraction import MAX_ARTICLE, TIME_BUDGET, ArticleTooLong, check_size, extract as extract_text
from ..extraction.model import NOT_ENGLISH, TIME_BUDGET_REASON
from .framework import Blueprint
from .ratelimit import EXTRACT_BYTES_PER_WRITE

#: Longest claim read against the statements, in characters.
MAX_CLAIM = 2_000

blp = Blueprint("api-extract", __name__, description="Statement extraction: who said what, in an article.")


def _fits(text: str) -> None:
    try:
        check_size(text)
    except ArticleTooLong as error:
        raise ma.ValidationError(str(error)) from None


class ExtractRequestSchema(ma.Schema):
    text = fields.String(required=True, validate=_fits, metadata={
        "description": f"The article, as plain text: at most {MAX_ARTICLE:,} characters (a longer one is "
                       "refused with 422; send it in parts).",
        "maxLength": MAX_ARTICLE,
    })
    claim = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=MAX_CLAIM), metadata={
        "description": "A claim to read the statements against: each statement then carries `claim_stance`, "
                       "its proposed stance toward the claim (a proposal to accept or change; `mentions` when "
                       f"unsure). At most {MAX_CLAIM:,} characters."})


class ExtractedStatementSchema(ma.Schema):
    speaker = fields.String(metadata={"description": "Who said it, resolved within the article."})
    cue = fields.String(metadata={"description": "The reporting verb or phrase (said, told, according to…)."})
    text = fields.String(metadata={"description": "The statement, exactly `article[start:end]`."})
    direct = fields.Boolean(metadata={"description": "A direct quote (true) or a paraphrase."})
    anonymous = fields.Boolean()
    anonymity_reason = fields.String(allow_none=True)
    stance = fields.String(validate=validate.OneOf(["asserts", "denies", "unconfirmed", "mentions"]))
    relayed_by = fields.String(allow_none=True, metadata={"description": "Who passed the words on."})
    start = fields.Integer()
    end = fields.Integer()
    claim_stance = fields.String(validate=validate.OneOf(["asserts", "denies", "unconfirmed", "mentions"]), metadata={
        "description": "Only with a `claim` in the request: the statement's proposed stance toward that claim, "
                       "from its words, the claim's and the cue `stance` (a denial verb, negation, \"cannot "
                       "confirm\", a different number or place for the same event); `mentions` when unsure."})


class ExtractResponseSchema(ma.Schema):
    statements = fields.List(fields.Nested(ExtractedStatementSchema))
    truncated = fields.Boolean(metadata={
        "description": "The time budget ran out before the end of the text: the statements are those of "
                       "`text[:analysed_to]` only."})
    analysed_to = fields.Integer(metadata={
        "description": "How far the text was read, in characters: its length, unless `truncated` (or 0 "
                       "when it was not read, see `reason`)."})
    length = fields.Integer(metadata={"description": "The length of the text sent, in characters."})
    reason = fields.String(allow_none=True, validate=validate.OneOf([TIME_BUDGET_REASON, NOT_ENGLISH]), metadata={
        "description": "Why the text was not read to its end: `time_budget` (see `truncated`), or "
                       "`not_english` (the extractor reads English; no statements, on purpose). Null when "
                       "it was."})
    notice = fields.String(allow_none=True, metadata={"description": "The same, in words for a person."})
    claim = fields.String(metadata={"description": "Only with a `claim` in the request: the claim, as sent."})


#: The operation's description in the OpenAPI document, with the limits as the code sets them.
DESCRIPTION = f"""Direct quotes and paraphrases with their speaker (pronouns and short names resolved),
anonymous descriptors with the reason given, relays, a stance cue, and character offsets into
the text sent. Read by the project's own parser (trained on UD English EWT, shipped with the
code) and rules: the same text always gives the same answer.

With a `claim`, each statement also carries `claim_stance`: its proposed stance toward the claim
(`asserts`, `denies`, `unconfirmed`, or `mentions` when unsure), beside the cue `stance` its own
words show.

**Limits.** The text is at most {MAX_ARTICLE:,} characters (422 beyond; a body over the
server's limit, 2 MB by default, is refused with 413 before it is read). The extractor reads
English: a text in another script or language gets no statements, with `reason`
`not_english` and a `notice` saying so. It works on one request for at most {TIME_BUDGET:g}
seconds (by default; `EXTRACTION_TIME_BUDGET`): a text that takes longer is read up to a
sentence boundary, and the answer carries `truncated`, `analysed_to` and a `notice`. Each
request counts against the write rate limit by its size: one write per
{EXTRACT_BYTES_PER_WRITE // 1024} KB of body, at least one.
"""


@blp.route("/extract", methods=["POST"])
@blp.token
@blp.arguments(ExtractRequestSchema)
@blp.response(200, ExtractResponseSchema)
@blp.problems(400, 401, 413, 422, 429)
@blp.doc(description=DESCRIPTION)
def extract(data: dict[str, Any]) -> Any:
    """Propose the attributed statements of an article"""
    budget = current_app.config.get("EXTRACTION_TIME_BUDGET", TIME_BUDGET)
    return extract_text(data["text"], time_budget=budget, claim=data.get("claim")).to_dict()
