"""The municipality a text is about, found wherever it is named, and the Nordic municipalities beside Sweden's.

A subject is voted for by where it is named: the title and main heading, the site's own name
(grastorp.se), sentences that make it the subject of the evaluation or the result ("Grästorps kommun
utvärderades", "en utvärdering av Grästorps kommun", "Totalt fick Grästorp", "analys av …"; wordings in
`extractors/data/place_words.yml`, each with a weight), the postal town of an address ("Box 123, 467 80
Grästorp"), and the source's name; mere mentions in the text only break ties. Finland's Swedish-speaking
and bilingual municipalities and the larger Norwegian and Danish ones (`nordic_municipalities.csv`) are
recognised with their country and national code; their `kommunkod` (the Swedish code) is None.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from extractors import gazetteer
from extractors.municipalities import Municipality, all_municipalities, lookup, name_forms

NORDIC_FILE = gazetteer.DATA_DIR / "nordic_municipalities.csv"
WORDS_FILE = Path(__file__).parent / "data" / "place_words.yml"
_NAME = r"[A-ZÅÄÖÆØ][a-zåäöéüæø]+(?:[- ][A-ZÅÄÖÆØ][a-zåäöéüæø]+)?"
_CAPITALISED = re.compile(rf"\b{_NAME}\b")
_POSTAL = re.compile(rf"(?<![\d-])\d{{3}} ?\d{{2}}\s+({_NAME})\b")
_SUFFIX = r"(?:\s+(?:kommun|stad|kommune|kunta|kaupunki))?"


Place = Municipality | gazetteer.Place


@lru_cache(maxsize=1)
def nordic_municipalities() -> tuple[gazetteer.Place, ...]:
    """Finland's, Norway's and Denmark's municipalities of the list (`gazetteer.read_list`)."""
    return tuple(place for place, _ in gazetteer.read_list(NORDIC_FILE))


def lookup_place(name: str, nordic: bool = True) -> Place | None:
    """A Swedish municipality by any name form, else (with `nordic`) a Nordic one."""
    text = " ".join((name or "").split())
    found = lookup(text)
    if found is None and nordic and text:
        found = gazetteer.lookup_listed(text, [NORDIC_FILE])
    return found


def key(place: Place) -> tuple[str, str]:
    return (place.country, place.code)


@lru_cache(maxsize=1)
def _subject_patterns() -> tuple[tuple[re.Pattern, int], ...]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"subject_sentences", "country_words"}
    if unknown:
        raise ValueError(f"{WORDS_FILE.name}: unknown key(s) {sorted(unknown)}")
    patterns = []
    for wording, weight in data["subject_sentences"]:
        before, _, after = wording.partition("{kommun}")
        regex = rf"(?i:\b{_phrase(before)})\s+" if before.strip() else r"\b"
        regex += rf"(?P<name>{_NAME}{_SUFFIX})"
        regex += rf"\s+(?i:{_phrase(after)})\b" if after.strip() else ""
        patterns.append((re.compile(regex), int(weight)))
    return tuple(patterns)


@lru_cache(maxsize=1)
def _country_words() -> re.Pattern:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8")) or {}
    words = [w for group in data.get("country_words", {}).values() for w in group]
    return re.compile(rf"^\s*(?:(?:kommun|stad|kommune)\b|,?\s*(?:{'|'.join(map(re.escape, words))})\b)", re.I)


def _phrase(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def _place_of(match_text: str, nordic: bool = True) -> Place | None:
    found = lookup_place(match_text, nordic)
    if found is None:
        bare = re.sub(r"\s+(?:kommun|stad|kommune|kunta|kaupunki)$", "", match_text, flags=re.I)
        parts = (lookup_place(word, nordic) for word in re.split(r"[- ]", bare))
        found = lookup_place(bare, nordic) or next((p for p in parts if p), None)
    return found


def mentioned(text: str) -> list[Place]:
    """Municipalities a text names by a capitalised name form (`Grästorp`, `Grästorps kommun`); a Nordic one
    only with its municipality word or country beside it ("Pargas stad", "Larvik i Norge")."""
    found: list[Place] = []
    for match in _CAPITALISED.finditer(text or ""):
        whole = lookup(match.group(0))
        parts = [whole] if whole else [lookup(part) for part in re.split(r"[- ]", match.group(0))]
        swedish = [m for m in parts if m]
        if swedish:
            found.extend(swedish)
            continue
        nordic = gazetteer.lookup_listed(match.group(0), [NORDIC_FILE])
        if nordic and _country_words().match(text[match.end():match.end() + 30]):
            found.append(nordic)
    return found


def nearest_named(text: str) -> Place | None:
    """The municipality named last in a clause (the one a number after it belongs to), or None."""
    places = mentioned(text)
    return places[-1] if places else None


def subject_sentences(text: str) -> list[tuple[Place, int]]:
    """Municipalities a text names as the subject of the evaluation or the result, with the wording's weight."""
    found = []
    for pattern, weight in _subject_patterns():
        for match in pattern.finditer(text or ""):
            place = _place_of(match["name"])
            if place is not None:
                found.append((place, weight))
    return found


def result_subjects(text: str) -> list[Place]:
    """Municipalities named nearest before a stated total ("Nora … fick 512 av 800 poäng"): the subjects of
    results, whoever else the text names."""
    from extractors.statements import sentences, strong_totals

    found = []
    for line in (text or "").splitlines():
        for sentence in sentences(line):
            for start in strong_totals(sentence):
                if (place := nearest_named(sentence[:start])) is not None:
                    found.append(place)
    return found


def postal_towns(text: str) -> list[Place]:
    """Municipalities named as the postal town of an address ("467 80 Grästorp")."""
    return [p for m in _POSTAL.finditer(text or "") if (p := lookup_place(m.group(1), nordic=False)) is not None]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)))


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Place]:
    found: dict[str, Place] = {_fold(m.name): m for m in nordic_municipalities()}
    found.update({_fold(n): m for m in nordic_municipalities() for n in m.other_names})
    found.update({_fold(m.name): m for m in all_municipalities()})
    return found


def host_municipality(url: str) -> Place | None:
    """The municipality whose name is the site's name: grastorp.se → Grästorp, www.hoganas.se → Höganäs,
    pargas.fi → Pargas (also parainen.fi)."""
    labels = urlsplit(url or "").hostname or ""
    parts = [p for p in labels.split(".") if p not in ("www", "se", "com", "nu", "org", "fi", "no", "dk", "ax")]
    for part in parts[-1:]:
        found = _by_folded_name().get(_fold(part.removesuffix("kommun").removesuffix("stad").removesuffix("kommune")))
        if found:
            return found
    return None


def find_subject(title: str = "", headings: list[str] = (), lines: list[str] = (), url: str = "",
                 hint: str | None = None) -> Place | None:
    """The municipality a document is about. Strong votes: named in the title or main heading (3), the site's
    name (4), a subject sentence (its weight), an address's postal town (2), the source's name (2), the
    municipality named before a stated total (3); mentions in the text (1 each, up to 200) only break ties.
    None when nothing strong names one, or on a tie."""
    votes: Counter = Counter()
    strong: set = set()
    by_key: dict = {}

    def vote(place: Place | None, weight: int, is_strong: bool = True) -> None:
        if place is not None:
            votes[key(place)] += weight
            by_key[key(place)] = place
            if is_strong:
                strong.add(key(place))

    for text in (title, *headings[:1]):
        for place in mentioned(text):
            vote(place, 3)
        for place, weight in subject_sentences(text):
            vote(place, weight)
    vote(host_municipality(url) if url else None, 4)
    vote(lookup_place(hint) if hint else None, 2)
    body = "\n".join(lines)
    seen_subjects: set = set()
    for place, weight in subject_sentences(body):
        if key(place) not in seen_subjects:  # a wording counts once per municipality
            vote(place, weight)
            seen_subjects.add(key(place))
    for place in dict.fromkeys(postal_towns(body)):
        vote(place, 2)
    for place in dict.fromkeys(result_subjects(body)):
        vote(place, 3)
    for place in mentioned(body)[:200]:
        vote(place, 1, is_strong=False)
    ranked = [(k, n) for k, n in votes.most_common() if k in strong]
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return by_key[ranked[0][0]]


def forms_of(place: Place | None) -> set[str]:
    """Every surface form of a place's name (to recognise its column or its sentences)."""
    if place is None:
        return set()
    if isinstance(place, Municipality):
        return set(name_forms(place))
    return {form for name in (place.name, *place.other_names) for form in (name, name + "s", f"{name} stad",
                                                                           f"{name} kommun")}
