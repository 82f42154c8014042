"""Train the Swedish pipeline reproducibly from the Talbanken copy in extractors/nlp/data.

    python -m extractors.nlp.train [--build DIR]

Converts the CoNLL-U files with `spacy convert`, trains `config.cfg` on the test part (the dev
part is held out for the accuracy reported), writes the best model to extractors/nlp/model and a
word-form → lemma lexicon of the training part (lexicon.json) that the lookup lemmas use first.
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
    train(parser.parse_args().build)


if __name__ == "__main__":
    main()
