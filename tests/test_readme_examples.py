"""Every shell example in README.md runs after `make run`, as sqlite-utils tests its documentation.

The README's fenced bash/sh/console blocks are read by `tests/readme_examples.py` (its docstring
gives the rules, and the `<!-- example: skip (reason) -->` and `<!-- example: exit N -->` comments).
A clean state is built once, as a newcomer's: a copy of the checkout (its code and `.venv` linked, its
`corpus/` copied) in which `make run` is run. Each block then runs in its own copy of that state, one
command at a time in bash, in the block's order (a `cd` carries over), with `.venv/bin` first on PATH
(what `source .venv/bin/activate` does) and KOMPASS_DB naming the copy's `var/kommunkompassen.db`,
which is where the commands' default database is in a checkout. A command must exit 0 and print what
the README shows under it. `kompass serve` (or `datasette`) is started on a free port (`--port N`
added), must answer on 127.0.0.1 within two minutes, and is then stopped. `make test`, `make bench`,
`make deps`, `make model`, pytest and apt are not run here: their blocks must be marked skip.

`KOMPASS_README=path` checks another file (a draft) instead of README.md.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.readme_examples import (Example, indented_code_blocks, readme_examples, shown_matches,
                                   unlabelled_fences)

ROOT = Path(__file__).resolve().parent.parent
README = Path(os.environ.get("KOMPASS_README") or ROOT / "README.md")
EXAMPLES = readme_examples(README)
NOT_COPIED = {".git", ".venv", "var", "corpus", "pyproject.toml", "export", ".pytest_cache", "__pycache__"}
SERVER = re.compile(r"(^|[\s;&|])(\S*/)?(kompass\s+serve|datasette(\s+serve)?)\b")
# what this test cannot run inside the test suite: the suite itself, the benchmarks, apt as root, retraining
NOT_HERE = re.compile(r"\bmake\s+(test|test-all|bench|deps|model)\b|\bpytest\b|\bapt(-get)?\s+install\b")
COMMAND_TIMEOUT_S = 600
SERVER_ANSWER_S = 120


def environment(checkout: Path) -> dict[str, str]:
    """A reader's shell: `.venv/bin` first on PATH, the checkout's database; not inside the make that may be
    running the suite (its MAKELEVEL would make a nested `make run` print 'Entering directory')."""
    venv = checkout / ".venv"
    outer = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    return {**outer, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(venv), "KOMPASS_DB": str(checkout / "var" / "kommunkompassen.db"),
            "XDG_DATA_HOME": str(checkout / ".local-share")}


def run_in_bash(command: str, cwd: Path, env: dict[str, str], timeout: float = COMMAND_TIMEOUT_S):
    """Run one command line in bash; (exit status, stdout and stderr as printed, the directory it ended in)."""
    read_end, write_end = os.pipe()
    script = f'{command}\n__status=$?\npwd >&{write_end}\nexit $__status'
    try:
        done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=timeout, pass_fds=(write_end,),
                              stdin=subprocess.DEVNULL)
    finally:
        os.close(write_end)
    with os.fdopen(read_end) as ended:
        where = ended.read().strip()
    return done.returncode, done.stdout, Path(where) if where else cwd


@pytest.fixture(scope="session")
def clean_checkout(tmp_path_factory) -> Path:
    """A copy of the checkout after `make run`: the state the README's examples start from."""
    checkout = tmp_path_factory.mktemp("readme") / "kommunkompassen"
    checkout.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in NOT_COPIED:
            (checkout / entry.name).symlink_to(entry)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    shutil.copytree(ROOT / "corpus", checkout / "corpus", ignore=shutil.ignore_patterns("__pycache__", ".hashes.json"))
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    os.utime(checkout / "pyproject.toml", (0, 0))  # older than .venv/.installed: make never reinstalls from here
    status, output, _ = run_in_bash("make run", checkout, environment(checkout))
    assert status == 0, f"make run failed in the clean copy:\n{output[-3000:]}"
    assert [line for line in output.splitlines() if "warn" in line.lower()] == [], "make run printed a warning"
    assert (checkout / "var" / "kommunkompassen.db").is_file()
    return checkout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_serves(command: str, cwd: Path, env: dict[str, str]) -> None:
    """Start the server command on a free port; it must answer http://127.0.0.1:PORT/ with 200."""
    port = _free_port()
    server = subprocess.Popen(["bash", "-c", f"exec {command} --port {port}"], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_ANSWER_S
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                    assert answer.status == 200
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None:
                    pytest.fail(f"{command!r} ended with status {server.returncode} before answering:\n"
                                f"{server.stdout.read()[-3000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{command!r} did not answer on 127.0.0.1:{port} within {SERVER_ANSWER_S} s")
                time.sleep(0.3)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_readme_has_shell_examples_and_every_code_block_names_its_language():
    text = README.read_text(encoding="utf-8")
    assert unlabelled_fences(text) == [], (
        f"{README.name}: fenced blocks without a language at lines {unlabelled_fences(text)}: mark shell "
        "examples ```bash or ```console (and others ```text) so they can be run")
    assert indented_code_blocks(text) == [], (
        f"{README.name}: indented code blocks at lines {indented_code_blocks(text)}: fence them (```bash, "
        "```console or ```text) so the shell examples among them are run")
    assert [example for example in EXAMPLES if not example.skip], f"{README.name} has no shell example to run"


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_readme_example_runs(example: Example, request, tmp_path: Path):
    if example.skip:
        pytest.skip(f"README marks it: {example.skip}")
    work = tmp_path / "kommunkompassen"
    shutil.copytree(request.getfixturevalue("clean_checkout"), work, symlinks=True)
    env = environment(work)
    cwd = work
    for command in example.commands:
        where = f"{README.name} line {command.line}: {command.text}"
        if NOT_HERE.search(command.text):
            pytest.fail(f"{where}\ncannot run inside the test suite: mark its block "
                        "<!-- example: skip (reason) --> in the README")
        if SERVER.search(command.text):
            check_serves(command.text, cwd, env)
            continue
        status, output, cwd = run_in_bash(command.text, cwd, env)
        assert status == example.exit_status, f"{where}\nexit {status}; it printed:\n{output[-3000:]}"
        if command.shown:
            difference = shown_matches(command.shown, output)
            assert difference is None, f"{where}\n{difference}; it printed:\n{output[-3000:]}"
