"""JSON-LD inside an HTML page, so that no text in it can end the ``<script>`` element.

The HTML parser ends a script at the first ``</script``, whatever JSON string it sits in, and
``<!--`` inside a script changes how it is parsed. Escaping ``<``, ``>`` and ``&`` as JSON
``\\u`` escapes keeps the data identical for any JSON parser while leaving the HTML parser
nothing to act on. ``'`` is escaped as well, as Flask's ``tojson`` does, so the text stays
inert even if someone later puts it in a single-quoted attribute. U+2028 and U+2029 are escaped
too: they are valid in JSON strings but line terminators in older JavaScript, which some
consumers still evaluate the block with.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(data: Any) -> str:
    """``data`` as compact JSON that is safe as the text of an HTML ``<script>`` element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def jsonld_script(data: Any) -> Markup:
    """A complete ``<script type="application/ld+json">`` element for a template.

    A data block, not a script: the Content-Security-Policy (``script-src 'self'``) does not
    apply to it, and browsers never execute it.
    """
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(script_json(data)))
