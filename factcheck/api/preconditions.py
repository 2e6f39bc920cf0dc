"""Optimistic locking over HTTP: ETags, If-Match and If-None-Match on claims.

A claim's ETag is its version, quoted: ``"7"``. A write to a claim must say which version it
edited, in one of two ways, and the two disagree in the way HTTP expects:

- ``If-Match: "7"`` is an HTTP precondition: if 7 is no longer the claim's version the request
  fails *before* anything is attempted, with **412 Precondition Failed**.
- a ``version`` field in the body is data handed to the service, which refuses an out-of-date
  version with **409 Conflict** — the same refusal the HTML pages show.

Both bodies carry ``current_version`` and ``current_status``, so a client can handle them
alike. With neither, the answer is **428 Precondition Required**; ``If-Match: *`` is also
answered 428, since "any version" would silently defeat the lost-update rule (DESIGN rule 5).
If both are sent they must agree. A race between the check here and the write is still
caught by the service's conditional UPDATE (409).
"""

from __future__ import annotations

import re

from flask import Response, request

from ..errors import ValidationError
from ..models import Claim
from ..services.claims import Versioned
from .errors import PreconditionFailed, PreconditionRequired

#: One strong entity tag: a quoted string of visible ASCII without quotes (RFC 9110 8.8.3).
_STRONG_TAG = re.compile(r'"[\x21\x23-\x7e]*"')


def etag(claim: Claim) -> str:
    """The claim's entity tag, quoted, as sent in ``ETag``."""
    return version_tag(claim.version)


def version_tag(version: int) -> str:
    """The entity tag of a claim's ``version``, quoted."""
    return f'"{version}"'


def expected_version(claim: Versioned, body_version: int | None) -> int:
    """The version the client says it edited, judged as described in the module docstring."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        if body_version is None:
            raise PreconditionRequired(
                'Say which version of the claim you edited: send its ETag as If-Match (e.g. '
                'If-Match: "3") or a "version" field. Read the claim to get it.'
            )
        return body_version
    if header == "*":
        raise PreconditionRequired(
            'If-Match: * does not say which version you edited; send the ETag you read (e.g. "3").'
        )
    if version_tag(claim.version) not in _strong_tags(header):
        raise PreconditionFailed(
            f"If-Match names a version of this claim that is no longer current: it is now at "
            f"version {claim.version} with status {claim.status.value}. Nothing was saved; "
            f"read the claim again and retry.",
            current_version=claim.version,
            current_status=claim.status.value,
        )
    if body_version is not None and body_version != claim.version:
        raise ValidationError(
            "The version field and the If-Match header disagree; send one, or the same in both.",
            {"version": "differs from If-Match"},
        )
    return claim.version


def _strong_tags(header: str) -> set[str]:
    """The strong entity tags of an If-Match list, compared as strings (RFC 9110 8.8.3.2):
    a weak tag (``W/"3"``), an unquoted ``3`` or ``"03"`` never matches ``"3"``."""
    return {tag for tag in (part.strip() for part in header.split(",")) if _STRONG_TAG.fullmatch(tag)}


def not_modified(claim: Claim) -> Response | None:
    """A 304 if the client's If-None-Match already names this version of the claim."""
    if request.if_none_match and request.if_none_match.contains_weak(str(claim.version)):
        return Response(status=304, headers={"ETag": etag(claim)})
    return None
