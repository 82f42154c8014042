"""The `kompass` command: one subcommand per pipeline stage.

Each stage package owns its commands in its own `cli.py` (a list `COMMANDS`); this module only
gathers them, so the edges stay thin and the logic lives in the packages. Those modules import only
click at their top; everything heavy (spaCy, pdfplumber, sqlite-utils, pandas, Prefect, Datasette) is
imported inside the command that needs it, so `kompass --help` starts in a tenth of a second
(`tests/test_cli_startup.py` holds every command module to that).
"""
from __future__ import annotations

import importlib
import os
import sys

import click

COMMAND_MODULES = [
    "extractors.cli",
    "db.cli",
    "db.search_cli",
    "flows.cli",
    "outputs.cli",
    "corpus.kolada_cli",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kommunkompassen")
def cli() -> None:
    """Kommunkompassen pipeline: harvest, extract, tag and load evaluation reports."""


for _module_name in COMMAND_MODULES:
    for _command in importlib.import_module(_module_name).COMMANDS:
        cli.add_command(_command)


def main() -> None:
    try:
        cli()
    except BrokenPipeError:  # `kompass compare … --csv | head`: the reader left; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
