"""A rich progress bar on a terminal, nothing when output goes to a file or a pipe."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def attached_to_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[str], None]]:
    """Yield `advance(label)`; draws a bar on stderr only when it is a terminal."""
    if not attached_to_terminal() or total == 0:
        yield lambda label="": None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[label]}"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task_id = progress.add_task(description, total=total, label="")
        yield lambda label="": progress.update(task_id, advance=1, label=label)
