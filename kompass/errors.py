"""Turning known exceptions into one-line user errors."""
from __future__ import annotations

import functools
import sys

import click


class KompassError(Exception):
    """Base of every error the pipeline reports to a user as one line."""


def one_line_errors(func):
    """Decorator for CLI commands: known errors become `Error: …` on stderr and exit code 1; so does an
    OSError that reached the command (the system refused a read or write: a failing disk, no room)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from kompass.inputs import shown

        try:
            return func(*args, **kwargs)
        except KompassError as error:
            click.echo(shown(f"Error: {error}"), err=True)
            sys.exit(1)
        except BrokenPipeError:  # `kompass search … | head`: the reader left; kompass.cli.main ends quietly
            raise
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(shown(f"Error: {where}{error.strerror or error}"), err=True)
            sys.exit(1)

    return wrapper
