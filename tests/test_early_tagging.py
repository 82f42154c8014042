"""The tagging stage started in a process of its own before the PDF is read (`kompass extract` from a cold
start) gives exactly what tagging in process gives, and a tagging process that fails never loses the report.

Each case runs in a fresh interpreter: that is where the early start happens (spaCy not yet loaded), and
forking there is safe (pytest's process may run other threads)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from extractors.early_tagging import worth_starting
from tests.test_db_support import FIXTURE, REPORT_PDF, ROOT

PROBE = """
import dataclasses, json, sys
from extractors.document import read_document
from extractors.early_tagging import TaggingProcess, early_tagger, worth_starting
from extractors.tagging import prose_lines, tag_prose

lines = prose_lines(read_document(sys.argv[1]))
def as_json(tagged):
    return json.loads(json.dumps(dataclasses.asdict(tagged), ensure_ascii=False))
"""


def run_probe(body: str) -> dict:
    script = PROBE + textwrap.dedent(body)
    result = subprocess.run([sys.executable, "-c", script, str(REPORT_PDF)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_tagging_process_gives_what_tagging_here_gives():
    got = run_probe("""
        started = worth_starting()
        with early_tagger() as tagger:
            early = as_json(tagger.tag(lines, "Fagersta", "1982"))
        here = as_json(tag_prose(lines, "Fagersta", "1982"))
        print(json.dumps({"started": started, "alive_after": tagger.process.is_alive(), "early": early, "here": here}))
    """)
    assert got["started"] and not got["alive_after"]
    assert got["early"] == got["here"]
    assert len(got["here"]["good_examples"]) >= 27 and len(got["here"]["sentences"]) > 300


def test_a_process_reading_a_second_report_tags_it_in_process():
    got = run_probe("""
        with early_tagger() as first:
            tagged = as_json(first.tag(lines, "Fagersta", "1982"))
        with early_tagger() as second:
            again = as_json(tag_prose(lines, "Fagersta", "1982"))
        print(json.dumps({"first": first is not None, "second": second is not None, "same": tagged == again}))
    """)
    assert got == {"first": True, "second": False, "same": True}


def test_without_sentences_only_good_examples_come_back():
    got = run_probe("""
        with early_tagger() as tagger:
            tagged = as_json(tagger.tag(lines, "Fagersta", "1982", with_sentences=False))
        print(json.dumps(tagged))
    """)
    assert got["sentences"] == [] and len(got["good_examples"]) >= 27


def test_a_tagging_process_that_died_means_tagging_here():
    got = run_probe("""
        tagger = TaggingProcess()
        tagger.process.kill()
        tagger.process.join()
        print(json.dumps({"early": as_json(tagger.tag(lines, "Fagersta", "1982")),
                          "here": as_json(tag_prose(lines, "Fagersta", "1982"))}))
    """)
    assert got["early"] == got["here"] and got["here"]["good_examples"]


def test_a_tagging_process_past_its_deadline_is_stopped_and_the_prose_tagged_here():
    got = run_probe("""
        tagger = TaggingProcess(deadline_s=0.01)  # loading the pipeline alone takes longer
        tagged = as_json(tagger.tag(lines, "Fagersta", "1982"))
        print(json.dumps({"tagged": tagged, "alive": tagger.process.is_alive(),
                          "here": as_json(tag_prose(lines, "Fagersta", "1982"))}))
    """)
    assert got["tagged"] == got["here"] and not got["alive"]


def test_an_error_in_the_tagging_process_is_raised_here():
    got = run_probe("""
        tagger = TaggingProcess()
        try:
            tagger.tag([[None]], "Fagersta", "1982")
        except Exception as error:
            print(json.dumps({"error": type(error).__name__}))
        finally:
            tagger.stop()
    """)
    assert got == {"error": "AttributeError"}  # what tag_prose raises in process for a line that is not text


def test_nothing_is_started_where_spacy_is_already_loaded():
    import spacy  # noqa: F401

    assert not worth_starting()


def test_kompass_extract_from_a_cold_start_finds_the_expected_good_examples():
    """The whole command (tagging started early) against the bundled report's expected good examples."""
    result = subprocess.run([sys.executable, "-m", "kompass", "extract", str(REPORT_PDF), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    got = json.loads(result.stdout)
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    cited = {(g["area"], g["kommun"]) for g in got["good_examples"] if g["kind"] == "cited" and g.get("country", "SE") == "SE"}
    assert cited == {(g["area"], g["kommun"]) for g in expected["good_examples_cited"]}


def test_nothing_is_started_in_a_daemonic_process():
    """A daemonic worker (a pool's) may not start children: it tags in process and still finds the examples."""
    got = run_probe("""
        import multiprocessing
        def work(queue):
            from extractors.report import extract_report
            queue.put((worth_starting(), len(extract_report(sys.argv[1]).good_examples)))
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=work, args=(queue,), daemon=True)
        child.start()
        started, examples = queue.get(timeout=240)
        child.join()
        print(json.dumps({"started": started, "examples": examples}))
    """)
    assert got["started"] is False and got["examples"] >= 27
