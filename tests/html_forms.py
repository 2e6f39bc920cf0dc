"""Submitting a page's form as a browser would, in tests that do not need a browser."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    """The fields of the form whose ``action`` ends with ``action`` (the first form if None),
    with the values a browser would send: text inputs and hidden fields, checked boxes and
    radios only, a textarea's text, a select's selected (else first) option."""

    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form" and not self.done:
            self.inside = self.action is None or attrs.get("action", "").endswith(self.action)
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None and "disabled" not in attrs:
                self._first_option = value
            if "selected" in attrs:
                self.fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select not in self.fields and self._first_option is not None:
                self.fields[self._select] = self._first_option
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data


def form_values(html: str, action: str | None = None) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(html)
    return parser.fields
