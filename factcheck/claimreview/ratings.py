"""From another fact-checker's verdict to one of our statuses.

Fact-checkers publish their verdict in words (``alternateName``: "False", "Engañoso",
"Pants on Fire!", sometimes a whole sentence) and often on a numeric scale (``ratingValue``
between ``worstRating`` and ``bestRating``, which some run backwards). Words win when we know
them, because numbers mean different things on different scales; a number is used only when
the words are missing or unknown. Anything else stays ``unverified``: a desk looks at it, and
the verdict as published is kept with the import.

Matching ignores case, accents, punctuation and surrounding words: the text is cut into
words, and known verdict phrases are found longest first, so that "mostly false" is not read
as "false" and "not true" is not read as "true". A sentence naming verdicts of two different
statuses is left unknown rather than guessed.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..models import RESOLVED, Status

#: Statuses a verdict may map to: a verdict, or ``unverified`` to mark a phrase as "no verdict".
MAPPABLE = RESOLVED | {Status.UNVERIFIED}

_F, _M, _U, _C = Status.FALSE, Status.MISLEADING, Status.UNPROVEN, Status.CONFIRMED

#: Verdicts as fact-checkers write them, in English, Spanish, Portuguese, French and German.
DEFAULT_VERDICTS: dict[Status, tuple[str, ...]] = {
    _F: (
        # English
        "false", "fake", "fake news", "hoax", "untrue", "not true", "is not true", "isn't true",
        "incorrect", "wrong", "inaccurate", "fabricated", "fabrication", "baseless", "debunked",
        "pants on fire", "four pinocchios", "scam", "fiction", "no basis", "totally false",
        "completely false", "entirely false", "false claim",
        # Spanish
        "falso", "falsa", "bulo", "mentira", "es falso", "no es cierto", "no es verdad",
        "totalmente falso", "inventado", "fraude", "timo",
        # Portuguese
        "falsa", "boato", "não é verdade", "nao e verdade", "inventado", "golpe",
        "totalmente falso",
        # French
        "faux", "fausse", "infox", "intox", "c'est faux", "archifaux", "pas vrai", "inventé",
        "totalement faux", "arnaque",
        # German
        "falsch", "unwahr", "erfunden", "frei erfunden", "stimmt nicht", "nicht wahr",
        "nicht richtig", "fälschung", "gefälscht", "komplett falsch",
    ),
    _M: (
        # English
        "misleading", "mostly false", "half true", "half-true", "partly false", "partially false",
        "partly true", "partially true", "missing context", "lacks context", "needs context",
        "out of context", "exaggerated", "exaggeration", "distorted", "distortion", "mixture",
        "mixed", "cherry picks", "cherry-picked", "three pinocchios", "two pinocchios",
        "altered", "manipulated", "doctored", "imprecise", "inaccurate context",
        "flip-flop", "full flop", "half flip",
        # Spanish
        "engañoso", "engañosa", "parcialmente falso", "parcialmente falsa", "medio falso",
        "verdad a medias", "media verdad", "sacado de contexto", "fuera de contexto", "exagerado",
        "exagerada", "impreciso", "imprecisa", "manipulado", "manipulada", "cuestionable",
        "apresurado", "debatible", "falta contexto", "verdadero pero",
        # Portuguese
        "enganoso", "enganosa", "distorcido", "distorcida", "exagerado", "exagerada",
        "impreciso", "imprecisa", "fora de contexto", "sem contexto", "parcialmente falso",
        "meia verdade", "meia-verdade", "manipulado", "manipulada", "discutível", "contraditório",
        # French
        "trompeur", "trompeuse", "partiellement faux", "partiellement vrai", "plutôt faux",
        "exagéré", "exagérée", "hors contexte", "sorti de son contexte", "manque de contexte",
        "imprécis", "imprécise", "manipulé", "manipulée", "à nuancer", "détourné",
        # German
        "irreführend", "teilweise falsch", "teilweise richtig", "größtenteils falsch",
        "überwiegend falsch", "halb wahr", "halbwahr", "fehlender kontext", "fehlt kontext",
        "aus dem kontext gerissen", "übertrieben", "manipuliert", "verzerrt", "missverständlich",
        "zusammenhang fehlt", "ungenau",
    ),
    _U: (
        # English
        "unproven", "unverified", "unverifiable", "unsupported", "unsubstantiated",
        "no evidence", "lacks evidence", "insufficient evidence", "not proven", "cannot confirm",
        "can't confirm", "unconfirmed", "inconclusive", "undetermined", "unclear",
        # Spanish
        "sin evidencia", "sin evidencias", "sin pruebas", "no verificable", "inverificable",
        "no se puede probar", "no comprobado", "dudoso", "sin sustento", "insostenible",
        # Portuguese
        "sem provas", "sem evidências", "sem evidencia", "não comprovado", "insustentável",
        "impossível provar", "inconclusivo", "não verificável", "sem comprovação",
        # French
        "invérifiable", "non prouvé", "non vérifiable", "infondé", "sans preuve",
        "pas de preuve", "non confirmé", "incertain",
        # German
        "unbelegt", "nicht belegt", "unbewiesen", "nicht nachweisbar", "unklar",
        "nicht bestätigt", "unbestätigt", "ohne beleg",
    ),
    _C: (
        # English
        "true", "correct", "accurate", "mostly true", "confirmed", "verified", "legit",
        "genuine", "authentic", "is true",
        # Spanish
        "verdadero", "verdadera", "cierto", "cierta", "verdad", "correcto", "correcta",
        "es verdad", "es cierto", "verificado",
        # Portuguese
        "verdadeiro", "verdadeira", "verdade", "correto", "correta", "é verdade", "confirmado",
        # French
        "vrai", "vraie", "exact", "exacte", "correct", "c'est vrai", "plutôt vrai", "confirmé",
        # German
        "richtig", "wahr", "stimmt", "korrekt", "zutreffend", "bestätigt", "echt",
    ),
}

#: On a numeric scale, positions (0 = worst, 1 = best) up to this are false…
FALSE_UP_TO = 0.2
#: …below this misleading, and from it on confirmed. On PolitiFact's six steps: Pants on Fire
#: and False → false; Mostly False and Half True → misleading; Mostly True and True → confirmed.
CONFIRMED_FROM = 0.7

_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:/\s*\d+(?:[.,]\d+)?)?\s*$")


def normalise(text: str) -> str:
    """Lower-case words without accents, apostrophes or punctuation, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHES.sub("", plain)
    return " ".join(_NON_WORD.sub(" ", plain).split())


def parse_number(value: object) -> float | None:
    """A rating as a number: 4, 4.5, "4", "4,5", "4/5"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if match:
            return float(match.group(1).replace(",", "."))
    return None


@dataclass(frozen=True)
class Verdict:
    """What a published rating means for us, and on what basis."""

    status: Status
    #: ``words`` (a known verdict phrase), ``scale`` (the numeric position) or ``unknown``.
    basis: str
    #: The phrase recognised, or the scale position as "value of worst–best".
    matched: str = ""

    @property
    def known(self) -> bool:
        return self.basis != "unknown"


UNKNOWN = Verdict(Status.UNVERIFIED, "unknown")


class RatingMap:
    """Verdict phrases → statuses: the defaults, with a newsroom's own mapping on top."""

    def __init__(self, overrides: Mapping[str, str | Status] | None = None) -> None:
        self._phrases: dict[tuple[str, ...], Status] = {}
        for status, phrases in DEFAULT_VERDICTS.items():
            for phrase in phrases:
                self._add(phrase, status)
        for phrase, value in (overrides or {}).items():
            self._add(phrase, self._status(phrase, value))
        self._longest = max((len(words) for words in self._phrases), default=1)

    @staticmethod
    def _status(phrase: str, value: str | Status) -> Status:
        try:
            status: Status | None = Status(value)
        except ValueError:
            status = None
        if status is None or status not in MAPPABLE:
            allowed = ", ".join(sorted(s.value for s in MAPPABLE))
            raise ValueError(f"verdict {phrase!r} maps to {value!r}; expected one of: {allowed}")
        return status

    def _add(self, phrase: str, status: Status) -> None:
        words = tuple(normalise(phrase).split())
        if words:
            self._phrases[words] = status

    @classmethod
    def from_file(cls, path: str | Path) -> RatingMap:
        """A map with the overrides of a JSON file ``{"verdict": "status", …}``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise ValueError(f"{path}: expected a JSON object of verdict → status strings")
        return cls(data)

    def words(self, text: str) -> Verdict:
        """The status named by ``text``: as a whole, by its opening words, or unambiguously."""
        words = normalise(text).split()
        if not words:
            return UNKNOWN
        whole = self._phrases.get(tuple(words))
        if whole is not None:
            return Verdict(whole, "words", " ".join(words))
        found: list[tuple[int, Status, str]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                status = self._phrases.get(tuple(words[i : i + n]))
                if status is not None:
                    found.append((i, status, " ".join(words[i : i + n])))
                    i += n
                    break
            else:
                i += 1
        if not found:
            return UNKNOWN
        if found[0][0] == 0:  # "False: the photo is from 2015", "Engañoso. El video…"
            return Verdict(found[0][1], "words", found[0][2])
        if len({status for _, status, _ in found}) == 1:
            return Verdict(found[0][1], "words", found[0][2])
        return UNKNOWN

    @staticmethod
    def scale(value: object, best: object = None, worst: object = None) -> Verdict:
        """The status of a position on a numeric scale; schema.org's defaults are 1 to 5.

        Works for reversed scales (``bestRating`` lower than ``worstRating``) too, since the
        position is measured from the worst end towards the best.
        """
        v = parse_number(value)
        if v is None:
            return UNKNOWN
        b = parse_number(best)
        w = parse_number(worst)
        b = 5.0 if b is None else b
        w = 1.0 if w is None else w
        if b == w:
            return UNKNOWN
        position = (v - w) / (b - w)
        if not 0.0 <= position <= 1.0:
            return UNKNOWN
        if position <= FALSE_UP_TO:
            status = Status.FALSE
        elif position < CONFIRMED_FROM:
            status = Status.MISLEADING
        else:
            status = Status.CONFIRMED
        return Verdict(status, "scale", f"{v:g} on a scale from {w:g} (worst) to {b:g} (best)")

    def verdict(
        self, *, name: str = "", value: object = None, best: object = None, worst: object = None
    ) -> Verdict:
        """Words first (``alternateName``, or a ``ratingValue`` that is words), then the scale."""
        by_words = self.words(name)
        if by_words.known:
            return by_words
        if isinstance(value, str) and parse_number(value) is None:
            by_value_words = self.words(value)
            if by_value_words.known:
                return by_value_words
        return self.scale(value, best, worst)
