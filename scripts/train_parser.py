"""Train the parser factcheck ships, from UD English EWT, and print its accuracy (`make model`).

    python scripts/train_parser.py [--treebank DIR] [--work DIR] [--config FILE] [--max-steps N]
                                   [--patience N] [--skip-train] [--no-package]

1. converts the treebank's official train/dev/test .conllu files with `spacy convert`
   (10 sentences a document; the split is kept as published);
2. trains tok2vec (CNN) + morphologizer (UPOS and features) + parser with
   scripts/parser/config.cfg (fixed seed, no pretrained vectors, nothing downloaded), selecting
   the best model on the dev split;
3. evaluates that model once on the test split — spaCy's own tokenizer, aligned to the gold
   words — and prints UPOS, UAS and LAS (the test split is used for nothing else);
4. writes the model into factcheck/extraction/parser_model/ with its LICENSE (CC BY-SA 4.0,
   trained on UD English EWT), a README and ACCURACY.json beside it.

The app loads the model from that directory only (factcheck/extraction/parse.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "parser" / "config.cfg"
TARGET = ROOT / "factcheck" / "extraction" / "parser_model"
DEFAULT_TREEBANK = ROOT.parent / "shared" / "data" / "treebanks" / "UD_English-EWT"
SPLITS = ("train", "dev", "test")

README = """# parser_model — factcheck's English tagger and dependency parser

A spaCy {spacy_version} pipeline (tok2vec CNN + morphologizer + parser) trained by
`make model` (scripts/train_parser.py, config scripts/parser/config.cfg, seed 0) on the
official train split of the Universal Dependencies English Web Treebank (UD_English-EWT),
best model chosen on its dev split, no pretrained vectors. Its tokenizer is spaCy's English
rule-based tokenizer (code, not data).

Accuracy on the treebank's test split (spaCy tokenization aligned to the gold words): as
running text, the parser finding sentence boundaries itself, UPOS {upos:.4f}, UAS {uas:.4f},
LAS {las:.4f}; one sentence at a time, the treebank's sentences given (how the extractor uses
it: one sentence per parse), UPOS {upos_sentences:.4f}, UAS {uas_sentences:.4f}, LAS {las_sentences:.4f}.

Licence: the model is derived from the UD English EWT annotations and is distributed under
the Creative Commons Attribution-ShareAlike 4.0 International licence (LICENSE beside this
file). Trained on UD English EWT: Silveira et al., "A Gold Standard Dependency Corpus for
English" (LREC 2014), https://github.com/UniversalDependencies/UD_English-EWT .
"""


def run(cmd: list[str]) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True)


def convert(treebank: Path, corpus: Path) -> dict[str, Path]:
    corpus.mkdir(parents=True, exist_ok=True)
    out = {}
    for split in SPLITS:
        src = treebank / f"en_ewt-ud-{split}.conllu"
        if not src.exists():
            sys.exit(f"missing {src}: pass --treebank DIR (UD_English-EWT with its .conllu files)")
        dst = corpus / f"en_ewt-ud-{split}.spacy"
        if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
            run([sys.executable, "-m", "spacy", "convert", str(src), str(corpus),
                 "--converter", "conllu", "--n-sents", "10"])
        out[split] = dst
    return out


def evaluate(model: Path, test: Path) -> dict[str, float]:
    """UPOS, UAS and LAS on the test split, read two ways with spaCy's own tokenizer aligned to
    the gold words: as running text (documents of 10 sentences, the parser finding the sentence
    boundaries itself: ``upos``, ``uas``, ``las``), and one sentence at a time, the treebank's
    sentences given (``*_sentences``) — how the extractor uses it, one sentence per parse."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    nlp = spacy.load(model)
    gold = list(DocBin().from_disk(test).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
    started = time.perf_counter()
    scores = nlp.evaluate(examples)
    seconds = time.perf_counter() - started
    sentences = [sent.as_doc() for doc in gold for sent in doc.sents]
    by_sentence = nlp.evaluate([Example(nlp.make_doc(doc.text), doc) for doc in sentences])
    words = sum(len(doc) for doc in gold)
    return {
        "upos": scores["pos_acc"],
        "uas": scores["dep_uas"],
        "las": scores["dep_las"],
        "morph": scores["morph_acc"],
        "sents_f": scores["sents_f"],
        "upos_sentences": by_sentence["pos_acc"],
        "uas_sentences": by_sentence["dep_uas"],
        "las_sentences": by_sentence["dep_las"],
        "test_words": words,
        "test_sentences": len(sentences),
        "words_per_second": round(words / seconds),
    }


def package(model: Path, treebank: Path, acc: dict) -> None:
    import spacy

    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(model, TARGET)
    # The training corpus's paths are the builder's own folders: the packaged config names none.
    config_path = TARGET / "config.cfg"
    config_path.write_text(re.sub(r'^(train|dev) = ".*"$', r"\1 = null", config_path.read_text(), flags=re.M))
    meta_path = TARGET / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({
        "name": "factcheck_ewt",
        "version": "1.0.0",
        "description": "Tagger and parser trained on UD English EWT for factcheck's extractor",
        "license": "CC BY-SA 4.0",
        "sources": [{"name": "UD English EWT", "url":
                     "https://github.com/UniversalDependencies/UD_English-EWT",
                     "license": "CC BY-SA 4.0"}],
    })
    meta.setdefault("performance", {})["test"] = acc
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    licence = (treebank / "LICENSE.txt").read_text()
    (TARGET / "LICENSE").write_text(
        "The model in this directory was trained on UD English EWT (Universal Dependencies\n"
        "English Web Treebank) and is licensed CC BY-SA 4.0, as its annotations are.\n\n"
        + licence)
    (TARGET / "README.md").write_text(README.format(spacy_version=spacy.__version__, **acc))
    (TARGET / "ACCURACY.json").write_text(json.dumps(acc, indent=2) + "\n")
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"model written to {TARGET.relative_to(ROOT)} ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--treebank", type=Path,
                    default=Path(os.environ.get("EWT_DIR", DEFAULT_TREEBANK)))
    ap.add_argument("--work", type=Path, default=ROOT / "instance" / "parser-build",
                    help="where the converted corpus and training output go (git-ignored)")
    ap.add_argument("--config", type=Path, default=CONFIG,
                    help="the spaCy training config (default: scripts/parser/config.cfg)")
    ap.add_argument("--max-steps", type=int, default=None,
                    help="training steps (default: config.cfg's training.max_steps)")
    ap.add_argument("--patience", type=int, default=None,
                    help="stop after this many steps without a better dev score "
                         "(default: config.cfg's training.patience)")
    ap.add_argument("--skip-train", action="store_true",
                    help="evaluate and package the model already trained in --work")
    ap.add_argument("--no-package", action="store_true",
                    help="train and print the dev scores only; package later with "
                         "--skip-train (the test split is then read once, for the kept model)")
    args = ap.parse_args()

    corpus = convert(args.treebank, args.work / "corpus")
    output = args.work / "train"
    if not args.skip_train:
        run([sys.executable, "-m", "spacy", "train", str(args.config), "--output", str(output),
             "--paths.train", str(corpus["train"]), "--paths.dev", str(corpus["dev"]),
             "--system.seed", "0"]
            + (["--training.max_steps", str(args.max_steps)] if args.max_steps else [])
            + (["--training.patience", str(args.patience)] if args.patience else []))
    best = output / "model-best"
    dev = json.loads((best / "meta.json").read_text()).get("performance", {})
    print(f"best model on the dev split: UPOS {dev.get('pos_acc', 0):.4f}  "
          f"UAS {dev.get('dep_uas', 0):.4f}  LAS {dev.get('dep_las', 0):.4f}", flush=True)
    if args.no_package:
        return
    acc = evaluate(best, corpus["test"])
    print(f"UD English EWT test split ({acc['test_words']} words), running text: "
          f"UPOS {acc['upos']:.4f}  UAS {acc['uas']:.4f}  LAS {acc['las']:.4f}")
    print(f"UD English EWT test split ({acc['test_sentences']} sentences given, as the extractor parses): "
          f"UPOS {acc['upos_sentences']:.4f}  UAS {acc['uas_sentences']:.4f}  LAS {acc['las_sentences']:.4f}")
    package(best, args.treebank, acc)


if __name__ == "__main__":
    main()
