"""Import spaCy without its command-line package.

`import spacy` also imports `spacy.cli` (typer, weasel, requests, jinja2, …): a third of spaCy's import
time in every process that tags a report, for commands this program never runs in-process (training runs
`python -m spacy` in a process of its own). Importing this module first puts an empty `spacy.cli` in its
place, unless spaCy is already imported. Calling `spacy.cli.info()` then says how to get the real one.
"""
from __future__ import annotations

import sys
import types


def _info(*args, **kwargs):
    raise RuntimeError("spaCy's command line is not loaded in this process; run `python -m spacy info`")


def install() -> None:
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli", "Placeholder: spaCy's command line is not loaded in this process.")
    cli.__path__ = []  # a package with nothing in it
    info = types.ModuleType("spacy.cli.info")
    info.info = _info
    cli.info = info
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info


install()
