"""The envelope of every list: ``{"items": [...], "next_cursor": ...}`` plus a ``Link`` header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request


def paged(items: Sequence[Any], next_cursor: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of one page.

    ``Link: <…>; rel="next"`` repeats the request's own query with the next cursor, so that a
    client can follow pages without building URLs. It is built from the query string as sent
    (not through ``url_for``, which would read parameters such as ``_external`` as its own).
    """
    headers: dict[str, str] = {}
    if next_cursor is not None:
        args = request.args.copy()
        args["cursor"] = next_cursor
        url = f"{request.script_root}{request.path}?{urlencode(list(args.items(multi=True)))}"
        headers["Link"] = f'<{url}>; rel="next"'
    return {"items": list(items), "next_cursor": next_cursor}, headers
