"""Train the Swedish pipeline reproducibly from the Talbanken copies in extractors/nlp/data.

    python -m extractors.nlp.train [--build DIR] [--part all|tagger|ner]

The tagger: converts the CoNLL-U files with `spacy convert`, trains `config.cfg` on the test part
(the dev part is held out for the accuracy reported), writes the best model to extractors/nlp/model
and a word-form → lemma lexicon of the training part (lexicon.json) that the lookup lemmas use first.

The entity recogniser: reads UNER Swedish-Talbanken (data/uner: PER, ORG, LOC on UD's train part,
its dev and test parts held out), trains `ner_config.cfg` (its own small tok2vec, so the tagger is unchanged)
and adds the last `ner` to the model in extractors/nlp/model. `--part ner` retrains only that.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
TRAIN_FILE = DATA / "sv_talbanken-ud-test.conllu"
NER_TRAIN_FILE = DATA / "uner" / "sv_talbanken-ud-train.iob2"
NER_HELD_OUT = (DATA / "uner" / "sv_talbanken-ud-dev.iob2", DATA / "uner" / "sv_talbanken-ud-test.iob2")
DEV_FILE = DATA / "sv_talbanken-ud-dev.conllu"
MODEL_DIR = HERE / "model"
LEXICON_FILE = "lexicon.json"


def _spacy(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True)


def convert(build: Path) -> tuple[Path, Path]:
    """CoNLL-U → .spacy, ten sentences per document (so sentence starts are learnt)."""
    build.mkdir(parents=True, exist_ok=True)
    for source in (TRAIN_FILE, DEV_FILE):
        _spacy("convert", str(source), str(build), "--converter", "conllu", "-n", "10")
    return build / (TRAIN_FILE.stem + ".spacy"), build / (DEV_FILE.stem + ".spacy")


def build_lexicon(path: Path = TRAIN_FILE) -> dict[str, str]:
    """Most frequent gold lemma of every word form in the training part."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            counts[cols[1]][cols[2]] += 1
    return {form: lemmas.most_common(1)[0][0] for form, lemmas in sorted(counts.items())}


def read_iob2(path: Path) -> list[tuple[list[str], list[str]]]:
    """(words, IOB2 tags) of every sentence of a UNER file (comment lines skipped)."""
    sentences, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        words.append(cols[1])
        tags.append(cols[2] if cols[2] != "" else "O")
    return sentences


def convert_ner(build: Path, per_doc: int = 10) -> tuple[Path, Path]:
    """UNER IOB2 → .spacy, ten sentences per document (as the tagger's data): the train part, and the
    dev and test parts together as the held-out set (scored, never used to choose a model)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    build.mkdir(parents=True, exist_ok=True)
    vocab = spacy.blank("sv").vocab
    outputs = []
    for name, sources in (("uner-train", (NER_TRAIN_FILE,)), ("uner-held-out", NER_HELD_OUT)):
        sentences = [s for source in sources for s in read_iob2(source)]
        docs = DocBin()
        for start in range(0, len(sentences), per_doc):
            words = [w for ws, _ in sentences[start:start + per_doc] for w in ws]
            tags = [t for _, ts in sentences[start:start + per_doc] for t in ts]
            docs.add(Doc(vocab, words=words, ents=tags))
        target = build / f"{name}.spacy"
        docs.to_disk(target)
        outputs.append(target)
    return outputs[0], outputs[1]


def train_ner(build: Path) -> None:
    """Train the entity recogniser for a fixed number of steps and put the last model (no choice by the
    held-out score) into the model folder beside the tagger."""
    import spacy

    train_path, dev_path = convert_ner(build)
    output = build / "ner-output"
    _spacy("train", str(HERE / "ner_config.cfg"), "--output", str(output),
           "--paths.train", str(train_path), "--paths.dev", str(dev_path))
    nlp = spacy.load(MODEL_DIR)
    if "ner" in nlp.pipe_names:
        nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=spacy.load(output / "model-last"))
    staged = build / "model-with-ner"
    if staged.exists():
        shutil.rmtree(staged)
    nlp.to_disk(staged)
    shutil.copy(MODEL_DIR / LEXICON_FILE, staged / LEXICON_FILE)
    shutil.rmtree(MODEL_DIR)
    shutil.copytree(staged, MODEL_DIR)
    print(f"entity recogniser added to {MODEL_DIR} (pipeline: {', '.join(nlp.pipe_names)})")


def train(build: Path) -> None:
    train_path, dev_path = convert(build)
    output = build / "output"
    _spacy("train", str(HERE / "config.cfg"), "--output", str(output),
           "--paths.train", str(train_path), "--paths.dev", str(dev_path))
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    shutil.copytree(output / "model-best", MODEL_DIR)
    lexicon = build_lexicon()
    (MODEL_DIR / LEXICON_FILE).write_text(json.dumps(lexicon, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"model written to {MODEL_DIR} ({len(lexicon)} lexicon forms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path("var/nlp-build"), help="working folder")
    parser.add_argument("--part", choices=("all", "tagger", "ner"), default="all",
                        help="what to train: the tagger and then the entity recogniser (all), or one of them")
    args = parser.parse_args()
    if args.part in ("all", "tagger"):
        train(args.build)
    if args.part in ("all", "ner"):
        train_ner(args.build)


if __name__ == "__main__":
    main()
