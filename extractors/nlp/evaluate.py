"""Held-out accuracy of the Swedish pipeline on Talbanken's dev part (never used in training).

    python -m extractors.nlp.evaluate [--sentences N]

Scores UPOS and the lemmas on gold tokens: the lookup lemmas the pipeline uses (treebank lexicon
of the training part, then spacy-lookups-data, then compound splitting) and, when the model has
one, a trained edit-tree lemmatizer (93.2 % against the lookup's 96.5 % when last compared); and the
entity recogniser's precision, recall and F (exact PER/ORG/LOC spans) on UNER's dev and test parts,
never used in its training.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

DEV_FILE = Path(__file__).parent / "data" / "sv_talbanken-ud-dev.conllu"


@dataclass
class GoldSentence:
    words: list[str]
    upos: list[str]
    lemmas: list[str]


def read_conllu(path: Path = DEV_FILE, limit: int | None = None) -> list[GoldSentence]:
    """Sentences of a CoNLL-U file (multi-word token lines and comments skipped)."""
    sentences: list[GoldSentence] = []
    current = GoldSentence([], [], [])
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current.words:
                sentences.append(current)
                current = GoldSentence([], [], [])
                if limit and len(sentences) >= limit:
                    break
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        current.words.append(cols[1])
        current.lemmas.append(cols[2])
        current.upos.append(cols[3])
    if current.words and not (limit and len(sentences) >= limit):
        sentences.append(current)
    return sentences


def _same_lemma(predicted: str, gold: str) -> bool:
    return predicted == gold or predicted.lower() == gold.lower()


def evaluate(sentences: list[GoldSentence]) -> dict[str, float]:
    """UPOS and lemma accuracy (case-insensitive lemmas) over gold-tokenised sentences."""
    from extractors.swedish import lemma_of, load_nlp

    nlp = load_nlp()
    names = [n for n in nlp.pipe_names if n in ("tok2vec", "morphologizer", "trainable_lemmatizer")]
    docs = [Doc(nlp.vocab, words=s.words) for s in sentences]
    for name in names:
        docs = list(nlp.get_pipe(name).pipe(docs, batch_size=64))
    total = upos = trained = lookup = 0
    has_trained = "trainable_lemmatizer" in names
    for doc, gold in zip(docs, sentences):
        for token, gold_pos, gold_lemma in zip(doc, gold.upos, gold.lemmas):
            total += 1
            upos += token.pos_ == gold_pos
            trained += has_trained and _same_lemma(token.lemma_, gold_lemma)
            lookup += _same_lemma(lemma_of(token.text), gold_lemma)
    scores = {"tokens": total, "upos": upos / total, "lemma_lookup": lookup / total}
    if has_trained:
        scores["lemma_trained"] = trained / total
    return scores


def evaluate_entities() -> dict[str, float]:
    """Exact-span precision, recall and F of the entity recogniser on UNER's held-out dev and test parts."""
    from spacy.training import Example

    from extractors.nlp.train import NER_HELD_OUT, read_iob2
    from extractors.swedish import load_nlp

    nlp = load_nlp()
    if "ner" not in nlp.pipe_names:
        return {}
    ner = nlp.get_pipe("ner")
    examples = []
    for words, tags in (s for path in NER_HELD_OUT for s in read_iob2(path)):
        gold = Doc(nlp.vocab, words=words, ents=tags)
        examples.append(Example(ner(Doc(nlp.vocab, words=words)), gold))
    scores = ner.score(examples)
    return {"ner_entities": sum(len(e.reference.ents) for e in examples), "ner_precision": scores["ents_p"],
            "ner_recall": scores["ents_r"], "ner_f": scores["ents_f"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=None, help="score only the first N sentences")
    args = parser.parse_args()
    scores = evaluate(read_conllu(limit=args.sentences))
    scores.update(evaluate_entities())
    for key, value in scores.items():
        print(f"{key:16} {value:.4f}" if isinstance(value, float) else f"{key:16} {value}")


if __name__ == "__main__":
    main()
