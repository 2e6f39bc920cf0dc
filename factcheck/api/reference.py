"""The OpenAPI document, and the same document as a page people can read.

The page is rendered on the server from the document itself — no JavaScript viewer, nothing
fetched from elsewhere (the site's Content-Security-Policy allows neither) — so it can never
describe an API other than the one that is running.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Response, current_app, render_template
from markupsafe import Markup, escape

from .errors import PROBLEMS
from .framework import Blueprint

blp = Blueprint("api-reference", __name__, description="This API's description: machine- and human-readable.")

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


def spec_dict() -> dict[str, Any]:
    """The application's OpenAPI document (built once per application)."""
    cache: dict[str, Any] = current_app.extensions.setdefault("factcheck.api.spec", {})
    if "doc" not in cache:
        cache["doc"] = current_app.extensions["factcheck.api"].spec.to_dict()
    return cache["doc"]


@blp.route("/openapi.json", methods=["GET"])
@blp.public
@blp.response(200, {"type": "object"}, description="The OpenAPI 3.1 document of this API.")
def openapi() -> Response:
    """The OpenAPI document"""
    response = current_app.response_class(json.dumps(spec_dict(), indent=2), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blp.route("/docs", methods=["GET"])
@blp.public
@blp.response(200, {"type": "string"}, content_type="text/html", description="The reference, as a web page.")
def docs() -> Response:
    """The API reference, as a web page"""
    doc = spec_dict()
    html = render_template(
        "api/reference.html", doc=doc, sections=sections(doc), schemas=schemas(doc), problems=PROBLEMS, code=inline_code
    )
    return current_app.response_class(html, mimetype="text/html")


# ---------------------------------------------------------------------------------------------
# The document, flattened for the template


@dataclass
class Field:
    name: str
    type: str
    required: bool = False
    description: str = ""
    where: str = ""


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    token: str  # "required", "optional"
    parameters: list[Field] = field(default_factory=list)
    body: str = ""
    body_fields: list[Field] = field(default_factory=list)
    responses: list[Field] = field(default_factory=list)


@dataclass
class Section:
    name: str
    title: str
    description: str
    operations: list[Operation] = field(default_factory=list)


def inline_code(text: str) -> Markup:
    """The document's descriptions, escaped, with their `backticked` spans set as code."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)))


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe(schema: dict[str, Any] | None) -> str:
    """A JSON Schema in a few words: ``Claim``, ``array of string``, ``integer ≤ 200``…"""
    if not schema:
        return "any"
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    for combiner in ("anyOf", "oneOf", "allOf"):
        if combiner in schema:
            return " or ".join(describe(s) for s in schema[combiner])
    kind = schema.get("type", "any")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind])]
    nullable = "null" in kinds
    kinds = [k for k in kinds if k != "null"]
    text = " or ".join(kinds) or "any"
    if text == "array":
        text = f"array of {describe(schema.get('items'))}"
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += ": " + " | ".join(str(v) for v in schema["enum"] if v is not None)
    if "minimum" in schema and "maximum" in schema:
        text += f" {schema['minimum']}–{schema['maximum']}"
    if nullable:
        text += " or null"
    return text


def _fields(schema: dict[str, Any], doc: dict[str, Any]) -> list[Field]:
    if "$ref" in schema:
        schema = doc["components"]["schemas"].get(ref_name(schema["$ref"]), {})
    required = set(schema.get("required", ()))
    return [
        Field(name, describe(prop), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _resolve(obj: dict[str, Any], doc: dict[str, Any], section: str) -> dict[str, Any]:
    if "$ref" in obj:
        return doc["components"][section].get(ref_name(obj["$ref"]), {})
    return obj


def _operation(
    path: str, method: str, op: dict[str, Any], doc: dict[str, Any], shared: list[dict[str, Any]]
) -> Operation:
    security = op.get("security", [])
    token = "required" if security and {} not in security else "optional"
    result = Operation(
        method=method.upper(),
        path=path,
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        anchor=op.get("operationId") or f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
        token=token,
    )
    for param in [*shared, *op.get("parameters", [])]:
        param = _resolve(param, doc, "parameters")
        result.parameters.append(
            Field(param["name"], describe(param.get("schema")), bool(param.get("required")),
                  param.get("description", ""), param.get("in", ""))
        )
    body = op.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        result.body = f"{media}: {describe(content.get('schema'))}"
        result.body_fields = _fields(content.get("schema", {}), doc)
    for code, response in sorted(op.get("responses", {}).items()):
        response = _resolve(response, doc, "responses")
        media = next(iter(response.get("content", {})), "")
        schema = response.get("content", {}).get(media, {}).get("schema")
        kind = f"{media}: {describe(schema)}" if media else ""
        result.responses.append(Field(str(code), kind, description=response.get("description", "")))
    return result


def sections(doc: dict[str, Any]) -> list[Section]:
    """Operations grouped by tag, in the order the document lists its tags."""
    by_tag = {
        tag["name"]: Section(tag["name"], tag["name"].removeprefix("api-").capitalize(), tag.get("description", ""))
        for tag in doc.get("tags", [])
    }
    for path, item in doc.get("paths", {}).items():
        for method in METHOD_ORDER:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                section = by_tag.setdefault(tag, Section(tag, tag.capitalize(), ""))
                section.operations.append(_operation(path, method, op, doc, item.get("parameters", [])))
    return [s for s in by_tag.values() if s.operations]


def schemas(doc: dict[str, Any]) -> list[tuple[str, list[Field]]]:
    """Every named schema with its fields, alphabetically."""
    components = doc.get("components", {}).get("schemas", {})
    return [(name, _fields(schema, doc)) for name, schema in sorted(components.items())]

