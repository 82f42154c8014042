"""Wordings kept on the test side: the area names as the three framework generations print them, and
variants a report may use that are NOT in `extractors/data/vocabulary.yml` (the test
`test_unseen_wording_is_not_in_the_vocabulary` keeps them so).

Nothing here is read from the extractor's vocabulary: the canonical names are written out as the
published frameworks name them, so a test that uses them checks the vocabulary too.
"""
from __future__ import annotations

G2002, G2010, G2020 = "2002-2009", "2010-2019", "2020-"
GENERATIONS = (G2002, G2010, G2020)

# The names each generation's reports print (what the extraction reports as the area's name).
CANONICAL: dict[str, tuple[str, ...]] = {
    G2002: ("Offentlighet och demokratisk kontroll", "Tillgänglighet och brukarorientering",
            "Tydlighet i samspelet mellan politiker och tjänstemän", "Ledning, decentralisering och delegering",
            "Kontroll och rapportering", "Personalpolitik", "Verksamhetsutveckling",
            "Kommunen som samhällsbyggare"),
    G2010: ("Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Politisk styrning och kontroll",
            "Ledarskap, ansvar och delegation", "Resultat och effektivitet", "Kommunen som arbetsgivare",
            "Verksamhetsutveckling", "Kommunen som samhällsbyggare"),
    G2020: ("Samspel mellan förtroendevalda och medborgare", "Samhällsutveckling", "Styrning och kontroll",
            "Effektivitet", "Brukarens fokus", "Kvalitetsutveckling", "Arbetsliv",
            "Chefs- och ledarskap samt medarbetarskap"),
}

# Variants of the area names a report writer plausibly prints: '&' for 'och', definite forms, a
# parenthesis, a comma list. None of them is a name or variant in vocabulary.yml.
UNSEEN_AREA_NAMES: dict[str, tuple[str, ...]] = {
    G2002: ("Offentlighet & demokratisk kontroll", "Tillgänglighet & brukarorientering",
            "Tydlighet i samspelet mellan politiker & tjänstemän", "Ledning, decentralisering & delegering",
            "Kontroll & rapportering", "Personalpolitiken", "Verksamhetsutvecklingen",
            "Kommunen som samhällsbyggaren"),
    G2010: ("Offentlighet & demokrati", "Tillgänglighet & brukarorientering", "Politisk styrning & kontroll",
            "Ledarskap, ansvar & delegation", "Resultat & effektivitet", "Kommunen som arbetsgivare (personalpolitik)",
            "Verksamhetsutvecklingen", "Kommunen som samhällsbyggaren"),
    G2020: ("Samspelet mellan förtroendevalda och medborgare", "Samhällsutvecklingen", "Styrning & kontroll",
            "Effektiviteten", "Brukarnas fokus", "Kvalitetsutvecklingen", "Arbetslivet",
            "Chefs- och ledarskap samt medarbetarskapet"),
}

# Column headers as the generations' reports print them, with the role the classifier must give
# (role, reference kind). Own and other municipalities are named with the report's kommun/year.
HEADERS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    G2002: (("Fagersta 2009", "own", None), ("Median", "reference", "median"), ("Max", "max", None),
            ("Eksjö 2008", "other", None), ("Kommunens poäng", "own", None),
            ("Medelvärde", "reference", "medelvärde"),
            ("Fagersta 2005", "earlier", None)),
    G2010: (("Kungsbacka 2014", "own", None), ("Poäng", "own", None), ("Genomsnitt", "reference", "genomsnitt"),
            ("Maxpoäng", "max", None), ("Förändring sedan föregående utvärdering", "change", None),
            ("Lerum 2013", "other", None), ("Kungsbacka 2010", "earlier", None)),
    G2020: (("Vallentuna 2021", "own", None), ("Sverigesnitt", "reference", "Sverigesnitt"),
            ("Möjliga poäng", "max", None), ("+/-", "change", None), ("Nacka 2020", "other", None),
            ("Resultat\nMedian", "reference", "median"), ("Resultat\nVallentuna 2021", "own", None),
            ("Vallentuna 2017", "earlier", None)),
}

# Header wordings not in vocabulary.yml that a reader still understands by their words.
UNSEEN_HEADERS: tuple[tuple[str, str, str | None], ...] = (
    ("Medianvärde för alla kommuner", "reference", "median"),
    ("Kommunens poäng 2021", "own", None),
    ("Förändring jämfört med 2017", "change", None),
    ("Max-\npoäng", "max", None),
)
