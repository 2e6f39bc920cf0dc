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

from .lexicon import (
    DETERMINERS,
    FEMALE_WORDS,
    GEO_WORDS,
    MALE_WORDS,
    ORG_WORDS,
    PERSON_NOUNS,
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
        female, male = not words.isdisjoint(FEMALE_WORDS), not words.isdisjoint(MALE_WORDS)
        if self.gender is None and female != male:
            self.gender = "f" if female else "m"

    def compatible(self, pronoun: str) -> bool:
        """Whether "he"/"she" can refer to this entity (unknown gender: either)."""
        return self.gender is None or self.gender == ("f" if pronoun == "she" else "m")


@dataclass
class Mention:
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

    def full_mention(self, canonical: str, words: set[str], position: int, person: bool) -> Entity:
        entity = self._by_canonical.get(canonical.lower())
        if entity is None:
            entity = Entity(canonical, set(), person)
            self._by_canonical[canonical.lower()] = entity
            if person:
                self._people.append(entity)
        self.add_words(entity, words)
        if person and not entity.person:
            entity.person = True
            self._people.append(entity)
        if not entity.full_positions or entity.full_positions[-1] < position:
            entity.full_positions.append(position)
            for word in entity.words:
                self._note_latest(word, entity)
        return entity

    def add_words(self, entity: Entity, words: set[str]) -> None:
        entity.note_words(words)
        # A name written with its accents is also found without them: reporters write
        # "Erdoğan" once and "Erdogan" after it, or the other way round.
        words = words | {folded for word in words if not word.isascii() and (folded := fold_accents(word)) != word}
        for word in words - entity.words:
            self._by_word.setdefault(word, []).append(entity)
            entity.words.add(word)
            self._note_latest(word, entity)

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
            best = self._best(
                (e for e in self._people if all(any(_near(w, v) for v in e.words) for w in words)), position
            )
        return best

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
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _preceded_by_determiner(masked: str, start: int) -> bool:
    """Whether the word before ``start`` (one space back) is a determiner ("the Musa Kala district")."""
    if start < 2 or masked[start - 1] != " ":
        return False
    window = max(0, start - 12)
    space = masked.rfind(" ", window, start - 1)
    return masked[max(space + 1, window) : start - 1].lower() in DETERMINERS


def _words_with_offsets(run: str, offset: int) -> list[tuple[str, int]]:
    """The words of a name run with their absolute offsets."""
    parts = []
    position = 0
    for word in run.split():
        position = run.index(word, position)
        parts.append((word, offset + position))
        position += len(word)
    return parts


def scan_mentions(masked: str, start: int, end: int, tracker: EntityTracker) -> list[Mention]:
    """Register the names in ``masked[start:end]`` and return the people mentioned, in order."""
    mentions: list[Mention] = []
    for match in NAME_RUN_RE.finditer(masked, start, end):
        run = match.group()
        if " " not in run and "\t" not in run and "\xa0" not in run:
            mention = _single_word_mention(masked, run, match.start(), tracker)
            if mention is not None:
                mentions.append(mention)
            continue
        parts = _words_with_offsets(run, match.start())
        lowers = [strip_possessive(word.lower()) for word, _ in parts]
        lead = 0
        while lead < len(parts) and lowers[lead] in _LEADING_WORDS:
            lead += 1
        after_the = lead > 0 and lowers[lead - 1] in DETERMINERS
        after_the = after_the or (lead == 0 and _preceded_by_determiner(masked, match.start()))
        piece: list[int] = []
        for index in range(lead, len(parts) + 1):
            if index < len(parts) and lowers[index] not in _SPLIT_JOINERS:
                piece.append(index)
                continue
            if piece:
                mention = _piece_mention(masked, parts, lowers, piece, after_the, tracker, match.end())
                if mention is not None:
                    mentions.append(mention)
            piece = []
    return mentions


def _single_word_mention(masked: str, word: str, at: int, tracker: EntityTracker) -> Mention | None:
    """Fast path for the commonest run, one capitalised word: a known name, or an acronym."""
    bare = strip_possessive(word.lower())
    if bare in _LEADING_WORDS or bare.rstrip(".") in TITLE_WORDS or bare in GEO_WORDS:
        return None
    if bare in ORG_WORDS or (len(word) > 1 and strip_possessive(word).isupper()) or _preceded_by_determiner(masked, at):
        canonical = masked[at : at + len(strip_possessive(word))]
        return Mention(tracker.full_mention(canonical, {bare}, at, person=False), at, False)
    known = tracker.by_name({bare}, at)
    return None if known is None else Mention(known, at, known.person)


def _piece_mention(
    masked: str,
    parts: list[tuple[str, int]],
    lowers: list[str],
    piece: list[int],
    after_the: bool,
    tracker: EntityTracker,
    run_end: int,
) -> Mention | None:
    """The entity named by one piece of a capitalised run, registering full names."""
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
    bare_words = {lowers[i] for i in name}
    organisational = not bare_words.isdisjoint(ORG_WORDS) or any(
        len(parts[i][0]) > 1 and strip_possessive(parts[i][0]).isupper() for i in name
    )
    first_at = parts[name[0]][1]
    last_word, last_at = parts[name[-1]]
    canonical = masked[first_at : last_at + len(strip_possessive(last_word))]
    if organisational or after_the:
        entity = tracker.full_mention(canonical, bare_words, first_at, person=False)
        return Mention(entity, first_at, False)
    if len(name) >= 2:
        descriptors = titles | _descriptors_around(masked, first_at, run_end)
        entity = tracker.full_mention(canonical, bare_words | descriptors, first_at, person=True)
        return Mention(entity, first_at, True)
    known = tracker.by_name(bare_words, first_at)
    if known is None:
        if not titles:
            return None  # a lone capitalised word ("Cranes", "Yesterday") introduces nobody
        known = tracker.full_mention(canonical, bare_words | titles, first_at, person=True)
    tracker.add_words(known, titles)
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
