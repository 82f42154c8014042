"""Every `kompass` subcommand has help text and answers --help (like sqlite-utils' own test)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kompass.cli import cli

COMMANDS = sorted(cli.commands)


def test_the_pipeline_stages_are_commands():
    assert {"extract", "load", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_subcommand_has_help(name):
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 10, f"{name} lacks a docstring"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and "--help" in result.output
