"""Imported once by the guard's fork server: loads what every analysis needs, so each worker
forked from it starts with the Swedish model in memory instead of loading it again."""
from __future__ import annotations


def _warm() -> None:
    try:
        from extractors.swedish import lemma_table, load_nlp, treebank_lexicon

        load_nlp()
        lemma_table()
        treebank_lexicon()
    except Exception:  # noqa: BLE001 — a missing model is reported by the analysis itself, per document
        pass


_warm()
