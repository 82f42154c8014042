"""Named regression fixtures of stated results (issue 19): documents that are no full report but state a
result the extractor once refused as "not a Kommunkompassen report". Written here, printed by real
producers; each builder checks that its PDF shows what it is named for and returns the extraction it must
give (`python -m tests.regressions.build one-page-summary-list total-in-a-sentence`).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from tests.regressions.kinds import _require, page_texts
from tests.stated_documents import print_pdf

AREAS_2010 = ("Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Politisk styrning och kontroll",
              "Ledarskap, ansvar och delegation", "Resultat och effektivitet", "Kommunen som arbetsgivare",
              "Verksamhetsutveckling", "Kommunen som samhällsbyggare")
ARVIKA = {1: 71, 2: 66, 3: 72, 4: 64, 5: 63, 6: 68, 7: 66, 8: 70}


def one_page_summary_list(pdf: Path) -> dict:
    """A one-page summary printed by LibreOffice: the areas as a list 'Område N: name – NN p', the total in a
    sentence beside the best municipality's total; no area table, no findings."""
    items = "".join(f"<p>Område {n}: {escape(name)} – {ARVIKA[n]} p</p>" for n, name in enumerate(AREAS_2010, 1))
    html = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Sammanfattning</title></head>
<body><h1>Sammanfattning – Arvika kommun i Kommunkompassen</h1>
<p>Under hösten 2013 granskades Arvika kommun med Kommunkompassen, SKL:s verktyg för att analysera hur en
kommun är organiserad och styrd.</p><h2>Resultat per område</h2>{items}
<p>Arvika kommun fick totalt 540 poäng av 800 möjliga. Bäst i landet hittills är Nacka, som fick 650 av 800.</p>
<p>Resultatet presenterades för kommunstyrelsen i januari 2014.</p></body></html>"""
    print_pdf(html, pdf, "libreoffice")
    text = " ".join(page_texts(pdf))
    _require(len(page_texts(pdf)) == 1 and "Område 8:" in text and "540 poäng av 800" in text,
             f"{pdf.name}: not a one-page list with the total in a sentence")
    return {"kommun": "Arvika", "kommunkod": "1784", "year": 2013, "framework": "2010-2019", "total": 540,
            "areas": [{"area": n, "score": ARVIKA[n], "median": None} for n in range(1, 9)], "findings": [],
            "expected_warnings_contain": ["650 is Nacka's total", "no area table: the result is read from what"]}


def total_in_a_sentence(pdf: Path) -> dict:
    """A news item printed by wkhtmltopdf: the total only, in a sentence beside the previous evaluation's
    total and a benchmark."""
    html = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter</title></head><body>
<p>Startsida &gt; Nyheter</p><h1>Bra betyg för Ockelbo i Kommunkompassen</h1>
<p>Ockelbo kommun fick 581 av 800 poäng i utvärderingen som gjordes i november 2021. Det är 63 poäng mer
än vid förra tillfället, då kommunen fick 518 poäng 2017.</p>
<p>Snittet bland de utvärderade kommunerna är 520 av 800.</p>
<p>Kommunkompassen tas fram av Sveriges Kommuner och Regioner.</p></body></html>"""
    print_pdf(html, pdf, "wkhtmltopdf")
    text = " ".join(page_texts(pdf))
    _require("581 av 800" in text and "Kommunkompassen" in text, f"{pdf.name}: the total is not in the text")
    return {"kommun": "Ockelbo", "kommunkod": "2101", "year": 2021, "total": 581, "areas": [], "findings": [],
            "expected_warnings_contain": ["only the total is stated", "520 is a reference total"]}


KINDS = {"one-page-summary-list": one_page_summary_list, "total-in-a-sentence": total_in_a_sentence}
