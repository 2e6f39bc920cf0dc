"""Hostile strings: what attackers and messy real data put in every field."""

from __future__ import annotations

HOSTILE: dict[str, str] = {
    "script": "<script>alert('x')</script>",
    "close-script": "</script><script>alert('x')</script>",
    "attribute-breaker": '"><img src=x onerror=alert(1)>',
    "single-quote-breaker": "' onmouseover='alert(1)' x='",
    "javascript-url": "javascript:alert(document.cookie)",
    "svg-payload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    "cdata-and-comments": "]]> <!-- --> <![CDATA[ x ]]> &amp; & &lt;",
    "template-syntax": "{{ config }} {% for x in y %} ${7*7} #{7*7}",
    "rtl-override": "Umar \u202ekilled\u202c was \u2066isolated\u2069",
    "arabic": "قُتل عاصم عمر في موسى قلعة",
    "emoji-4-byte": "Verified 🙂🏳️‍🌈 𝕏 𝒜 👩🏽‍🚒 at 4 bytes",
    "line-separators": "one\u2028two\u2029three",
    "nul-byte": "NUL\x00byte",
    "long-100k": "A" * 100_000,
}

#: Fragments that must never reach an HTML, SVG or Atom document unescaped.
DANGEROUS = ["<script>alert", "</script><script", '"><img', "<img src=x", 'onload="alert', "' onmouseover='"]
