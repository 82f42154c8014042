"""The shell examples of a Markdown file: fenced ```bash, ```sh, ```shell and ```console blocks.

In a bash/sh/shell block every line is a command (a trailing backslash continues it; `#` lines are
comments). In a console block a command starts with `$ `, and the lines after it, up to the next
command, are the output it shows. An HTML comment on the line before a block says how to run it:
`<!-- example: skip (reason) -->` leaves it out, with the reason shown; `<!-- example: exit N -->`
expects exit status N from its commands instead of 0.

Shown output is matched from the first line printed: each shown line must equal the printed line
(trailing spaces aside), `...` or `…` inside a line stands for any text, a line that is only `...`
or `…` for any number of lines; printed lines after the last shown one are allowed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SHELL_LANGUAGES = {"bash", "sh", "shell", "console", "shell-session"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
MARKER = re.compile(r"^\s*<!--\s*example:\s*(?P<what>skip|exit)\b\s*(?P<rest>.*?)\s*-->\s*$")
ELLIPSES = ("...", "…")


@dataclass(frozen=True)
class Command:
    line: int             # 1-based line of the README where the command starts
    text: str
    shown: tuple[str, ...] = ()  # the output the README shows under it (console blocks)


@dataclass
class Example:
    line: int             # the line of the opening fence
    language: str
    commands: list[Command] = field(default_factory=list)
    skip: str | None = None   # the reason, when marked skip
    exit_status: int = 0

    @property
    def name(self) -> str:
        first = self.commands[0].text if self.commands else ""
        return f"line {self.line}: {first[:60]}"


@dataclass(frozen=True)
class Fence:
    line: int
    language: str
    body: list[str]
    marker: re.Match | None


class BadMarker(ValueError):
    """An `<!-- example: … -->` comment this reader does not understand (or a skip without its reason)."""


def fences(text: str) -> list[Fence]:
    """Every fenced block with its info word, body lines and the example marker on the line before, if any."""
    lines = text.splitlines()
    found = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening["fence"]
        body_start = index + 1
        end = body_start
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = MARKER.match(before)
        if marker is None and "<!--" in before and "example" in before:
            raise BadMarker(f"line {index}: {before.strip()!r} is not `<!-- example: skip (reason) -->` "
                            "or `<!-- example: exit N -->`")
        indent = len(opening["indent"])
        body = [line[indent:] if line[:indent].isspace() else line.lstrip() for line in lines[body_start:end]]
        found.append(Fence(index + 1, opening["info"].lower(), body, marker))
        index = end + 1
    return found


def _bash_commands(fence: Fence) -> list[Command]:
    commands, pending, start = [], "", 0
    for offset, raw in enumerate(fence.body):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            start = fence.line + 1 + offset
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        commands.append(Command(start, (pending + line.strip()).strip()))
        pending = ""
    if pending:
        commands.append(Command(start, pending.strip()))
    return commands


def _console_commands(fence: Fence) -> list[Command]:
    commands: list[Command] = []
    text, start, shown, continuing = None, 0, [], False
    for offset, raw in enumerate(fence.body):
        line = raw.rstrip()
        if continuing:
            text += " " + line.rstrip("\\").strip()
            continuing = line.endswith("\\")
            continue
        if line.startswith("$ ") or line == "$":
            if text is not None:
                commands.append(Command(start, text, tuple(shown)))
            text, start, shown = line[2:].rstrip("\\").strip(), fence.line + 1 + offset, []
            continuing = line.endswith("\\")
        elif text is not None:
            shown.append(line)
    if text is not None:
        commands.append(Command(start, text, tuple(_trim(shown))))
    return commands


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def examples(text: str) -> list[Example]:
    """The shell examples of a Markdown text, in order."""
    found = []
    for fence in fences(text):
        if fence.language not in SHELL_LANGUAGES:
            continue
        console = fence.language in ("console", "shell-session")
        commands = _console_commands(fence) if console else _bash_commands(fence)
        commands = [Command(c.line, c.text, tuple(_trim(list(c.shown)))) for c in commands]
        example = Example(fence.line, fence.language, commands)
        if fence.marker is not None:
            what, rest = fence.marker["what"], fence.marker["rest"]
            if what == "skip":
                reason = rest.strip().strip("()").strip()
                if not reason:
                    raise BadMarker(f"line {fence.line - 1}: `example: skip` needs a reason in parentheses")
                example.skip = reason
            else:
                if not rest.strip().isdigit():
                    raise BadMarker(f"line {fence.line - 1}: `example: exit` needs a number")
                example.exit_status = int(rest.strip())
        found.append(example)
    return found


def unlabelled_fences(text: str) -> list[int]:
    """Lines of fenced blocks with no language: a reader (and this test) cannot tell a command from output."""
    return [fence.line for fence in fences(text) if not fence.language]


LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


def indented_code_blocks(text: str) -> list[int]:
    """Lines where an indented code block starts (four spaces after a blank line, outside a fence and not
    continuing a list): commands there are not run; fence them with their language instead."""
    lines = text.splitlines()
    inside = {line for fence in fences(text) for line in range(fence.line, fence.line + len(fence.body) + 2)}
    starts = []
    for index, line in enumerate(lines):
        number = index + 1
        if number in inside or not line.startswith("    ") or not line.strip() or index == 0 or lines[index - 1].strip():
            continue
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        if before.startswith((" ", "\t")) or LIST_ITEM.match(before):
            continue  # a list item's continuation, or the same block after a blank line
        starts.append(number)
    return starts


def shown_matches(shown: tuple[str, ...] | list[str], printed: str) -> str | None:
    """None when the printed output begins as shown (see the module's rules), else what differs."""
    actual = [line.rstrip() for line in printed.splitlines()]

    def line_matches(pattern: str, line: str) -> bool:
        pattern = pattern.rstrip()
        parts = re.split(r"\.\.\.|…", pattern)
        if len(parts) == 1:
            return pattern == line
        return re.fullmatch(".*".join(map(re.escape, parts)), line, flags=re.S) is not None

    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if i == len(shown):
            return True
        if shown[i].strip() in ELLIPSES:
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and line_matches(shown[i], actual[j]) and match(i + 1, j + 1)

    if match(0, 0):
        return None
    for i, line in enumerate(shown):  # name the first shown line that does not appear as shown
        if line.strip() in ELLIPSES:
            continue
        if not any(line_matches(line, printed_line) for printed_line in actual):
            return f"shown line {i + 1} {line!r} is not printed"
    return f"the printed lines do not follow the order shown (first printed: {actual[:1]!r})"


def readme_examples(path: Path) -> list[Example]:
    return examples(path.read_text(encoding="utf-8"))
