"""Swedish language processing: the trained spaCy pipeline, lookup lemmas and municipality entities.

`load_nlp()` gives the full pipeline (tagger, lemmas, municipality entities); `fast_doc()` and
`lemmatise()` give sentences, lemmas and municipality entities without running the tagger, which
is what every sentence of every report needs. Run the tagger only where POS matters.
"""
from __future__ import annotations

import os
import weakref
from collections import OrderedDict
from functools import lru_cache
from typing import Iterable, Iterator

import extractors.spacy_light  # noqa: F401  (before spaCy: leaves its command line out)
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.errors import ExtractionError
from extractors.lemmas import MODEL_DIR, is_known_lemma, lemma_of, lemma_table, treebank_lexicon  # noqa: F401
from extractors.municipalities import STAD, all_municipalities, genitive, name_forms
KOMMUN_LABEL = "KOMMUN"
# The statistical entity recogniser's names (PER, ORG, LOC) are kept here, beside the municipalities in doc.ents.
NAMES_KEY = "names"

# Abbreviations kept as one token (and so never ending a sentence).
ABBREVIATIONS = [
    "bl.a.", "t.ex.", "m.m.", "p.g.a.", "dvs.", "d.v.s.", "s.k.", "fr.o.m.", "t.o.m.", "ca.", "resp.",
    "etc.", "m.fl.", "o.s.v.", "osv.", "m.a.o.", "f.d.", "t.ex", "bl.a", "inkl.", "exkl.", "jfr.",
    "ev.", "kl.", "nr.", "st.", "tel.", "s.", "f.n.", "t.v.", "o.d.", "ang.", "enl.", "mfl.", "mm.",
    "Bl.a.", "T.ex.", "P.g.a.", "Dvs.", "S.k.", "Fr.o.m.", "T.o.m.", "Ca.", "Ang.", "Enl.",
]
# Municipality names that are also ordinary Swedish words or common names (besides those the
# lemma table knows as words): tagged only with "kommun" context, in a list of municipalities,
# inside a sentence, or as a proper noun.
AMBIGUOUS_NAMES = {
    "Mark", "Ale", "Bjuv", "Habo", "Mora", "Sala", "Tranås", "Vara", "Ed", "Åre", "Boden",
    "Bräcke", "Hjo", "Lund", "Tierp", "Öckerö", "Berg", "Kil", "Eda", "Skara", "Lomma", "Nacka",
    "Trosa", "Säter", "Köping", "Ånge", "Klippan", "Grums", "Vindeln", "Ystad", "Gnosjö", "Sorsele",
    "Torsby", "Arvika", "Höör", "Rättvik", "Orsa", "Borås", "Malå", "Vansbro", "Laxå", "Storuman",
}
# Names that are everyday Swedish nouns or verbs: a bare "Mark är viktig …" may be the noun, so at a
# sentence start they need the tagger's PROPN or "kommun" context; other names only a finite verb after.
COMMON_WORD_NAMES = {"Mark", "Ale", "Berg", "Kil", "Ed", "Säter", "Boden", "Klippan", "Vindeln", "Skara", "Vara",
                     "Trosa", "Åre", "Ånge"}
VERB_LIKE_NAMES = COMMON_WORD_NAMES | {n + "s" for n in COMMON_WORD_NAMES}
KOMMUN_WORDS = {"kommun", "kommuns", "kommuner", "kommunerna", "stad", "stads", "Kommun", "Stad"}
LIST_WORDS = {",", "och", "samt", "eller", "resp.", "/"}
VERBAL = {"VERB", "AUX"}

if not Span.has_extension("kommunkod"):
    Span.set_extension("kommunkod", getter=lambda span: span.ent_id_ or None)


class ModelMissing(ExtractionError):
    """The trained Swedish model is not in extractors/nlp/model; `make model` trains it."""


def municipality_patterns() -> list[dict]:
    """Entity-ruler patterns for every running-text form of the 290 names, each with its kommunkod."""
    patterns = []
    for m in all_municipalities():
        forms = set(name_forms(m))
        gen = genitive(m.name)
        forms |= {f"{gen} kommuner", f"{gen} kommuns"}
        if m.name in STAD:
            forms.add(f"{gen} stads")
        for form in sorted(forms):
            patterns.append({"label": KOMMUN_LABEL, "pattern": form, "id": m.kommunkod})
    return patterns


@lru_cache(maxsize=1)
def ambiguous_names() -> frozenset[str]:
    """Names (and genitives) that are also ordinary words: the list above plus those the lemma table knows."""
    table = lemma_table()
    lowered = [m.name.lower() for m in all_municipalities()]
    words = table.known_lemmas(lowered) | {w for w in lowered if w in table or is_known_lemma(w)}
    names = set(AMBIGUOUS_NAMES) | {m.name for m in all_municipalities() if m.name.lower() in words}
    return frozenset(names | {n + "s" for n in names})


def _neighbour_is_municipality(doc: Doc, span: Span, others: list[Span]) -> bool:
    """True when the span stands in a list with another municipality ("Ale, Umeå och Kungälv")."""
    for other in others:
        if other is span:
            continue
        between = doc[min(span.end, other.end):max(span.start, other.start)]
        if 0 < len(between) <= 2 and all(t.text in LIST_WORDS for t in between):
            return True
    return False


def _is_ordinary_word(doc: Doc, span: Span, others: list[Span], tagged: bool) -> bool:
    if len(span) > 1 or span.text not in ambiguous_names():
        return False
    following = doc[span.end].text if span.end < len(doc) else ""
    if following in KOMMUN_WORDS or _neighbour_is_municipality(doc, span, others):
        return False
    token = span[0]
    sentence_start = token.is_sent_start or token.i == 0 or doc[token.i - 1].text in {"\"", "(", "–", "-", "•"}
    if sentence_start:  # the capital letter says nothing here: trust the tagger and the grammar
        if not tagged:
            return True
        following_token = doc[span.end] if span.end < len(doc) else None
        # a bare noun rarely opens a Swedish sentence as its subject ("Marken har …" takes the
        # definite form), so a name directly followed by a finite verb is the municipality
        subject_of_verb = (following_token is not None and following_token.pos_ in ("VERB", "AUX")
                           and token.pos_ != "VERB" and span.text not in VERB_LIKE_NAMES)
        return not (token.pos_ == "PROPN" or subject_of_verb)
    # capitalised inside a sentence: a name, unless the tagger reads it as a verb ("… att Vara …")
    # where no preposition stands before it ("i Vara" is a place)
    return tagged and token.pos_ in VERBAL and doc[token.i - 1].pos_ != "ADP"


@Language.component("municipality_filter")
def municipality_filter(doc: Doc) -> Doc:
    """Drop municipality entities that are ordinary words here ("Mark" as a noun, "Vara" as a verb)."""
    ents = doc.ents
    if not ents:
        return doc
    names = ambiguous_names()
    others = [e for e in ents if e.label_ == KOMMUN_LABEL]
    if not any(e.text in names for e in others):
        return doc
    tagged = doc.has_annotation("POS")
    kept = [e for e in ents if e.label_ != KOMMUN_LABEL or not _is_ordinary_word(doc, e, others, tagged)]
    if len(kept) != len(ents):
        doc.ents = kept
    return doc


@Language.component("lookup_lemmas")
def lookup_lemmas(doc: Doc) -> Doc:
    """Set token.lemma_ from the lookup table (with compound splitting), where no lemma is set."""
    for token in doc:
        if not token.lemma_:
            token.lemma_ = lemma_of(token.text)
    return doc


class MunicipalityMatcher:
    """Pipeline component: every running-text form of the 290 names as KOMMUN entities with their
    kommunkod. A PhraseMatcher over the tokenizer's output: built in about 0.05 s, where spaCy's entity
    ruler ran the whole statistical pipeline over each of its 1,800 patterns (about 1 s per process)."""

    def __init__(self, nlp: Language):
        self.matcher = PhraseMatcher(nlp.vocab)
        by_code: dict[str, list[str]] = {}
        for pattern in municipality_patterns():
            by_code.setdefault(pattern["id"], []).append(pattern["pattern"])
        for code, forms in by_code.items():
            self.matcher.add(code, list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc, as_spans=True)
        names = [e for e in doc.ents if e.label_ != KOMMUN_LABEL]  # the entity recogniser's, when it ran
        doc.spans[NAMES_KEY] = names
        found = [Span(doc, m.start, m.end, label=KOMMUN_LABEL, span_id=m.label_) for m in matches]
        # a name inside a person's name ("Eva Mora", "Per Lund") is no municipality: the recogniser says
        # PER and the tagger reads the other words of the name as proper nouns too
        people = [e for e in names if e.label_ == "PER" and len(e) > 1]
        found = [m for m in found if not any(p.start <= m.start and m.end <= p.end and len(p) > len(m)
                                             and all(t.pos_ == "PROPN" for t in p if not m.start <= t.i < m.end)
                                             for p in people)]
        doc.ents = filter_spans(found)
        return doc


@Language.factory("municipality_matcher")
def _make_municipality_matcher(nlp: Language, name: str) -> MunicipalityMatcher:
    return MunicipalityMatcher(nlp)


def _configure(nlp: Language) -> Language:
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    nlp.add_pipe("municipality_matcher")
    nlp.add_pipe("municipality_filter")
    nlp.add_pipe("lookup_lemmas")
    return nlp


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The trained Swedish pipeline with abbreviations, the municipality matcher and lookup-lemma backoff."""
    if not (MODEL_DIR / "meta.json").exists():
        raise ModelMissing(f"no Swedish model in {MODEL_DIR}; run `make model` to train it")
    nlp = spacy.load(MODEL_DIR, exclude=["senter"])
    return _configure(nlp)


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def _municipality_matcher(nlp: Language) -> PhraseMatcher:
    """The pipeline's own municipality matcher (built once with the pipeline)."""
    if "municipality_matcher" in nlp.pipe_names:
        return nlp.get_pipe("municipality_matcher").matcher
    return _standalone_matcher(nlp)


@lru_cache(maxsize=4)
def _standalone_matcher(nlp: Language) -> PhraseMatcher:
    return MunicipalityMatcher(nlp).matcher


def _set_municipality_ents(doc: Doc, nlp: Language) -> Doc:
    matches = _municipality_matcher(nlp)(doc, as_spans=True)
    spans = filter_spans([Span(doc, m.start, m.end, label=KOMMUN_LABEL, span_id=m.label_) for m in matches])
    doc.ents = spans
    return municipality_filter(doc)


def fast_doc(text: str, nlp: Language | None = None) -> Doc:
    """Tokens, rule-based sentences, lookup lemmas and municipality entities; no statistical tagger."""
    nlp = nlp or load_nlp()
    doc = _sentencizer()(nlp.make_doc(text))
    for token in doc:
        token.lemma_ = lemma_of(token.text)
    return _set_municipality_ents(doc, nlp)


def lemmatise(texts: Iterable[str]) -> list[str]:
    """Space-joined lookup lemmas of each text (tokenizer + lemma table only), for full-text search."""
    tokenizer = load_nlp().tokenizer
    results = []
    for doc in tokenizer.pipe(texts, batch_size=256):
        results.append(" ".join(lemma_of(t.text) for t in doc if not t.is_space and not t.is_punct))
    return results


TAGGED_CACHE_SIZE = 4096  # tagged sentences kept per pipeline and process (a few MB)
_tagged: "weakref.WeakKeyDictionary[Language, OrderedDict[str, Doc]]" = weakref.WeakKeyDictionary()


def tag_texts(texts: list[str], nlp: Language | None = None, batch_size: int = 64) -> list[Doc]:
    """The full pipeline's doc of each text, in order. A text this process tagged lately is not tagged
    again: the pipeline gives a text the same doc whatever it is batched with, and a report repeats
    wordings of reports before it (and its own). The docs are shared: read them, never change them."""
    nlp = nlp or load_nlp()
    cache = _tagged.setdefault(nlp, OrderedDict())
    missing = list(dict.fromkeys(text for text in texts if text not in cache))
    for text, doc in zip(missing, nlp.pipe(missing, batch_size=batch_size)):
        cache[text] = doc
    docs = []
    for text in texts:
        cache.move_to_end(text)
        docs.append(cache[text])
    while len(cache) > TAGGED_CACHE_SIZE:
        cache.popitem(last=False)
    return docs


def forget_tagged() -> None:
    """Empty the cache of tagged sentences (a benchmark times a report as if it came first)."""
    _tagged.clear()


def tag(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Run the full pipeline (POS, morphology, lemmas, municipalities) in batches."""
    processes = int(os.environ.get("KOMPASS_NLP_PROCESSES", "1"))
    yield from load_nlp().pipe(texts, batch_size=batch_size, n_process=processes)


