"""Throughput of ``extract_statements`` on one core, in KB/s and MB/s of UTF-8 input, and the
memory of a worker with the parser model loaded.

Usage (from the repository root)::

    python bench/extraction_speed.py [--megabytes 5] [--repeat 3] [--extractor rules|parse|combined]

The target with the parser (the combined design, the default where the model is installed):
at least 50 KB/s on one core — a long article (5,000 words, 30 KB) in about a tenth of a
second. The process's resident memory is printed before the extractor is imported, with the
model loaded, and after the runs: what one web worker costs. BLAS and OpenMP threads are held
to one (``OMP_NUM_THREADS=1`` …) before numpy is imported, so the CPU time is one core's.

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

import os  # noqa: E402

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def _rss() -> float:
    """Resident memory of this process, in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


_RSS_BEFORE = _rss()

from factcheck.extraction import extract_statements  # noqa: E402
from factcheck.extraction import parse  # noqa: E402
from factcheck.extraction.extractor import DESIGNS, default_design  # noqa: E402


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
    parser.add_argument("--extractor", choices=DESIGNS, default=None,
                        help=f"the design to time (default: {default_design()} here)")
    args = parser.parse_args(argv)
    design = args.extractor or default_design()
    text = corpus(args.megabytes)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    loaded = _rss()
    if design != "rules":
        cpu = time.process_time()
        parse.load()
        loaded = _rss()
        print(f"model loaded from {parse.MODEL_DIR} in {time.process_time() - cpu:.2f} s CPU")
    extract_statements(text[:200_000], design)
    best_cpu = best_wall = float("inf")
    count = 0
    for _ in range(max(1, args.repeat)):
        cpu, wall = time.process_time(), time.perf_counter()
        count = len(extract_statements(text, design))
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"extractor: {design}")
    print(f"input {size_mb:.2f} MB, {count} statements, best of {args.repeat}: "
          f"{best_cpu:.2f} s CPU ({best_wall:.2f} s wall)")
    print(f"throughput: {size_mb * 1000 / best_cpu:.0f} KB/s = {size_mb / best_cpu:.3f} MB/s on one core "
          f"({size_mb * 1000 / best_wall:.0f} KB/s wall-clock)")
    print(f"a 30 KB article (about 5,000 words): {0.03 / (size_mb / best_cpu):.3f} s CPU")
    print(f"memory (resident): {_RSS_BEFORE:.0f} MB before the extractor was imported, {loaded:.0f} MB with "
          f"{'the model' if design != 'rules' else 'the rules'} loaded, {_rss():.0f} MB after the runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
