"""Good examples in a report's prose: other municipalities cited to learn from, and own practices.

A sentence that names another municipality *cites* it when a cue says "look there"; otherwise the
name is a plain mention (a cooperation partner, a place, a train line, an employer). The cues are
data (extractors/data/good_examples.yml, read by extractors/good_example_words.py):

- sentence cues: a word or phrase anywhere in the sentence (exempel, studera, förebild, "ta del av", …),
  "A, B och C är några kommuner som …", "som X gör";
- cues right before a name or a list of names: "som i X", "jämför med X", "inspiration från X",
  "hämtas från X", "i likhet med X", "t.ex. X"; "från", "hos", "i" only where the sentence speaks
  of a practice (a system, a model, an approach …);
- the municipality as the subject: "X kommun har infört …", "I X har man …", "Umeå, Luleå och Piteå
  har …" (not "ligger", "gränsar", "ingår" …, and not with a partner word after it);
- a genitive before a practice: "Mölndals stads arbete med …", "Laholms och Varbergs modell".

A name in a list ("Umeå, Luleå och Piteå") shares its list's fate; a list that holds the evaluated
municipality, or follows a partner word ("samarbete med", "tillsammans med", "jämfört med"), is no
example. Names are the gazetteer's (extractors/gazetteer.py): Sweden's municipalities tagged in the
text, the statistical entity recogniser's places and organisations that the gazetteer knows, and
"X i Norge/Finland/Danmark", recorded with its country. The evaluated municipality's own practice is
a good example when the sentence calls something a good example without pointing elsewhere.

Every example keeps its sentence, the sentences before and after it, the heading of its paragraph,
its area, its sentence number (as in the sentence records) and a topic: the lemmas of the content
words of the three sentences. Only candidate sentences (and examples' neighbours) are tagged.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import extractors.spacy_light  # noqa: F401  (before spaCy: leaves its command line out)
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractors.gazetteer import Place, lookup_place, place_in_country
from extractors.good_example_words import GoodExampleWords, good_example_words
from extractors.prose import Section
from extractors.records import CITED, OWN, GoodExample
from extractors.sentences import ProseSentence, is_heading, prose_sentences
from extractors.swedish import KOMMUN_LABEL, NAMES_KEY, ambiguous_names, is_known_lemma, load_nlp, tag_texts

LIST_WORDS = {",", "och", "samt", "eller", "/", "resp.", "&"}
BEFORE_WINDOW = 8
GENITIVE_SUFFIXES = ("s", "s kommun", "s stad")
SUBJECT_VERB_LOOKAHEAD = 4
NAME_LABELS = {"LOC", "ORG", "GPE"}
PHRASE_GAP = 1  # words that may stand inside a cue phrase ("lära mycket av")
APPOSITION_MAX = 10  # "Årjäng, som har en liknande befolkningsstruktur, har valt …": words skipped


@dataclass
class Mention:
    """A municipality named in a tagged sentence: tokens [start, end) and the place."""

    start: int
    end: int
    place: Place
    genitive: bool = False

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class NameList:
    """Mentions written as one list ("Umeå, Luleå och Piteå"); `end` after a trailing "i Norge"."""

    mentions: list[Mention]
    end: int

    @property
    def start(self) -> int:
        return self.mentions[0].start


def _words(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _lemmas(span: Span | Doc) -> list[str]:
    return [t.lemma_.lower() for t in span]


def _matches(doc: Doc, end: int, sequence: tuple[str, ...], gap: int, lowest: int = 0) -> bool:
    """Does `sequence` stand in the tokens before `end`, its last word at most `gap` words before `end`
    and at most `gap` words between its words?"""
    if not sequence:
        return True
    last = sequence[-1]
    for position in range(end - 1, max(lowest, end - 1 - gap) - 1, -1):
        if last in _words(doc[position]) and _matches(doc, position, sequence[:-1], gap, lowest):
            return True
    return False


def _has_gapped(doc: Doc | Span, sequence: tuple[str, ...], gap: int,
                tokens: list[set[str]] | None = None) -> bool:
    """Do the words (lemma or written form) hold the sequence in order, at most `gap` words between neighbours?"""
    tokens = [_words(t) for t in doc] if tokens is None else tokens
    for start, first in enumerate(tokens):
        if sequence[0] not in first:
            continue
        position, matched = start, 1
        while matched < len(sequence):
            window = tokens[position + 1:position + 2 + gap]
            step = next((k for k, w in enumerate(window) if sequence[matched] in w), None)
            if step is None:
                break
            position += 1 + step
            matched += 1
        if matched == len(sequence):
            return True
    return False


def _is_cue_sentence(doc: Doc | Span, words: GoodExampleWords) -> bool:
    cues = words.sentence_cues
    tokens = [_words(t) for t in doc]
    present = set().union(*tokens) if tokens else set()
    lemmas, negations = set(cues.lemmas), set(cues.negations)
    if present & lemmas:
        for i, token in enumerate(tokens):
            if token & lemmas and not any(t & negations for t in tokens[max(0, i - 2):i]):
                return True
    return (any(_has_gapped(doc, p, PHRASE_GAP, tokens) for p in cues.phrases if present.issuperset(p))
            or any(_has_gapped(doc, seq, cues.presenting_gap, tokens) for seq in cues.presenting
                   if present.issuperset(seq)))


def _compares(doc: Doc, words: GoodExampleWords) -> bool:
    """ "som X gör", "så har man gjort i X": a comparison marker and the verb "göra"."""
    return bool({t.lower_ for t in doc} & set(words.comparison.markers)) and any(
        t.lemma_.lower() in words.comparison.verbs and t.pos_ in ("VERB", "AUX") for t in doc)


# --- names ----------------------------------------------------------------------------------------

def _country_after(doc: Doc, end: int, words: GoodExampleWords) -> str | None:
    """The country code of "i Norge" ("på Åland") right after token `end`, or None."""
    if end + 1 < len(doc) and doc[end].lower_ in ("i", "på"):
        return words.country_code(doc[end + 1].text)
    return None


def _capitalised_name_before(doc: Doc, end: int) -> tuple[int, int] | None:
    """The capitalised word(s) ending at `end` ("Larvik", "Kristiansand"), not a sentence's first word
    unless it is a proper noun."""
    start = end
    while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
        start -= 1
    # a capitalised first word of the sentence that is an ordinary word ("Även", "I") is no part of the name
    while start < end and start == 0 and doc[start].pos_ != "PROPN" and is_known_lemma(doc[start].lower_):
        start += 1
    return (start, end) if start < end else None


def mentions(doc: Doc, kommunkod: str | None, words: GoodExampleWords | None = None) -> list[Mention]:
    """Every municipality named in the (tagged) sentence, the evaluated one included, in text order."""
    words = words or good_example_words()
    found: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ == KOMMUN_LABEL:
            place = lookup_place(ent.text) or Place(ent.text, "SE", ent.ent_id_ or None)
            if ent.ent_id_ and place.code != ent.ent_id_:
                place = Place(place.name, "SE", ent.ent_id_)
            found.append(Mention(ent.start, ent.end, place, _is_genitive(ent)))
    for name in doc.spans[NAMES_KEY] if NAMES_KEY in doc.spans else []:
        if name.label_ not in NAME_LABELS or any(m.start < name.end and name.start < m.end for m in found):
            continue
        country = _country_after(doc, name.end, words)
        place = place_in_country(name.text, country) if country else lookup_place(name.text)
        if place is not None:
            found.append(Mention(name.start, name.end, place, name.text.endswith("s")))
    for token in doc:  # "Larvik i Norge": the name before a country
        country = _country_after(doc, token.i, words) if token.i > 0 else None
        if not country:
            continue
        bounds = _capitalised_name_before(doc, token.i)
        if bounds is None:
            continue
        found = [m for m in found if not (m.start >= bounds[0] and m.end <= bounds[1])]
        if not any(m.start < bounds[1] and bounds[0] < m.end for m in found):
            found.append(Mention(bounds[0], bounds[1], place_in_country(doc[bounds[0]:bounds[1]].text, country)))
    return sorted(found, key=lambda m: m.start)


def _is_genitive(ent: Span) -> bool:
    text = ent.text
    return text.endswith(("s kommuns", "s stads", "kommuns", "stads")) or (
        text.endswith("s") and not text.endswith(("kommun", "stad")) and len(ent) == 1
        and lookup_place(text[:-1]) is not None)


def name_lists(doc: Doc, found: list[Mention], words: GoodExampleWords) -> list[NameList]:
    """Mentions joined into lists by commas and "och" (a trailing "i Norge" belongs to its name)."""
    lists: list[NameList] = []
    for mention in found:
        end = mention.end + (2 if _country_after(doc, mention.end, words) else 0)
        if lists:
            between = doc[lists[-1].end:mention.start]
            joined = [t for t in between if t.lower_ not in ("i", "även", "både")]
            if len(between) <= 3 and joined and all(t.text in LIST_WORDS for t in joined):
                lists[-1].mentions.append(mention)
                lists[-1].end = end
                continue
            if len(between) == 0:
                lists[-1].mentions.append(mention)
                lists[-1].end = end
                continue
        lists.append(NameList([mention], end))
    return lists


# --- cues -----------------------------------------------------------------------------------------

def _practice_in(doc: Doc, words: GoodExampleWords) -> bool:
    practice = set(words.practice_nouns)
    return any(t.lemma_.lower() in practice or t.lower_ in practice for t in doc if t.pos_ not in ("VERB", "AUX"))


def _is_partner(doc: Doc, names: NameList, words: GoodExampleWords) -> bool:
    window = doc[max(0, names.start - words.partners.window):names.start]
    partners = set(words.partners.lemmas)
    return any(_words(t) & partners for t in window)


def _pointed_at(doc: Doc, names: NameList, words: GoodExampleWords, practice: bool) -> bool:
    """A cue right before the list ("som i", "jämför med", "inspiration från", "t.ex."); "från X", "i X",
    "hos X" only where the sentence speaks of a practice."""
    before = words.before_name
    lowest = max(0, names.start - BEFORE_WINDOW)
    sequences = before.sequences + (before.with_practice if practice else ())
    return any(_matches(doc, names.start, sequence, before.gap, lowest) for sequence in sequences)


def _local_comparison(doc: Doc, names: NameList, words: GoodExampleWords) -> bool:
    """ "som Piteå kommun använder", "liksom Östersunds kommun": a marker before, a verb after."""
    if names.start == 0 or doc[names.start - 1].lower_ not in words.comparison.markers:
        return False
    following = doc[names.end] if names.end < len(doc) else None
    return following is not None and following.pos_ in ("VERB", "AUX")


def _finite_verb(token: Token) -> bool:
    """A finite verb: so tagged, or a present or past form of a verb lemma the tagger misread
    ("genomför" of "genomföra", "arbetar" of "arbeta")."""
    if token.pos_ in ("VERB", "AUX"):
        forms = token.morph.get("VerbForm")
        return not forms or "Fin" in forms
    text, lemma = token.lower_, token.lemma_.lower()
    return token.is_alpha and lemma != text and lemma.endswith("a") and (
        text + "a" == lemma or text == lemma + "r" or text in (lemma[:-1] + "de", lemma + "de", lemma[:-1] + "te"))


def _is_subject(doc: Doc, names: NameList, words: GoodExampleWords) -> bool:
    """The list opens the sentence (after an opener such as "Även", "I") before a finite verb that is
    not one of place or membership, with no partner word after it."""
    subject = words.subject
    openers = set(subject.openers)
    if not all(t.lower_ in openers or t.is_punct for t in doc[:names.start]):
        return False
    after = doc[names.end:]
    if len(after) and after[0].text == ",":  # an apposition between subject and verb
        close = next((t.i for t in after[1:APPOSITION_MAX + 1] if t.text == ","), None)
        after = doc[close + 1:] if close is not None else after
    if not len(after) or not _finite_verb(after[0]):
        return False
    not_citing = set(subject.verbs_not_citing)
    if any(_words(t) & not_citing for t in after[:SUBJECT_VERB_LOOKAHEAD] if t.pos_ in ("VERB", "AUX") or t is after[0]):
        return False
    partners = set(subject.partner_after)
    return not any(_words(t) & partners for t in after)


def _genitive_practice(doc: Doc, names: NameList, words: GoodExampleWords) -> bool:
    """ "Mölndals stads arbete med …": the last name a genitive before a noun of practice."""
    if not names.mentions[-1].genitive or names.end >= len(doc):
        return False
    following = doc[names.end:names.end + 2]
    practice = set(words.practice_nouns)
    return any(t.lemma_.lower() in practice or t.lower_ in practice for t in following)


def _example_adverb_before(doc: Doc, names: NameList, words: GoodExampleWords) -> bool:
    window = doc[max(0, names.start - 3):names.start]
    return any(t.text in words.example_adverbs for t in window)


def cited_mentions(doc: Doc, kommunkod: str | None, words: GoodExampleWords | None = None) -> list[Mention]:
    """Mentions of other municipalities that the (tagged) sentence cites as examples."""
    words = words or good_example_words()
    found = mentions(doc, kommunkod, words)
    if not found:
        return []
    sentence_cites = _is_cue_sentence(doc, words) or _compares(doc, words)
    practice = _practice_in(doc, words)
    cited: list[Mention] = []
    for names in name_lists(doc, found, words):
        if kommunkod and any(m.place.kommunkod == kommunkod for m in names.mentions):
            continue  # the evaluated municipality in the list: partners, or its own practice
        if _is_partner(doc, names, words):
            continue
        if (sentence_cites or _pointed_at(doc, names, words, practice)
                or _example_adverb_before(doc, names, words) or _local_comparison(doc, names, words)
                or _is_subject(doc, names, words) or _genitive_practice(doc, names, words)):
            cited.extend(names.mentions)
    return cited


def cited_municipalities(doc: Doc, kommunkod: str | None) -> list[Span]:
    """Spans of the municipalities that the (tagged) sentence cites as examples."""
    return [doc[m.start:m.end] for m in cited_mentions(doc, kommunkod)]


def is_own_example(doc: Doc, kommunkod: str | None, words: GoodExampleWords | None = None) -> bool:
    """Does the sentence call one of the evaluated municipality's practices a good example?"""
    words = words or good_example_words()
    own = words.own
    if any(m.place.kommunkod is None or m.place.kommunkod != kommunkod for m in mentions(doc, kommunkod, words)):
        return False
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in own.example_nouns or token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        after = [t.text.lower() for t in doc[token.i + 1:token.i + 4]]
        if after[:1] == ["på"] and set(own.elsewhere_words) & set(after[1:]):
            return False
        context = _lemmas(doc[max(0, token.i - 4):token.i])
        if set(context) & (set(own.negations) | set(own.search_verbs)):
            return False
        praised = any(t.lemma_.lower() in own.praising_adjectives for t in doc if t.pos_ in ("ADJ", "ADV"))
        if lemma in own.self_praising_nouns or praised:
            return True
    return False


# --- the report -----------------------------------------------------------------------------------

@dataclass
class Candidate:
    """A sentence worth tagging: it names a municipality, a country, or holds a cue."""

    index: int
    sentence: ProseSentence


@lru_cache(maxsize=4)
def _candidate_words(words: GoodExampleWords) -> tuple[frozenset[str], frozenset[str]]:
    """The own-example nouns, and the country names, as sets."""
    return frozenset(words.own.example_nouns), frozenset(c.name for c in words.countries)


def _is_candidate(sentence: ProseSentence, kommunkod: str | None, words: GoodExampleWords) -> bool:
    span = sentence.span
    if any(e.label_ == KOMMUN_LABEL and e.ent_id_ != (kommunkod or "") for e in span.ents):
        return True
    example_nouns, countries = _candidate_words(words)
    tokens = list(span)
    if any(t.lemma_.lower() in example_nouns or t.lower_ in example_nouns for t in tokens):
        return True
    written = {t.text for t in tokens}
    if not written.isdisjoint(countries):
        return True
    if not written.isdisjoint(ambiguous_names()):  # "Tierp har …": settled only by the tagger
        return True
    # a name that is also an ordinary word, or one only the entity recogniser knows: cue sentences
    return _is_cue_sentence(span, words) and any(t.text[:1].isupper() and t.i > span.start for t in span)


def _numbered(sentences: list[ProseSentence]) -> tuple[list[int | None], dict[int, tuple[str, str, str]]]:
    """Each sentence's number among the sentence records (headings have none), and for each its
    (heading, sentence before, sentence after) within its section."""
    numbers: list[int | None] = []
    count = 0
    heads = [is_heading(s) for s in sentences]
    for head in heads:
        if head:
            numbers.append(None)
        else:
            count += 1
            numbers.append(count)
    context: dict[int, tuple[str, str, str]] = {}
    heading = ""
    for i, sentence in enumerate(sentences):
        if i == 0 or sentence.section is not sentences[i - 1].section:
            heading = sentence.section.heading
        if heads[i]:
            heading = sentence.text
            continue
        before = next((sentences[j].text for j in range(i - 1, -1, -1)
                       if sentences[j].section is sentence.section and not heads[j]), "")
        after = next((sentences[j].text for j in range(i + 1, len(sentences))
                      if sentences[j].section is sentence.section and not heads[j]), "")
        context[i] = (heading, before, after)
    return numbers, context


def topic_lemmas(docs: list[Doc], words: GoodExampleWords | None = None) -> str:
    """Space-joined lemmas of the content words of the docs (each once, in order), names left out."""
    words = words or good_example_words()
    keep, stop = set(words.topic.parts_of_speech), set(words.topic.stop_lemmas)
    seen: dict[str, None] = {}
    for doc in docs:
        named = {i for e in doc.ents for i in range(e.start, e.end)}
        for token in doc:
            lemma = token.lemma_.lower()
            if (token.pos_ in keep and token.i not in named and token.is_alpha and len(lemma) > 2
                    and lemma not in stop):
                seen.setdefault(lemma, None)
    return " ".join(seen)


def find_good_examples(sections: list[Section], kommun: str | None, kommunkod: str | None,
                       nlp: Language | None = None,
                       sentences: list[ProseSentence] | None = None) -> list[GoodExample]:
    """Cited and own good examples in the report's prose sections, with area, page and context.

    Pass `sentences` (from `prose_sentences`) to reuse a split already made for sentence records.
    """
    nlp = nlp or load_nlp()
    words = good_example_words()
    if sentences is None:
        sentences = list(prose_sentences(sections, nlp))
    numbers, context = _numbered(sentences)
    candidates = [Candidate(i, s) for i, s in enumerate(sentences)
                  if numbers[i] is not None and _is_candidate(s, kommunkod, words)]
    found: list[tuple[int, str, Place]] = []
    tagged: dict[str, Doc] = {}
    for candidate, doc in zip(candidates, tag_texts([c.sentence.span.text for c in candidates], nlp)):
        tagged[candidate.sentence.text] = doc
        places = [(CITED, m.place) for m in cited_mentions(doc, kommunkod, words)]
        if not places and kommun and is_own_example(doc, kommunkod, words):
            places = [(OWN, Place(kommun, "SE", kommunkod))]
        found += [(candidate.index, kind, place) for kind, place in places]
    neighbours = sorted({t for i, _, _ in found for t in context[i][1:] if t and t not in tagged})
    tagged.update(zip(neighbours, tag_texts(neighbours, nlp)))  # each text with its doc
    examples: list[GoodExample] = []
    seen: set[tuple] = set()
    for index, kind, place in found:
        s = sentences[index]
        display = _display_name(place.kommunkod) or place.name
        key = (s.section.area, kind, place.country, place.code or display, s.text)
        if key in seen:
            continue
        seen.add(key)
        heading, before, after = context[index]
        docs = [tagged[t] for t in (before, s.text, after) if t and t in tagged]
        examples.append(GoodExample(
            area=s.section.area, kind=kind, kommun=display, kommunkod=place.kommunkod, sentence=s.text,
            page=s.page, country=place.country, code=place.code, sentence_no=numbers[index],
            sentence_before=before, sentence_after=after, heading=heading, topic=topic_lemmas(docs, words)))
    return examples


def _display_name(code: str | None) -> str | None:
    from extractors.municipalities import all_municipalities

    return next((m.name for m in all_municipalities() if m.kommunkod == code), None) if code else None


def good_examples_for_pdf_text(lines_by_page: list[list[str]], kommun: str | None,
                               kommunkod: str | None) -> list[GoodExample]:
    """Good examples from the lines of each page (`tagging.prose_lines` of a read document)."""
    from extractors.prose import prose_sections

    return find_good_examples(prose_sections(lines_by_page), kommun, kommunkod)


__all__ = ["ambiguous_names", "cited_municipalities", "find_good_examples", "is_own_example", "mentions"]
