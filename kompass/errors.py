"""Turning known exceptions into one-line user errors."""
from __future__ import annotations

import functools
import sys

import click


class KompassError(Exception):
    """Base of every error the pipeline reports to a user as one line."""


def one_line_errors(func):
    """Decorator for CLI commands: known errors become `Error: …` on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KompassError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)

    return wrapper
