"""Statement extraction over the API: article text in, proposed attributed statements out.

The same document as ``flask --app factcheck extract FILE --json``; nothing is written (a
client saves what it keeps through the statements and stances endpoints).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ..extraction import extract_statements
from .framework import Blueprint

#: Longest article accepted (characters); the request body limit applies as well.
MAX_ARTICLE = 500_000

blp = Blueprint("api-extract", __name__, description="Statement extraction: who said what, in an article.")


class ExtractRequestSchema(ma.Schema):
    text = fields.String(required=True, validate=validate.Length(max=MAX_ARTICLE),
                         metadata={"description": "The article, as plain text."})


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


class ExtractResponseSchema(ma.Schema):
    statements = fields.List(fields.Nested(ExtractedStatementSchema))


@blp.route("/extract", methods=["POST"])
@blp.token
@blp.arguments(ExtractRequestSchema)
@blp.response(200, ExtractResponseSchema)
@blp.problems(400, 401, 413, 429)
def extract(data: dict[str, Any]) -> Any:
    """Propose the attributed statements of an article

    Direct quotes and paraphrases with their speaker (pronouns and short names resolved),
    anonymous descriptors with the reason given, relays, a stance cue, and character offsets
    into the text sent. Rule based, no model: the same text always gives the same answer.
    """
    return {"statements": [s.to_dict() for s in extract_statements(data["text"])]}
