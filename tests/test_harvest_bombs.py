"""`kompass harvest` under every PDF bomb (slow): a real 127.0.0.1 site links thirteen hostile PDFs and one
good report; the command runs as a program under an address-space cap of its own while the resident
memory of its whole process tree is sampled every 50 ms. The harvester (the command and its guarded
PDF-check workers) stays at or under 600 MB; Prefect's temporary server, a service the flow starts, is
reported beside it. Nothing prints a traceback, every bomb is rejected or recorded with its reason,
and the good report is stored.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import hostile
from tests.hostile_site import Site, html, pdf_bomb, report_pdf

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
KOMPASS = Path(sys.executable).with_name("kompass")
RSS_LIMIT_MB = 600
ADDRESS_SPACE_CAP = 6 * 1024 ** 3  # the command's own cap; each guarded worker sets a lower one
GOOD = report_pdf("Godby kommun")


def bombs() -> dict[str, bytes]:
    """Thirteen PDFs built to exhaust a reader: page-content bombs (deflated twice), thousands of pages,
    deep nesting, cyclic page trees, huge declared and real images."""
    made = {"content-50mb": pdf_bomb(), "content-200mb": pdf_bomb(200_000_000)}
    for kind, files in (("pages", hostile.many_pages()), ("nested", hostile.nested()), ("cyclic", hostile.cyclic()),
                        ("image", hostile.huge_images())):
        made.update({f"{kind}-{n}": data for n, data in enumerate(files)})
    return made


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry))
    return tree


def tree_rss(root: int) -> dict[str, float]:
    """Resident memory (MB) of `root` and each of its descendants, by 'pid command'."""
    tree, found, todo = _children(), {}, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                rss = int(statm.read().split()[1]) * page / 1024 ** 2
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")[:400]
        except (OSError, ValueError):
            continue
        found[f"{pid} {command}"] = rss
        todo.extend(tree.get(pid, []))
    return found


def _prefect_server(command: str) -> bool:
    """Prefect's temporary API server, which `kompass harvest` starts for its flow: a service of its own, the
    same size with or without bombs, counted apart."""
    return "uvicorn" in command and "prefect" in command


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, resource.RLIM_INFINITY))


@pytest.mark.timeout(420)
def test_harvest_under_every_pdf_bomb_stays_under_600_mb_without_a_traceback(tmp_path):
    made = bombs()
    assert len(made) == 13 and all(len(data) < 2_000_000 for data in made.values())
    routes = {f"/kommunkompassen-{name}.pdf": (lambda data: lambda h: h.answer(200, "application/pdf", data))(data)
              for name, data in made.items()}
    routes["/kommunkompassen-bra.pdf"] = lambda h: h.answer(200, "application/pdf", GOOD)
    links = "".join(f'<a href="{path}">Kommunkompassen</a>' for path in routes)
    routes["/"] = html(links)
    site = Site(routes)
    config = tmp_path / "sources.yml"
    config.write_text(json.dumps({"settings": {"user_agent": "kommunkompassen-test/1.0", "max_depth": 1,
                                               "retries": 0, "per_host_delay": 0, "page_deadline_seconds": 30,
                                               "download_deadline_seconds": 120, "max_bytes": 10_000_000},
                                  "sources": [{"name": "bombs", "url": site.url + "/"}]}))
    corpus = tmp_path / "corpus"
    peak, whole, samples, at_peak = 0.0, 0.0, 0, {}
    try:
        started = time.monotonic()
        process = subprocess.Popen([str(KOMPASS), "harvest", "--corpus", str(corpus), "--config", str(config)],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=_cap)
        output: dict[str, str] = {}
        readers = [threading.Thread(target=lambda name, stream: output.__setitem__(name, stream.read()),
                                    args=(name, stream)) for name, stream in (("out", process.stdout),
                                                                              ("err", process.stderr))]
        for reader in readers:
            reader.start()
        while process.poll() is None and time.monotonic() - started < 400:
            sample = tree_rss(process.pid)
            harvester = sum(rss for command, rss in sample.items() if not _prefect_server(command))
            if harvester > peak:
                peak, at_peak = harvester, sample
            whole = max(whole, sum(sample.values()))
            samples += 1
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
        process.wait()
        for reader in readers:
            reader.join()
        elapsed = time.monotonic() - started
    finally:
        site.close()
    text = output["out"] + output["err"]
    print(f"\nharvest of {len(made)} PDF bombs and a report: peak RSS of the harvester and its workers {peak:.0f} MB, "
          f"with Prefect's temporary server {whole:.0f} MB, over {samples} samples, {elapsed:.0f} s, "
          f"exit {process.returncode}")
    for command, rss in sorted(at_peak.items(), key=lambda item: -item[1]):
        print(f"  {rss:6.0f} MB  {command[:100]}")
    assert process.returncode == 0, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert peak <= RSS_LIMIT_MB, f"the harvest's process tree reached {peak:.0f} MB"
    records = [json.loads(line) for line in (corpus / "provenance.jsonl").read_text().splitlines()]
    by_name = {}
    for record in records:
        by_name.setdefault(str(record.get("url", "")).rsplit("/", 1)[-1], []).append(record)
    assert any(r.get("outcome") == "stored" for r in by_name["kommunkompassen-bra.pdf"]), by_name.get(
        "kommunkompassen-bra.pdf")
    for name in made:
        outcomes = [(r.get("outcome"), r.get("reason")) for r in by_name.get(f"kommunkompassen-{name}.pdf", [])]
        assert outcomes and all(outcome != "stored" and reason for outcome, reason in outcomes), (name, outcomes)
