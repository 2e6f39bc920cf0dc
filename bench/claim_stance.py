"""Stance toward a claim, against hand-written (claim, statement, stance) triples.

    python bench/claim_stance.py              # the held-out triples, pooled (the figure that counts)
    python bench/claim_stance.py --set i      # one held-out file: i or j
    python bench/claim_stance.py --set dev    # the triples the classifier was tuned on
    python bench/claim_stance.py --details    # every error

The triples live in ``tests/data/extraction/claim_stance/``. Held out: ``heldout_i.json`` and
``heldout_j.json`` (71 and 61 triples, statements of blind rounds I and J, written by their
annotators with the gold, before the classifier was run on them; never tuned on). Development:
``dev.json`` (106 triples, the original set and rounds A-C), ``heldout.json`` (143, rounds D-F),
``heldout_g.json`` and ``heldout_h.json`` (73 and 76, rounds G and H) — held out when they were
written and scored once as such (0.59 pooled, README), then used for tuning. Each gives the
claim, the statement's words and speaker, its own cue stance as annotated in the extraction
gold (what the extractor's ``stance`` field carries), and the stance toward the claim. Accuracy
is printed with the annotated cue stance, and with the cue stance the rules read from the words
alone (``stance.classify(text, "say")``: no cue verb), a harder reading.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.extraction.claim_stance import STANCES, claim_stance  # noqa: E402
from factcheck.extraction.stance import classify  # noqa: E402

DATA = ROOT / "tests" / "data" / "extraction" / "claim_stance"


#: The sets ``--set`` names: each held-out file, all of them pooled, and the development set.
SETS = {"heldout": ("heldout_i", "heldout_j"), "i": ("heldout_i",), "j": ("heldout_j",),
        "dev": ("dev", "heldout", "heldout_g", "heldout_h"), "a-c": ("dev",), "d-f": ("heldout",),
        "g": ("heldout_g",), "h": ("heldout_h",)}


def load(name: str) -> list[dict]:
    """The triples of a set of ``SETS`` (or of one file, by its name)."""
    files = SETS.get(name, (name,))
    return [t for file in files for t in json.loads((DATA / f"{file}.json").read_text(encoding="utf-8"))["triples"]]


def score(triples: list[dict], cue: str) -> tuple[float, Counter, list[tuple[dict, str]]]:
    confusion: Counter = Counter()
    errors = []
    for t in triples:
        cue_stance = t["cue_stance"] if cue == "annotated" else classify(t["statement"], "say")
        got = claim_stance(t["claim"], t["statement"], cue_stance)
        confusion[(t["stance"], got)] += 1
        if got != t["stance"]:
            errors.append((t, got))
    return 1 - len(errors) / len(triples), confusion, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=tuple(SETS), default="heldout",
                        help="heldout: every held-out triple pooled (I, J); i, j: one of them; dev: the "
                             "triples tuned on (a-c, d-f, g, h: one of them)")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    triples = load(args.set)
    print(f"{args.set}: {len(triples)} triples, " +
          ", ".join(f"{k} {v}" for k, v in sorted(Counter(t['stance'] for t in triples).items())))
    for cue in ("annotated", "words only"):
        accuracy, confusion, errors = score(triples, cue)
        print(f"\ncue stance {cue}: accuracy {accuracy:.3f} ({len(triples) - len(errors)}/{len(triples)})")
        print("gold \\ proposed  " + " ".join(f"{s[:8]:>8}" for s in STANCES))
        for g in STANCES:
            print(f"{g:<16} " + " ".join(f"{confusion[(g, p)]:>8}" for p in STANCES))
        if args.details and cue == "annotated":
            for t, got in errors:
                print(f"  gold={t['stance']:<11} got={got:<11} cue={t['cue_stance']:<11} "
                      f"claim={t['claim'][:60]!r} statement={t['statement'][:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
