"""Good examples: cited municipalities versus plain mentions, own practices, and the seed gold check."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.good_examples import find_good_examples, good_examples_for_pdf_text
from extractors.document import read_document
from extractors.tagging import prose_lines
from extractors.prose import Section
from extractors.records import CITED, OWN

ROOT = Path(__file__).parent.parent
REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
EXPECTED = ROOT / "tests" / "fixtures" / "fagersta-2009.expected.json"
KOMMUN, KOMMUNKOD = "Hallstahammar", "1961"  # the evaluated municipality in the sentences below


def _sections(*paragraphs: str, area: int = 3) -> list[Section]:
    section = Section(area=area, heading=f"Område {area}")
    for page, paragraph in enumerate(paragraphs, start=4):
        section.add_line(paragraph, page, True)
    return [section]


def _cited(*paragraphs: str) -> set[str]:
    found = find_good_examples(_sections(*paragraphs), KOMMUN, KOMMUNKOD)
    return {e.kommun for e in found if e.kind == CITED}


@pytest.mark.parametrize("sentence, expected", [
    ("Bra exempel på kommuner med tydliga mål är Lidköping och Nacka.", {"Lidköping", "Nacka"}),
    ("Sigtuna kommun kan vara intressant att studera när det gäller e-tjänster.", {"Sigtuna"}),
    ("Kommunen kan redovisa resultat på webben, som Skövde kommun gör på startsidan.", {"Skövde"}),
    ("Så har man gjort t.ex. i Mora, där växeln mäter svarstider.", {"Mora"}),
    ("Medborgarpanelen i Vara kan vara ett inspirerande exempel att ta del av.", {"Vara"}),
    ("Linköping, Örebro och Luleå är några kommuner som har erfarenheter av brukarråd.",
     {"Linköping", "Örebro", "Luleå"}),
    ("Hudiksvalls kommuns ledarprogram kan vara givande att titta på.", {"Hudiksvall"}),
])
def test_cited_municipalities(sentence, expected):
    assert _cited(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Samarbete sker med Köping och Arboga inom räddningstjänsten.",
    "Näringslivsfrågorna sköts tillsammans med Surahammars kommun.",
    "Tåglinjen Stockholm – Västerås stannar i kommunen.",
    "Utvärderare var Anna Berg, Göteborgs stad, och Per Lund, Sveriges Kommuner och Landsting.",
    "Kommunen ligger mellan Västerås och Köping.",
    "Hallstahammar kan vara ett intressant exempel för andra kommuner.",
    "Mark är en bristvara, och exempel på det finns i hela länet.",
])
def test_plain_mentions_are_not_cited(sentence):
    assert _cited(sentence) == set()


@pytest.mark.parametrize("sentence, own", [
    ("Socialförvaltningen är ett gott exempel för övriga förvaltningar.", True),
    ("Det goda exemplet är skolans utvecklingsgrupper.", True),
    ("Hallstahammars aktiva förhållningssätt till information är ett gott exempel.", True),
    ("Granskarna fann inte många exempel på systematiskt arbete.", False),
    ("Jämförelser ger möjligheter att hitta goda exempel.", False),
    ("Kommunen har ingen tydlig styrmodell.", False),
])
def test_own_good_examples(sentence, own):
    found = find_good_examples(_sections(sentence), KOMMUN, KOMMUNKOD)
    owns = [e for e in found if e.kind == OWN]
    assert bool(owns) is own
    for example in owns:
        assert (example.kommun, example.kommunkod, example.area, example.page) == (KOMMUN, KOMMUNKOD, 3, 4)


def test_example_records_carry_area_page_and_sentence():
    found = find_good_examples(_sections("Inledning utan exempel.", "Kungsbacka kommun kan vara intressant att studera."),
                               KOMMUN, KOMMUNKOD)
    assert len(found) == 1
    example = found[0]
    assert (example.kind, example.kommun, example.kommunkod, example.area, example.page) == (
        CITED, "Kungsbacka", "1384", 3, 5)
    assert example.sentence == "Kungsbacka kommun kan vara intressant att studera."


def test_seed_report_matches_the_gold_cited_examples():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    gold = {(e["area"], e["kommun"]) for e in expected["good_examples_cited"]}
    found = good_examples_for_pdf_text(prose_lines(read_document(REPORT)), expected["kommun"], expected["kommunkod"])
    cited = {(e.area, e.kommun) for e in found if e.kind == CITED}
    hits = len(cited & gold)
    assert hits / len(cited) >= 0.95, f"precision: extra {sorted(cited - gold)}"
    assert hits / len(gold) >= 0.95, f"recall: missing {sorted(gold - cited)}"
    assert not {k for _, k in cited} & set(expected["not_good_examples"])
    codes = {e["kommun"]: e["kommunkod"] for e in expected["good_examples_cited"]}
    assert all(e.kommunkod == codes[e.kommun] for e in found if e.kind == CITED and e.kommun in codes)
    assert all(1 <= e.page <= 28 for e in found)
    assert any(e.kind == OWN and e.kommun == "Fagersta" for e in found)
