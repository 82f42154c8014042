"""Issue 24's table documents: report-like PDFs whose area tables are ruled word-processor, browser and
LaTeX tables (`documents.py`: each with its expected extraction), printed by real producers (`render.py`),
built once per test session (`builder.py`); wording kept on the test side (`unseen_wording.py`); the named
regression fixtures made from them (`regressions.py`)."""
