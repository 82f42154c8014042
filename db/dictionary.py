"""The data dictionary: what every column means, in Swedish, in one place.

Datasette's metadata (db/datasette.py) and the export's data dictionary and Data Package
(outputs/export.py) both read it, so a column is described the same way wherever it is shown.
A column described in db/metadata.yml for one table wins over the general description here.
"""
from __future__ import annotations

from db.frameworks import THEME_NAMES, THEME_OF_AREA, THEMES
from extractors.frameworks import FRAMEWORKS

COLUMNS: dict[str, str] = {
    "id": "Radens nummer (heltal; ändras när ett dokument läses in på nytt)",
    "evaluation": "Utvärderingens id: kommunkod-år (t.ex. 1982-2009), med -2, -3 för fler rapporter samma år",
    "label": "Utvärderingen i läsbar form, t.ex. \"Fagersta 2009\"",
    "kommunkod": "Kommunkod, fyra siffror som text (inledande nolla behålls: 0686)",
    "kommun": "Kommunens namn",
    "name": "Namn",
    "county": "Län",
    "county_code": "Länskod (text)",
    "skr_group": "SKR:s kommungruppsindelning (Källa: SKR)",
    "year": "Utvärderingsår",
    "report_no": "Rapportens nummer bland rapporterna om samma kommun samma år (1 för den första)",
    "framework": "Ramverkets generation: 2002-2009, 2010-2019 eller 2020- (områdenas innehåll skiljer sig)",
    "area": "Områdets nummer 1–8 inom ramverket (samma nummer betyder olika saker i olika ramverk)",
    "area_name": "Områdets namn i ramverket",
    "theme": "Tema (kod) som gör områden jämförbara mellan ramverk",
    "theme_name": "Temats namn",
    "approximate": "1 när området bara ungefär motsvarar sitt tema: jämförelse över ramverk är då ungefärlig",
    "score": "Poäng i området (max 100)",
    "ocr_confidence": "OCR:ens säkerhet 0–100 för raden när den lästes med OCR från en skannad sida (lägsta "
                      "värdet bland radens tal; för en styrka/ett förbättringsområde medelvärdet); tom när den "
                      "lästes ur PDF:ens textlager",
    "ocr_pages": "Sidor som lästes med OCR (ingen användbar text i PDF:en), som JSON-lista; tom om inga",
    "reference": "Referensvärdet bredvid poängen (median eller medelvärde av dittills gjorda utvärderingar)",
    "reference_kind": "Vad referensvärdet är: median, medelvärde eller Sverigesnitt",
    "source": "Källa: report (kommunens egen rapport), comparison_table (jämförelsetabell i en annan kommuns "
              "rapport), published_page (sida som kommunen publicerat), news (annan sida, t.ex. en tidning, som "
              "återger resultatet)",
    "provenance": "Dokumentets sha256 (rapport, jämförelsetabell) eller sidans adress (publicerad sida)",
    "document": "Rapport-PDF:ens sha256; `kompass serve` visar den på /-/kompass/pdf/<document>.pdf#page=<page>",
    "page": "Sidan i rapporten (1 = första sidan)",
    "source_url": "Adressen där dokumentet eller sidan hämtades",
    "sources": "Antal källor som anger poäng för området",
    "disagreement": "1 när källorna anger olika poäng för området",
    "disagreements": "Antal områden där källorna anger olika poäng",
    "min_score": "Lägsta poäng bland källorna",
    "max_score": "Högsta poäng bland källorna",
    "total": "Totalpoäng (max 800) från den mest betrodda källa som anger den",
    "total_source": "Källan till totalpoängen",
    "median_total": "Referensvärdet för totalpoängen",
    "areas_known": "Antal områden med känd poäng",
    "rank": "Rang inom ramverket och området (1 = högst poäng)",
    "rank_from_bottom": "Rang räknat från lägsta poäng",
    "evaluations": "Antal utvärderingar i jämförelsen",
    "percentile": "Percentil inom ramverket och området (0–100)",
    "median": "Median av poängen",
    "mean": "Medelvärde av poängen",
    "kind": "Slag (kod): strength/improvement för fynd, cited/own för goda exempel",
    "kind_label": "Slag i klartext: styrka, förbättringsområde, citerad kommun eller egen praktik",
    "text": "Texten ur rapporten",
    "lemmas": "Textens ord i grundform (för sökning: medborgardialogen → medborgardialog)",
    "parts": "Delarna i textens sammansatta ord, i grundform (för sökning: kostnadsbudgetering → kostnad budgetering)",
    "hit": "Träffens plats i ordningen bästa träff först (1 = bäst)",
    "matches": "Hur många rader som träffar i allt (alla sidor); en sida visar högst 200",
    "snippet": "Texten med de ord som sökningen hittar [inom hakparentes]",
    "seq": "Ordningsnummer i dokumentet",
    "question": "Delfrågans nummer, t.ex. 1.3",
    "max_points": "Delfrågans maxpoäng",
    "points": "Poäng på delfrågan",
    "percent": "Poängen i procent av delfrågans maxpoäng (avrundat)",
    "sentence": "Meningen i rapporten",
    "example_kommun": "Kommunen som lyfts fram som gott exempel (citerad kommun, eller den utvärderade kommunens "
                      "egen praktik)",
    "example_kommunkod": "Kommunkod för kommunen som lyfts fram (text)",
    "example_county": "Län för kommunen som lyfts fram",
    "country": "Landet (ISO-kod: SE, NO, FI, DK …) för kommunen som lyfts fram",
    "example_country": "Landet (ISO-kod: SE, NO, FI, DK …) för kommunen som lyfts fram",
    "code": "Kommunens nationella kod (i Sverige kommunkoden); tom när ingen lista känner kommunen",
    "example_code": "Den framlyfta kommunens nationella kod (i Sverige kommunkoden); tom när ingen lista känner den",
    "sentence_no": "Meningens nummer i rapporten (seq i tabellen sentences), så att sammanhanget kan återskapas",
    "sentence_before": "Meningen före i samma avsnitt (tom i början av ett avsnitt)",
    "sentence_after": "Meningen efter i samma avsnitt (tom i slutet av ett avsnitt)",
    "heading": "Rubriken över stycket (annars avsnittets rubrik)",
    "topic": "Ämnet: grundformerna av innehållsorden i meningen och meningarna före och efter (för sökning på tema)",
    "report_evaluation": "Utvärderingen vars rapport nämner exemplet",
    "report_label": "Rapporten som nämner exemplet, läsbar form",
    "report_kommun": "Kommunen som rapporten utvärderar",
    "report_year": "Rapportens utvärderingsår",
    "strengths": "Områdets styrkor, åtskilda med •",
    "improvements": "Områdets förbättringsområden, åtskilda med •",
    "position": "Temats plats i ordningen",
    "description": "Beskrivning",
    "variants": "Andra formuleringar av områdets namn i rapporter och på webbsidor (JSON-lista)",
    "first_year": "Ramverkets första år",
    "last_year": "Ramverkets sista år",
    "areas": "Antal områden",
    "filename": "Filens namn när den lästes in",
    "kind_of_document": "Dokumentets slag",
    "pages": "Antal sidor",
    "fetched_at": "När dokumentet hämtades",
    "extractor_version": "Versionen av programmet som läste dokumentet",
    "content_hash": "Fingeravtryck av rapportens innehåll (samma rapport i en annan fil får samma)",
    "same_report_as": "När filen är samma rapport som en redan inläst: den filens sha256",
    "path": "Var filen låg när den lästes in",
    "loaded_at": "När dokumentet lästes in",
    "sha256": "Filens sha256 (dess identitet)",
    "start_date": "Utvärderingens första dag",
    "end_date": "Utvärderingens sista dag",
    "note": "Anmärkning",
    "ok": "1 när kontrollen stämde",
    "detail": "Vad kontrollen jämförde",
    "message": "Meddelandet",
    "attempts": "Antal försök",
    "organisation": "Organisation",
    "version": "Migreringens nummer",
    "key": "Nyckel",
    "value": "Värde",
    "earlier": "Den tidigare utvärderingen", "earlier_label": "Den tidigare utvärderingen, läsbar form",
    "earlier_year": "Den tidigare utvärderingens år", "earlier_framework": "Den tidigare utvärderingens ramverk",
    "earlier_total": "Den tidigare totalpoängen", "earlier_area": "Området i den tidigare utvärderingen",
    "earlier_score": "Den tidigare poängen",
    "later": "Den senare utvärderingen", "later_label": "Den senare utvärderingen, läsbar form",
    "later_year": "Den senare utvärderingens år", "later_framework": "Den senare utvärderingens ramverk",
    "later_total": "Den senare totalpoängen", "later_area": "Området i den senare utvärderingen",
    "later_score": "Den senare poängen",
    "total_change": "Förändring av totalpoängen", "change": "Förändring av poängen",
    "same_framework": "1 när båda utvärderingarna har samma ramverk",
    # result pages (db/pages.py) and Kolada (db/kolada.py)
    "url": "Sidans adress",
    "content_sha256": "Hash av sidans synliga text (en ny version av sidan får en ny)",
    "reader_version": "Versionen av läsaren som läste sidan",
    "figures": "Vad sidan angav, som JSON",
    "shape": "Hur talet stod på sidan (tabellrad, lista, mening)",
    "excerpt": "Meningen eller tabellraden talet lästes ur (som den publicerades)",
    "figure": "Vilket tal: area (områdespoäng) eller total",
    "csv_value": "Talet i db/data/published_scores.csv",
    "page_value": "Talet på resultatsidan",
    "agree": "1 när sidan och CSV-filen anger samma tal",
    "page_url": "Resultatsidans adress",
    "csv_url": "Adressen som CSV-filen anger för talet",
    "page_source": "Sidans slag: published_page (kommunens egen webbplats) eller news (annan webbplats som återger "
                   "resultatet)",
    "csv_source": "Slaget av sidan som CSV-filen anger: published_page eller news",
    "page_excerpt": "Meningen eller tabellraden på resultatsidan",
    "kpi": "Koladas nyckeltals-id (t.ex. N01951)",
    "kpi_title": "Nyckeltalets namn i Kolada",
    "kpi_fetched_at": "När värdet hämtades från Kolada",
    "title": "Namn",
    "definition": "Koladas definition av nyckeltalet",
    "municipality_type": "Vilka organisationer nyckeltalet gäller (K kommun, L region)",
    "operating_area": "Verksamhetsområde",
    "is_divided_by_gender": "1 när nyckeltalet redovisas per kön",
    "publication_date": "När Kolada publicerade nyckeltalet",
    "perspective": "Koladas perspektiv (t.ex. resurser, resultat)",
    "auspices": "Huvudmannaskap (kommunal regi, alla regiformer …)",
    "has_ou_data": "1 när Kolada har värden per enhet",
    "gender": "Kön: T totalt, K kvinnor, M män",
    "count": "Antal i Koladas underlag",
    "status": "Koladas status för värdet",
    "is_deleted": "1 när Kolada har dragit tillbaka värdet",
    "fetched_on": "Dagen då värdet senast efterfrågades hos Kolada",
    "kpi_year": "Året som nyckeltalets värde gäller",
    "year_offset": "Nyckeltalets år minus utvärderingsåret (-1 året före, 0 samma år, 1 året efter)",
    # number status (db/number_status_schema.py)
    "field": "Vilket tal: kolumnen som håller det (score, reference, max_points, points, percent, total, median_total)",
    "printed": "Vad OCR läste där talet står, när summorna rättade det (mended), räknade fram det (derived) eller "
               "lämnade det tomt (empty)",
    "derived_from": "Summan eller regeln som ett framräknat tal (derived) kommer ur",
    "warning": "Varningen som säger varför talet rättades, räknades fram eller lämnades tomt",
    "question_text": "Delfrågans text",
    "score_status": "Hur poängen kom till: read, mended, derived eller empty (se number_status)",
    "reference_status": "Hur referensvärdet kom till: read, mended, derived eller empty (se number_status)",
    "max_points_status": "Hur maxpoängen kom till: read, mended, derived eller empty (se number_status)",
    "points_status": "Hur poängen kom till: read, mended, derived eller empty (se number_status)",
    "percent_status": "Hur procenttalet kom till: read, mended, derived eller empty (se number_status)",
}

# A column that means something else in one table than its name says elsewhere: (table, column) → description
TABLE_COLUMNS: dict[tuple[str, str], str] = {
    ("number_status", "status"): "Hur talet kom till: read (läst som tryckt), mended (OCR:ens läsning rättad av "
                                 "rapportens summor), derived (räknat ur en summa) eller empty (tomt)",
    ("number_status", "value"): "Talet som det lagrats (tomt när status är empty)",
    ("numbers_not_read", "status"): "mended (rättat av summorna), derived (räknat ur en summa) eller empty (tomt)",
    ("numbers_not_read", "value"): "Talet som det lagrats (tomt när status är empty)",
}


def theme_column_description(theme: str) -> str:
    """Which area of each generation a theme column holds (for the wide tables)."""
    parts = []
    for (generation, area), (code, approximate) in sorted(THEME_OF_AREA.items()):
        if code == theme:
            name = FRAMEWORKS[generation][area - 1].name
            parts.append(f"{generation} område {area} {name}" + (" (ungefärligt)" if approximate else ""))
    return f"Poäng i temat {THEME_NAMES[theme]} ({THEMES[theme]}): " + "; ".join(parts)


def area_column_description(area: int) -> str:
    names = "; ".join(f"{g}: {FRAMEWORKS[g][area - 1].name}" for g in FRAMEWORKS)
    return f"Poäng i område {area} av utvärderingens ramverk (olika innehåll per ramverk! {names})"


def describe(column: str, table: str | None = None) -> str | None:
    """The Swedish description of a column name (in `table`, where it means something of its own there), or
    None when the dictionary lacks it."""
    if (table, column) in TABLE_COLUMNS:
        return TABLE_COLUMNS[(table, column)]
    if column in COLUMNS:
        return COLUMNS[column]
    theme = column.removeprefix("theme_")
    if theme in THEMES:
        return theme_column_description(theme)
    if column.startswith("area_") and column[5:].isdigit():
        return area_column_description(int(column[5:]))
    parts = column.split("_")
    if len(parts) == 3 and parts[0] == "area" and parts[1].isdigit() and parts[2] in ("name", "theme"):
        if parts[2] == "name":
            return f"Namnet på område {parts[1]} i utvärderingens ramverk (område {parts[1]} skiljer sig mellan ramverken)"
        return (f"Temat (namn) som område {parts[1]} hör till i utvärderingens ramverk; temat är jämförbart över "
                "ramverk")
    return None
