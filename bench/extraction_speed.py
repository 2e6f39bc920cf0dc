"""Throughput of ``extract_statements`` on one core, in MB/s of UTF-8 input.

Usage (from the repository root)::

    python bench/extraction_speed.py [--megabytes 5] [--repeat 3]

The corpus is every annotated article — the seed article and the Wikinews set under
``../shared`` when present, and the articles in ``tests/data/extraction/articles`` of the blind
rounds already scored (a round whose blind score is not yet recorded is left out) —
concatenated with blank lines, repeated until it reaches about ``--megabytes`` MB, and fed to
the extractor as one document — the worst case for per-article state such as the entity
tracker.  The best of ``--repeat`` timed runs is reported, after one warm-up run.

Throughput is computed from the process's CPU time, which is what "MB/s on one core" means
and stays meaningful on a busy machine; wall-clock time is printed alongside.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.extraction import extract_statements  # noqa: E402


def blind_articles() -> list[Path]:
    """The articles of the blind rounds whose blind score is recorded: a round not yet scored
    is left out, so that timing the extractor never runs it on a blind test before its time."""
    import json

    from bench.extraction_quality import article_path, gold_paths

    relative = {json.loads(path.read_text(encoding="utf-8"))["article"] for path in gold_paths("all")}
    return sorted(article_path(item) for item in relative if item.startswith("tests/"))


def corpus(megabytes: float) -> str:
    paths = sorted((SHARED / "data" / "articles" / "wikinews").glob("*.txt"))
    paths += sorted((SHARED / "seed").glob("*.txt"))
    paths += blind_articles()
    base = "\n\n".join(path.read_text(encoding="utf-8") for path in paths)
    copies = max(1, round(megabytes * 1_000_000 / len(base.encode("utf-8"))))
    return "\n\n".join([base] * copies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    text = corpus(args.megabytes)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    extract_statements(text[:200_000])
    best_cpu = best_wall = float("inf")
    count = 0
    for _ in range(max(1, args.repeat)):
        cpu, wall = time.process_time(), time.perf_counter()
        count = len(extract_statements(text))
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"input {size_mb:.2f} MB, {count} statements, best of {args.repeat}: "
          f"{best_cpu:.2f} s CPU ({best_wall:.2f} s wall)")
    print(f"throughput: {size_mb / best_cpu:.2f} MB/s on one core ({size_mb / best_wall:.2f} MB/s wall-clock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
