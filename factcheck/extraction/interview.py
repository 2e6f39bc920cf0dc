"""The answers of an interview printed as a transcript: each paragraph after a speaker's label
is a direct statement of that speaker (``answers`` finds them; the extractor makes them
statements, as it does block quotations).

News prints an interview as labelled paragraphs — Wikinews as ``((Philipp Hagemeister))  I saw
the takedown notice …``, most outlets as ``Hagemeister: I saw …`` — with the interviewer's
questions labelled too (``((WN))``, ``Q:``) or not at all.  Nothing in an answer names its
speaker in the sentence, so neither the rules nor the parse find it.

* A label is ``((Name))`` at the start of a line, or ``Name:`` at the start of a line when the
  same label opens at least two lines (one ``Note:`` or ``Update:`` is not a transcript).
  ``Name`` is one to five words, capitalised (initials such as ``WN`` included). A full name
  used once is a label too when its initials label other answers ("Natasha Gownaris: …", then
  "NG: …"), and a label of initials stands for the person named with them before it.
* A labelled paragraph that is a question — every sentence of it ends with a question mark — is
  the interviewer's: not a statement, and it ends the answer before it.  So are the labels
  ``Q``, ``Question``, ``Interviewer`` and ``Wikinews``.
* An answer is the labelled paragraph and the unlabelled paragraphs after it, up to the next
  label or question; each paragraph is a statement (a long answer is read a paragraph at a time,
  as the gold and a checker cite it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from typing import NamedTuple

_NAME = r"[A-Z][\w.'’\-]*(?:[ \xa0][A-Z][\w.'’\-]*){0,4}"
_WIKI_LABEL_RE = re.compile(r"^\(\((?P<label>" + _NAME + r")\)\)[ \t\xa0]*(?P<rest>.*)$", re.MULTILINE)
_COLON_LABEL_RE = re.compile(r"^(?P<label>" + _NAME + r"):[ \t\xa0]+(?P<rest>\S.*)$", re.MULTILINE)
_INTERVIEWER_LABELS = frozenset({"q", "question", "interviewer", "wikinews", "wn"})
#: Labels that head a line without being a speaker ("Note: …", "Update: …").
_NOT_SPEAKERS = frozenset({
    "note", "notes", "update", "updated", "editor's note", "correction", "source", "sources", "image", "photo",
    "video", "see also", "related", "background", "warning", "disclaimer", "a", "answer", "read more", "watch",
    "listen", "caption", "credit", "published", "date", "by", "tags", "via",
})
_NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:[ \xa0][A-Z][a-z]+){1,3}\b")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"”’']*\s+")
_LINE_RE = re.compile(r"[^\n]+")
#: How much of a text is looked at: labels are rare, and a transcript's labels open lines.
_MAX_LINE = 20_000


def _question(paragraph: str) -> bool:
    sentences = [s for s in _SENTENCE_END_RE.split(paragraph.strip()) if s.strip()]
    return bool(sentences) and all(s.rstrip(" \"”’')").endswith("?") for s in sentences)


def _labels(text: str) -> dict[int, tuple[str, int, int]]:
    """Line start → (label, start of the label, start of the paragraph's words)."""
    found: dict[int, tuple[str, int, int]] = {}
    if "((" in text:
        for match in _WIKI_LABEL_RE.finditer(text):
            found[match.start()] = (match.group("label"), match.start("label"), match.start("rest"))
    if ":" in text:
        colon = list(_COLON_LABEL_RE.finditer(text))
        counts = Counter(m.group("label") for m in colon)
        repeated = {label for label, count in counts.items() if count >= 2 and label.lower() not in _NOT_SPEAKERS}
        for match in colon:
            label = match.group("label")
            # once is enough for a full name whose initials label the other answers ("Natasha
            # Gownaris: …" then "NG: …")
            if (label in repeated or _initials(label) in repeated) and match.start() not in found:
                found[match.start()] = (label, match.start("label"), match.start("rest"))
    return found


def _initials(name: str) -> str:
    """ "NG" for "Natasha Gownaris" (a name of two to four words; else "")."""
    words = name.split()
    return "".join(word[0] for word in words) if 2 <= len(words) <= 4 else ""


class _Initials:
    """Labels of initials ("NG") and the people named with them, read once for a text: a label
    of initials stands for the person named with those initials last before it — a label or a
    name in the text ("… biologist Natasha Gownaris"); other labels stand for themselves."""

    def __init__(self, text: str, labels: dict[int, tuple[str, int, int]]) -> None:
        wanted = {name for name, _, _ in labels.values() if _is_initials(name)}
        self.named: dict[str, list[tuple[int, str]]] = {}  # initials -> [(position, name)] in order
        if not wanted:
            return
        found = [(at, name) for at, (name, _, _) in labels.items() if _initials(name) in wanted]
        found += [(m.start(), m.group()) for m in _NAME_RE.finditer(text) if _initials(m.group()) in wanted]
        for at, name in sorted(found):
            self.named.setdefault(_initials(name), []).append((at, name))

    def name(self, label: str, before: int) -> str:
        named = self.named.get(label) if _is_initials(label) else None
        if not named:
            return label
        index = bisect_left(named, (before, ""))
        return named[index - 1][1] if index else label


def _is_initials(label: str) -> bool:
    return 2 <= len(label) <= 4 and label.isupper() and label.isalpha()


class Answer(NamedTuple):
    """One answer paragraph: who answers (the label, or the name its initials stand for), where
    the label is, and where the paragraph's words are."""

    speaker: str
    label_span: tuple[int, int]
    start: int
    end: int


def answers(text: str) -> list[Answer]:
    """The answer paragraphs of the transcripts in ``text``, in order (see the module docstring)."""
    if "((" not in text and ":" not in text:
        return []
    labels = _labels(text)
    if not labels:
        return []
    initials = _Initials(text, labels)
    found: list[Answer] = []
    speaker: tuple[str, int, int] | None = None  # the label answering now
    for line in _LINE_RE.finditer(text):
        if len(line.group()) > _MAX_LINE:
            speaker = None
            continue
        label = labels.get(line.start())
        start = label[2] if label is not None else line.start()
        words = text[start : line.end()]
        if not words.strip():
            continue
        if label is not None:
            interviewer = label[0].lower() in _INTERVIEWER_LABELS or _question(words)
            speaker = None if interviewer else label
        elif speaker is not None and _question(words):
            speaker = None
        if speaker is None:
            continue
        end = line.end()
        while end > start and text[end - 1] in " \t\xa0\r":
            end -= 1
        quote = text[start:end]
        if len(quote) < 2:
            continue
        label_text, label_start = speaker[0], speaker[1]
        found.append(Answer(initials.name(label_text, label_start), (label_start, label_start + len(label_text)),
                            start, end))
    return found
