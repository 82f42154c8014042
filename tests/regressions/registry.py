"""Every named regression fixture: the document kinds that once failed in the project's own corpus
(`kinds.py`, issue 10), and those an audit of kinds the corpus never covered found failing or left
unguarded (`tests/audit/build_unseen.py`: wording not drawn from the vocabulary, Word numbering and
symbol-font bullets, findings in a Word table, crop marks around an offset crop box; and from the second
audit, `build_unseen_2.py`: area headings wrapped onto two lines, TeX bitmap fonts without a Unicode map,
question ids printed as "Fråga 1.1", findings as paragraphs opened by a run-in "Styrka:", area chapters headed by the area's name alone, an area table with the areas as columns; and from the third, `build_unseen_3.py`: units, footnote marks and
dashes in the tables); from issue 24's table documents (`tests/tables/regressions.py`): ruled
word-processor tables whose area labels wrap back to the cell's left edge, with merged header cells and a
header row repeated over a page break, one per framework generation; and the stated results of issue 19
(`stated.py`: a one-page summary list, a total in a sentence)."""
from __future__ import annotations

from tests.audit import build_unseen, build_unseen_2, build_unseen_3
from tests.regressions import stated
from tests.regressions.kinds import KINDS as CORPUS_KINDS
from tests.tables import regressions as table_regressions

FROM_AUDIT = ("unseen-list-headings", "word-numbered-findings", "table-wording-variants", "print-shop-cropbox",
              "word-wingdings-bullets", "word-findings-table-unbulleted", "uppercase-headings-running-header")
FROM_AUDIT_2 = ("area-headings-section-numbers", "latex-scrartcl-toc-footnotes", "summary-fraga-ids",
                "findings-leadin-paragraphs", "area-headings-name-only", "area-table-transposed")
FROM_AUDIT_3 = ("numbers-units-footnotes-dash",)
FROM_TABLES = tuple(table_regressions.KINDS)
KINDS = {**CORPUS_KINDS, **{kind: build_unseen.KINDS[kind] for kind in FROM_AUDIT},
         **{kind: build_unseen_2.KINDS[kind] for kind in FROM_AUDIT_2},
         **{kind: build_unseen_3.KINDS[kind] for kind in FROM_AUDIT_3},
         **{kind: table_regressions.KINDS[kind] for kind in FROM_TABLES}, **stated.KINDS}
