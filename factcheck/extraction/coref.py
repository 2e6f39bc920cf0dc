"""Who "Mir", "he" and "the official" are: coreference by most recent compatible mention.

Articles introduce a source once in full ("Asfandyar Mir, a postdoctoral fellow…") and then
use a surname, a pronoun or a bare description.  The tracker records full mentions in
reading order — names from every sentence, descriptions from speaker phrases and
appositives — and answers each short reference with the most recent entity it is compatible
with.  "Most recent" is by full mention, so when a second Mir is introduced, "Mir" switches
to him.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .lexicon import (
    DETERMINERS,
    FEMALE_WORDS,
    GEO_WORDS,
    MALE_WORDS,
    ORG_WORDS,
    PERSON_NOUNS,
    PERSONAL_TITLES,
    SENTENCE_STARTERS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)
from .phrases import strip_possessive

_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAP_WORD = rf"(?:[{_UPPER}][\w’'\-]*(?:\.[A-Za-z]+)*|(?:al|el|abu|bin|ibn)-[{_UPPER}][\w’'\-]*)"
_JOINER = r"(?:of|for|to|and|the|bin|ibn|al|el|de|van|von|der|da|di|du|le|la|abu)"
NAME_RUN_RE = re.compile(rf"{_CAP_WORD}(?:[ \t\xa0]+(?:{_JOINER}[ \t\xa0]+){{0,2}}{_CAP_WORD})*")
_APPOSITIVE_RE = re.compile(r",[ \t\xa0]+(?:a|an|the)[ \t\xa0]+([^,.;\x01\n]{1,80}?),")
_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# words a capitalised run can start with that are not part of a name ("Later on Tuesday Mitsotakis met …")
_LEADING_WORDS = SENTENCE_STARTERS | DETERMINERS | _WEEKDAYS
_SPLIT_JOINERS = frozenset({"of", "for", "to", "and", "the"})


@dataclass(eq=False)
class Entity:
    """A source the article has introduced.  ``words`` are its name and description words."""

    canonical: str
    words: set[str]
    person: bool
    anonymous: bool = False
    full_positions: list[int] = field(default_factory=list)
    anonymity_reason: str | None = None
    gender: str | None = None  # "f" / "m" once the text has said so

    def note_words(self, words: set[str]) -> None:
        """Titles and role words ("Ms", "spokeswoman", "mother") tell the gender."""
        if self.gender is not None:
            return
        female, male = not words.isdisjoint(FEMALE_WORDS), not words.isdisjoint(MALE_WORDS)
        if female != male:
            self.gender = "f" if female else "m"

    def compatible(self, pronoun: str) -> bool:
        """Whether "he"/"she" can refer to this entity (unknown gender: either)."""
        return self.gender is None or self.gender == ("f" if pronoun == "she" else "m")


class Mention(NamedTuple):
    """A name occurring in the text (kept per sentence for pronoun resolution)."""

    entity: Entity
    position: int
    person: bool


class EntityTracker:
    """Entities of one article, queried with positions so later mentions never leak back."""

    def __init__(self) -> None:
        self._by_canonical: dict[str, Entity] = {}
        self._by_word: dict[str, list[Entity]] = {}
        self._latest: dict[str, tuple[int, Entity]] = {}  # word -> most recent full mention
        self._people: list[Entity] = []
        # for the fuzzy look-up: word length -> word -> positions in _people of the people with it
        self._people_words: dict[int, dict[str, set[int]]] = {}
        self._rank: dict[int, int] = {}  # id(person) -> position in _people

    def _add_person(self, entity: Entity) -> None:
        rank = self._rank[id(entity)] = len(self._people)
        self._people.append(entity)
        for word in entity.words:
            self._people_words.setdefault(len(word), {}).setdefault(word, set()).add(rank)

    def full_mention(self, canonical: str, words: set[str], position: int, person: bool) -> Entity:
        entity = self._by_canonical.get(canonical.lower())
        if entity is None:
            entity = Entity(canonical, set(), person)
            self._by_canonical[canonical.lower()] = entity
            if person:
                self._add_person(entity)
        self.add_words(entity, words)
        if person and not entity.person:
            entity.person = True
            self._add_person(entity)
        if not entity.full_positions or entity.full_positions[-1] < position:
            entity.full_positions.append(position)
            latest = self._latest
            for word in entity.words:  # _note_latest, inlined: entities gather many words
                current = latest.get(word)
                if current is None or current[0] <= position:
                    latest[word] = (position, entity)
        return entity

    def add_words(self, entity: Entity, words: set[str]) -> None:
        entity.note_words(words)
        new = words - entity.words
        if not new:
            return
        # A name written with its accents is also found without them: reporters write
        # "Erdoğan" once and "Erdogan" after it, or the other way round.  (An entity's words
        # already hold the unaccented form of each accented one, so only new words need it.)
        folded = {plain for word in new if not word.isascii() and (plain := fold_accents(word)) != word}
        if folded:
            new |= folded - entity.words
        rank = self._rank.get(id(entity)) if entity.person else None
        for word in new:
            self._by_word.setdefault(word, []).append(entity)
            entity.words.add(word)
            self._note_latest(word, entity)
            if rank is not None:
                self._people_words.setdefault(len(word), {}).setdefault(word, set()).add(rank)

    def _note_latest(self, word: str, entity: Entity) -> None:
        if entity.full_positions:
            at = entity.full_positions[-1]
            current = self._latest.get(word)
            if current is None or current[0] <= at:
                self._latest[word] = (at, entity)

    def by_name(self, words: set[str], position: int, fuzzy: bool = False) -> Entity | None:
        """Most recently introduced entity whose words include ``words``.

        With ``fuzzy``, a person whose name is one letter away also qualifies ("Saree" for
        "Sarea") — reporters' spelling slips are common with transliterated names.
        """
        best = self.by_description(words, position)
        if best is None and not all(word.isascii() for word in words):
            best = self.by_description({fold_accents(word) for word in words}, position)
        if best is None and fuzzy and words and all(len(w) >= 5 for w in words):
            # the people with, for each word, one of their words at most one letter away from it
            # (so of about the same length)
            ranks: set[int] | None = None
            for word in words:
                size = len(word)
                near = {
                    rank
                    for length in (size - 1, size, size + 1)
                    for other, holders in self._people_words.get(length, {}).items()
                    if _near(word, other)
                    for rank in holders
                }
                ranks = near if ranks is None else ranks & near
                if not ranks:
                    break
            best = self._best((self._people[rank] for rank in sorted(ranks or ())), position)
        return best

    def by_word(self, word: str, position: int) -> Entity | None:
        """``by_name({word}, position)``, with quick answers for the commonest cases."""
        latest = self._latest.get(word)
        if latest is not None and latest[0] < position:
            return latest[1]
        if word.isascii() and word not in self._by_word:
            return None  # a word no entity has
        return self.by_name({word}, position)

    def by_description(self, words: set[str], position: int) -> Entity | None:
        if not words:
            return None
        if len(words) == 1:
            latest = self._latest.get(next(iter(words)))
            if latest is not None and latest[0] < position:
                return latest[1]  # fast path: the newest full mention is already in the past
        pools = [self._by_word.get(word, []) for word in words]
        smallest = min(pools, key=len)
        return self._best((e for e in smallest if words <= e.words), position)

    @staticmethod
    def _best(candidates: Iterable[Entity], position: int) -> Entity | None:
        best: Entity | None = None
        best_at = -1
        for entity in candidates:
            index = bisect_left(entity.full_positions, position)
            if index and entity.full_positions[index - 1] > best_at:
                best, best_at = entity, entity.full_positions[index - 1]
        return best


def fold_accents(word: str) -> str:
    """``word`` without its diacritics ("erdoğan" → "erdogan", "gdańsk" → "gdansk")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def _near(a: str, b: str) -> bool:
    """Edit distance of at most one ("Saree" / "Sarea")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or len(b) < 5:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    i = 0  # the first difference: the rest must agree after it, one letter changed or dropped
    while i < len(short) and short[i] == long_[i]:
        i += 1
    if len(short) == len(long_):
        return short[i + 1 :] == long_[i + 1 :]
    return short[i:] == long_[i + 1 :]


def _preceded_by_determiner(masked: str, start: int) -> bool:
    """Whether the word before ``start`` (one space back) is a determiner ("the Musa Kala district")."""
    if start < 2 or masked[start - 1] != " ":
        return False
    window = max(0, start - 12)
    space = masked.rfind(" ", window, start - 1)
    return masked[max(space + 1, window) : start - 1].lower() in DETERMINERS


class _Piece(NamedTuple):
    """One name inside a capitalised run, as far as its words alone tell (offsets relative to
    the run): where the name starts and ends once titles and places are cut, its words, the
    titles before it, and whether it names an organisation."""

    first: int
    canonical_end: int
    length: int
    words: frozenset[str]
    titles: frozenset[str]
    organisational: bool
    titled_person: bool  # a full name after a title only a person holds ("President Ana Ruiz")


@lru_cache(maxsize=8192)
def _run_layout(run: str) -> tuple[bool, bool, list[_Piece]]:
    """What a capitalised run of several words holds, computed once per distinct run (names
    recur through an article): whether a determiner opens it ("The Hague …"), whether it opens
    with a name rather than a sentence opener (then a "the" before the run counts), and its
    pieces, split at joining words ("Secretary | State Mike Pompeo")."""
    words: list[tuple[str, int]] = []
    position = 0
    for word in run.split():
        position = run.index(word, position)
        words.append((word, position))
        position += len(word)
    lowers = [strip_possessive(word.lower()) for word, _ in words]
    lead = 0
    while lead < len(words) and lowers[lead] in _LEADING_WORDS:
        lead += 1
    after_the = lead > 0 and lowers[lead - 1] in DETERMINERS
    pieces: list[_Piece] = []
    piece: list[int] = []
    for index in range(lead, len(words) + 1):
        if index < len(words) and lowers[index] not in _SPLIT_JOINERS:
            piece.append(index)
            continue
        if piece:
            layout = _piece_layout(words, lowers, piece)
            if layout is not None:
                pieces.append(layout)
        piece = []
    return after_the, lead == 0, pieces


def _piece_layout(words: list[tuple[str, int]], lowers: list[str], piece: list[int]) -> _Piece | None:
    cut = 0
    titles: set[str] = set()
    for position, index in enumerate(piece):
        bare = lowers[index].rstrip(".")
        if bare in TITLE_WORDS:
            cut = position + 1
            titles.add(bare)
        elif bare in GEO_WORDS:
            cut = position + 1
    name = piece[cut:]
    if not name:
        return None
    bare_words = frozenset(lowers[i] for i in name)
    organisational = not bare_words.isdisjoint(ORG_WORDS) or any(
        len(words[i][0]) > 1 and strip_possessive(words[i][0]).isupper() for i in name
    )
    last_word, last_at = words[name[-1]]
    titled_person = len(name) >= 2 and not organisational and not titles.isdisjoint(PERSONAL_TITLES)
    return _Piece(words[name[0]][1], last_at + len(strip_possessive(last_word)), len(name), bare_words,
                  frozenset(titles), organisational, titled_person)


@lru_cache(maxsize=8192)
def _word_layout(word: str) -> tuple[str, bool, int] | None:
    """A one-word run: None when it cannot name anyone (a sentence opener, a title, a place),
    else its bare form, whether it names an organisation, and its length without "'s"."""
    bare = strip_possessive(word.lower())
    if bare in _LEADING_WORDS or bare.rstrip(".") in TITLE_WORDS or bare in GEO_WORDS:
        return None
    stripped = strip_possessive(word)
    return bare, bare in ORG_WORDS or (len(word) > 1 and stripped.isupper()), len(stripped)


def scan_mentions(masked: str, start: int, end: int, tracker: EntityTracker) -> list[Mention]:
    """Register the names in ``masked[start:end]`` and return the people mentioned, in order."""
    mentions: list[Mention] = []
    for match in NAME_RUN_RE.finditer(masked, start, end):
        run = match.group()
        at = match.start()
        if " " not in run and "\t" not in run and "\xa0" not in run:
            layout = _word_layout(run)
            if layout is None:
                continue
            bare, organisational, length = layout
            if organisational or _preceded_by_determiner(masked, at):
                entity = tracker.full_mention(masked[at : at + length], {bare}, at, person=False)
                mentions.append(Mention(entity, at, False))
                continue
            known = tracker.by_word(bare, at)
            if known is not None:
                mentions.append(Mention(known, at, known.person))
            continue
        after_the, bare_start, pieces = _run_layout(run)
        if not pieces:
            continue
        after_the = after_the or (bare_start and _preceded_by_determiner(masked, at))
        for piece in pieces:
            mention = _piece_mention(masked, at, piece, after_the, tracker, match.end())
            if mention is not None:
                mentions.append(mention)
    return mentions


def _piece_mention(
    masked: str, run_at: int, piece: _Piece, after_the: bool, tracker: EntityTracker, run_end: int
) -> Mention | None:
    """The entity named by one piece of a capitalised run, registering full names."""
    first_at = run_at + piece.first
    canonical = masked[first_at : run_at + piece.canonical_end]
    # after "the", a name is an organisation's ("the Guardian"), unless a personal title
    # introduces it ("the Turkish President Recep Tayyip Erdoğan")
    if piece.organisational or (after_the and not piece.titled_person):
        entity = tracker.full_mention(canonical, piece.words, first_at, person=False)
        return Mention(entity, first_at, False)
    if piece.length >= 2:
        descriptors = piece.titles | _descriptors_around(masked, first_at, run_end)
        entity = tracker.full_mention(canonical, piece.words | descriptors, first_at, person=True)
        return Mention(entity, first_at, True)
    known = tracker.by_name(piece.words, first_at)
    if known is None:
        if not piece.titles:
            return None  # a lone capitalised word ("Cranes", "Yesterday") introduces nobody
        known = tracker.full_mention(canonical, piece.words | piece.titles, first_at, person=True)
    tracker.add_words(known, piece.titles)
    return Mention(known, first_at, known.person)


def _descriptors_around(masked: str, name_start: int, run_end: int) -> set[str]:
    """Role words next to a name: "journalist Jamal Khashoggi", "Hamid Mir, a … journalist,"."""
    words: set[str] = set()
    before = [w.strip(",;:()").lower() for w in masked[max(0, name_start - 40) : name_start].split()[-2:]]
    words.update(w for w in before if w in PERSON_NOUNS or w in FEMALE_WORDS or w in MALE_WORDS)
    appositive = _APPOSITIVE_RE.match(masked, run_end)
    if appositive:
        words.update(w.lower() for w in _WORD_RE.findall(appositive.group(1)) if w.lower() in SPEAKER_NOUNS)
    return words
