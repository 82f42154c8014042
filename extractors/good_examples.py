"""Good examples in a report's prose: other municipalities cited to learn from, and own practices.

A sentence that names another municipality *cites* it when a cue says "look there" (exempel,
studera, intressant, inspirerande, "som X gör", "så har man gjort t.ex. i X"); otherwise the name
is a plain mention (a cooperation partner, a place, a train line, an employer). The evaluated
municipality's own practice is a good example when the sentence calls something a good/positive
example without pointing elsewhere. Only candidate sentences are run through the tagger.
"""
from __future__ import annotations

from dataclasses import dataclass

import extractors.spacy_light  # noqa: F401  (before spaCy: leaves its command line out)
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.prose import Section
from extractors.records import CITED, OWN, GoodExample
from extractors.sentences import ProseSentence, prose_sentences
from extractors.swedish import KOMMUN_LABEL, ambiguous_names, load_nlp

# --- cue lists (lemmas) -------------------------------------------------------------------------
# A sentence with one of these lemmas points at the municipalities it names as examples.
CITING_LEMMAS = {
    "exempel", "förebild", "föredöme", "inspiration", "inspirerande", "studera", "intressant",
    "givande", "lärorik", "lärande", "inspirera", "studiebesök",
}
# Lemma sequences that cite ("ta del av", "lära av", "titta på").
CITING_PHRASES = [("ta", "del", "av"), ("lära", "av"), ("titta", "på"), ("hämta", "idé")]
# "Botkyrka, Kungsbacka och Uddevalla är några kommuner som har …": names presented as models
# (lemmas in order, at most PRESENTING_GAP words apart).
PRESENTING_SEQUENCES = [("vara", "kommun", "som"), ("vara", "kommun", "att", "studera")]
PRESENTING_GAP = 3
# "som X gör", "så har man gjort i X": a comparison with how another municipality does it.
COMPARISON_MARKERS = {"som", "så"}
COMPARISON_VERBS = {"göra"}
# "t.ex. i X", "exempelvis X": an example given right before the name.
EXAMPLE_ADVERBS = {"t.ex.", "exempelvis", "T.ex.", "Exempelvis"}
# Words that make a nearby name a partner or a place, not an example ("samarbete med Avesta").
PARTNER_LEMMAS = {
    "samarbete", "samarbeta", "samverkan", "samverka", "tillsammans", "mellan", "gemensam",
    "samordningsförbund", "förbund", "räddningstjänstförbund", "grannkommun", "kontakt",
}
PARTNER_WINDOW = 4
# An own good example: one of these nouns with a praising adjective.
EXAMPLE_NOUNS = {"exempel", "föredöme", "förebild"}
SELF_PRAISING_NOUNS = {"föredöme", "förebild"}
PRAISING_ADJECTIVES = {"god", "bra", "positiv", "utmärkt", "fin", "lysande", "gott", "goda", "intressant"}
NEGATIONS = {"inte", "ej", "ingen", "inget", "inga", "aldrig", "saknas", "sakna"}
# "hitta goda exempel": looking for examples is not being one.
SEARCH_VERBS = {"hitta", "söka", "leta", "finna", "sprida", "samla", "efterlysa"}
# "exempel på kommuner", "andra kommuner": the example lies elsewhere, not in the evaluated one.
ELSEWHERE_WORDS = {"kommuner", "kommunerna"}


@dataclass
class Candidate:
    """A sentence worth tagging: it names a municipality or holds a cue lemma."""

    sentence: ProseSentence
    names_others: bool


def _lemmas(span: Span | Doc) -> list[str]:
    return [t.lemma_.lower() for t in span]


def _has_phrase(lemmas: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(lemmas[i:i + size]) == phrase for i in range(len(lemmas) - size + 1))


def _others(doc: Doc | Span, kommunkod: str | None) -> list[Span]:
    return [e for e in doc.ents if e.label_ == KOMMUN_LABEL and e.ent_id_ != (kommunkod or "")]


def _has_gapped(lemmas: list[str], sequence: tuple[str, ...], gap: int) -> bool:
    """Do the lemmas hold the sequence in order with at most `gap` words between neighbours?"""
    for start, lemma in enumerate(lemmas):
        if lemma != sequence[0]:
            continue
        position, matched = start, 1
        while matched < len(sequence):
            window = lemmas[position + 1:position + 2 + gap]
            if sequence[matched] not in window:
                break
            position += 1 + window.index(sequence[matched])
            matched += 1
        if matched == len(sequence):
            return True
    return False


def _is_cue_sentence(lemmas: list[str]) -> bool:
    words = set(lemmas)
    return (bool(words & CITING_LEMMAS) or any(_has_phrase(lemmas, p) for p in CITING_PHRASES)
            or any(_has_gapped(lemmas, seq, PRESENTING_GAP) for seq in PRESENTING_SEQUENCES))


def _citing(doc: Doc) -> bool:
    """Does the sentence as a whole point at the municipalities it names?"""
    lemmas = _lemmas(doc)
    if _is_cue_sentence(lemmas):
        return True
    compares = bool(set(lemmas) & COMPARISON_MARKERS) and any(
        t.lemma_.lower() in COMPARISON_VERBS and t.pos_ in ("VERB", "AUX") for t in doc)
    return compares


def _list_start(doc: Doc, ent: Span, ents: list[Span]) -> int:
    """Start of the coordinated list of names the entity belongs to ("Avesta, Hedemora och Norberg")."""
    start = ent.start
    for other in sorted(ents, key=lambda e: -e.start):
        between = doc[other.end:start]
        if other.end <= start and len(between) <= 2 and all(t.text in {",", "och", "samt"} for t in between):
            start = other.start
    return start


def _is_partner(doc: Doc, ent: Span, ents: list[Span]) -> bool:
    start = _list_start(doc, ent, ents)
    window = doc[max(0, start - PARTNER_WINDOW):start]
    return any(t.lemma_.lower() in PARTNER_LEMMAS for t in window)


def _example_adverb_before(doc: Doc, ent: Span) -> bool:
    window = doc[max(0, ent.start - 3):ent.start]
    return any(t.text in EXAMPLE_ADVERBS for t in window)


def cited_municipalities(doc: Doc, kommunkod: str | None) -> list[Span]:
    """Entities of other municipalities that the (tagged) sentence cites as examples."""
    ents = _others(doc, kommunkod)
    sentence_cites = _citing(doc)
    return [e for e in ents
            if (sentence_cites or _example_adverb_before(doc, e)) and not _is_partner(doc, e, ents)]


def is_own_example(doc: Doc, kommunkod: str | None) -> bool:
    """Does the sentence call one of the evaluated municipality's practices a good example?"""
    if _others(doc, kommunkod):
        return False
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in EXAMPLE_NOUNS or token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        after = [t.text.lower() for t in doc[token.i + 1:token.i + 4]]
        if after[:1] == ["på"] and ELSEWHERE_WORDS & set(after[1:]):
            return False
        context = _lemmas(doc[max(0, token.i - 4):token.i])
        if set(context) & (NEGATIONS | SEARCH_VERBS):
            return False
        praised = any(t.lemma_.lower() in PRAISING_ADJECTIVES for t in doc if t.pos_ in ("ADJ", "ADV"))
        if lemma in SELF_PRAISING_NOUNS or praised:
            return True
    return False


def _candidates(sentences: list[ProseSentence], kommunkod: str | None) -> list[Candidate]:
    found = []
    for sentence in sentences:
        lemmas = _lemmas(sentence.span)
        names_others = bool(_others(sentence.span, kommunkod))
        mentions_example = bool(set(lemmas) & EXAMPLE_NOUNS)
        # a name that is also an ordinary word is only settled by the tagger: keep cue sentences with one
        maybe_names = _is_cue_sentence(lemmas) and any(t.text in ambiguous_names() for t in sentence.span)
        if names_others or mentions_example or maybe_names:
            found.append(Candidate(sentence, names_others))
    return found


def find_good_examples(sections: list[Section], kommun: str | None, kommunkod: str | None,
                       nlp: Language | None = None,
                       sentences: list[ProseSentence] | None = None) -> list[GoodExample]:
    """Cited and own good examples in the report's prose sections, with area and page.

    Pass `sentences` (from `prose_sentences`) to reuse a split already made for sentence records.
    """
    nlp = nlp or load_nlp()
    if sentences is None:
        sentences = list(prose_sentences(sections, nlp))
    candidates = _candidates(sentences, kommunkod)
    texts = [c.sentence.span.text for c in candidates]
    examples: list[GoodExample] = []
    seen: set[tuple] = set()
    for candidate, doc in zip(candidates, nlp.pipe(texts, batch_size=64)):
        s = candidate.sentence
        found = [(CITED, e.text, e.ent_id_) for e in cited_municipalities(doc, kommunkod)]
        if not found and kommun and is_own_example(doc, kommunkod):
            found = [(OWN, kommun, kommunkod)]
        for kind, name, code in found:
            display = _display_name(code) or name
            key = (s.section.area, kind, code or display, s.text)
            if key not in seen:
                seen.add(key)
                examples.append(GoodExample(area=s.section.area, kind=kind, kommun=display,
                                            kommunkod=code or None, sentence=s.text, page=s.page))
    return examples


def _display_name(code: str | None) -> str | None:
    from extractors.municipalities import all_municipalities

    return next((m.name for m in all_municipalities() if m.kommunkod == code), None)


def good_examples_for_pdf_text(lines_by_page: list[list[str]], kommun: str | None,
                               kommunkod: str | None) -> list[GoodExample]:
    """Good examples from the lines of each page (`tagging.prose_lines` of a read document)."""
    from extractors.prose import prose_sections

    return find_good_examples(prose_sections(lines_by_page), kommun, kommunkod)
