"""The parser factcheck ships: loading it, and parsing the sentences worth parsing.

The model is a spaCy pipeline (tok2vec CNN, morphologizer, dependency parser) trained by
``make model`` (scripts/train_parser.py) on UD English EWT and kept in ``parser_model/`` beside
this file, with its licence (CC BY-SA 4.0). It is loaded from there only — never from the
network — once per process, on first use (``load``); a worker that forks after ``load`` shares
it copy-on-write.

Only sentences that can carry an attribution are parsed (a quotation, a reporting word or a
reporting noun: the same gate the rules use, ``worth_parsing``), and each parse unit is
bounded (``MAX_UNIT_CHARS``): a longer unit — a table, a 100,000-word "sentence" the segmenter
has already cut into windows, a quotation of pages — is left to the rules. The parse checks
the deadline between batches, so the time budget holds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .limits import NEVER, Deadline

if TYPE_CHECKING:  # spaCy is imported on first use only: the rules alone never pay for it
    from spacy.language import Language
    from spacy.tokens import Doc

#: Where the model lives (``FACTCHECK_PARSER_MODEL`` may point elsewhere, e.g. for a test).
MODEL_DIR = Path(os.environ.get("FACTCHECK_PARSER_MODEL", Path(__file__).resolve().parent / "parser_model"))
#: A parse unit longer than this many characters is not parsed (the rules still read it).
MAX_UNIT_CHARS = 1_500
#: Sentences parsed together between two looks at the deadline.
BATCH = 16

_lock = threading.Lock()
_nlp: Language | None = None


class ModelMissing(RuntimeError):
    """The parser model is not in ``MODEL_DIR`` (run ``make model``)."""


def available() -> bool:
    """Whether the model is there to load (and spaCy installed)."""
    if not (MODEL_DIR / "meta.json").is_file():
        return False
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def load() -> Language:
    """The model, loaded once per process from ``MODEL_DIR``."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            if not available():
                raise ModelMissing(f"no parser model in {MODEL_DIR}: run `make model` (or install spaCy)")
            import spacy

            nlp = spacy.load(MODEL_DIR)
            _tune_tokenizer(nlp)
            _nlp = nlp
    return _nlp


def _tune_tokenizer(nlp: Language) -> None:
    """News typography the English rules leave joined: a dash between words with no spaces
    ("ceasefire—and"), and a curly apostrophe's possessive after a name is already split."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"(?<=[\w.,;:!?\"”’)])[—–](?=[\w\"“‘(])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def memory_bytes() -> int:
    """Resident memory of this process, in bytes (Linux), for the speed benchmark's report."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def parse_units(units: Iterable[tuple[int, str]], deadline: Deadline = NEVER) -> Iterator[tuple[int, Doc]]:
    """``(key, doc)`` for each ``(key, text)`` unit, in order, until ``deadline`` passes (the
    units after it are not parsed: the caller stops there). Units over ``MAX_UNIT_CHARS``
    characters are skipped."""
    nlp = load()
    batch: list[tuple[int, str]] = []

    def flush() -> Iterator[tuple[int, Doc]]:
        texts = [text for _, text in batch]
        for (key, _), doc in zip(batch, nlp.pipe(texts, batch_size=BATCH), strict=True):
            yield key, doc
        batch.clear()

    for key, text in units:
        if len(text) > MAX_UNIT_CHARS:
            continue
        batch.append((key, text))
        if len(batch) >= BATCH:
            if deadline.passed():
                return
            yield from flush()
    if batch and not deadline.passed():
        yield from flush()


def describe_model() -> dict[str, Any]:
    """Name, version, licence and test accuracy of the shipped model (its meta.json)."""
    import json

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    return {key: meta.get(key) for key in ("name", "version", "license", "spacy_version", "performance")}
