"""JSON-LD in a page: no text can end the script element, and the data reads back unchanged."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from factcheck.claimreview.jsonld import jsonld_script, script_json


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.after: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs) -> None:
        self._in = tag == "script"
        if self._in:
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        self._in = False

    def handle_data(self, data) -> None:
        if self._in:
            self.scripts[-1] += data
        else:
            self.after.append(data)


def _parse(page: str) -> Scripts:
    parser = Scripts()
    parser.feed(page)
    parser.close()
    return parser


HOSTILE = ('</script><script>alert(1)</script> <!-- <script> --> & &amp; "quotes" \'single\' '
           "\u2028\u2029 עברית العربية 🧨👍🏽 \\u003c </SCRIPT > ]]>")


def test_hostile_text_stays_inside_and_reads_back() -> None:
    page = f"<p>before</p>{jsonld_script({'claimReviewed': HOSTILE})}<p>after</p>"
    parsed = _parse(page)
    assert len(parsed.scripts) == 1
    assert json.loads(parsed.scripts[0]) == {"claimReviewed": HOSTILE}
    assert "".join(parsed.after) == "beforeafter"


def test_escapes() -> None:
    text = script_json({"a": "<>&'\u2028\u2029é"})
    assert text == '{"a":"\\u003c\\u003e\\u0026\\u0027\\u2028\\u2029é"}'
    assert str(jsonld_script([])) == '<script type="application/ld+json">[]</script>'


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
))
def test_any_json_survives_embedding(data) -> None:
    body = script_json(data)
    assert not set("<>&'") & set(body)
    assert "\u2028" not in body and "\u2029" not in body
    parsed = _parse(f"{jsonld_script(data)}<p>x</p>")
    assert json.loads(parsed.scripts[0]) == data
