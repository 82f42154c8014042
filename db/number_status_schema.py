"""Migration 11: how every number a report gave was come by (`number_status`).

One row per number a report states — an area's score and reference value (`area_scores`), a question's
max points, points and percent (`question_scores`), the total and reference total (`evaluation_sources`),
each compared municipality's area score — keyed like the number itself: the document it was read from,
the evaluation it belongs to, its `source` (`report`, or `comparison_table` for another municipality's
score quoted in the report), the area or question, and `field` (the column that holds the number).
`status` is `read` (as printed), `mended` (OCR's reading changed by the report's arithmetic; `printed`
keeps what OCR read), `derived` (not readable: computed from a sum, named in `derived_from`) or `empty`
(no number; the `warning` says why where the extractor said). An empty number has its row here though
no score row holds it. Rows are written with the document's other rows, in its one transaction, and
deleted with them. Documents loaded before this step have no rows until they are loaded again (a new
extractor version reloads them).
"""
from __future__ import annotations

import sqlite_utils

TEXT, INTEGER, REAL = str, int, float
COLUMNS = {"id": INTEGER, "document": TEXT, "evaluation": TEXT, "source": TEXT, "area": INTEGER, "question": TEXT, "field": TEXT,
           "value": REAL, "status": TEXT, "printed": TEXT, "derived_from": TEXT, "warning": TEXT, "page": INTEGER}


def number_status(db: sqlite_utils.Database) -> None:
    db["number_status"].create(
        COLUMNS, pk="id", not_null={"document", "evaluation", "source", "field", "status"},
        foreign_keys=[("document", "documents", "sha256"), ("evaluation", "evaluations", "id")])
    db.execute("CREATE UNIQUE INDEX number_status_key ON number_status "
               "(document, evaluation, source, COALESCE(area, 0), COALESCE(question, ''), field)")
    db.execute("CREATE INDEX number_status_evaluation ON number_status (evaluation, area)")
    db.execute("CREATE INDEX number_status_status ON number_status (status)")
