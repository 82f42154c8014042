"""Speed of the Swedish NLP: the fast path (tokens, sentences, lemmas, municipalities) and the tagger.

    python -m benchmarks.nlp_bench   # on the bundled report's prose
"""
from __future__ import annotations

import time
from pathlib import Path

from extractors.swedish import fast_doc, load_nlp

BUNDLED = Path(__file__).resolve().parent.parent / "corpus" / "kommunkompassen-fagersta-2009.pdf"


def bench_tagging(texts: list[str], batch_size: int = 64) -> dict:
    """Words per second of the full tagger (`nlp.pipe`) and of the tagger-free fast path over `texts`."""
    nlp = load_nlp()
    fast_doc("Uppvärmning.", nlp)  # load lemma tables outside the timing
    list(nlp.pipe(texts[:2]))
    words = sum(len(text.split()) for text in texts)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    tagged_s = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        fast_doc(text, nlp)
    fast_s = time.perf_counter() - start
    return {
        "texts": len(texts),
        "words": words,
        "tag_s": round(tagged_s, 3),
        "words_per_second": round(words / tagged_s) if tagged_s else None,
        "fast_s": round(fast_s, 3),
        "fast_words_per_second": round(words / fast_s) if fast_s else None,
    }


def bench_report_nlp(path: Path = BUNDLED, repeats: int = 3) -> dict:
    """Seconds per report for sentence records plus good examples (what `analyse` adds to extraction)."""
    from extractors.good_examples import find_good_examples
    from extractors.document import read_document
    from extractors.tagging import prose_lines
    from extractors.prose import prose_sections
    from extractors.sentences import prose_sentences, sentence_records
    from extractors.swedish import forget_tagged

    sections = prose_sections(prose_lines(read_document(path)))
    words = sum(len(s.text.split()) for s in sections)
    find_good_examples(sections, None, None)
    seconds = 0.0
    for _ in range(repeats):
        forget_tagged()  # the report as a worker's first: none of its sentences in the cache of tagged ones
        start = time.perf_counter()
        sentences = list(prose_sentences(sections))
        sentence_records(sections, sentences=sentences)
        find_good_examples(sections, None, None, sentences=sentences)
        seconds += time.perf_counter() - start
    seconds /= repeats
    return {"report_words": words, "nlp_s_per_report": round(seconds, 3), "nlp_words_per_second": round(words / seconds)}


def report_texts(path: Path = BUNDLED) -> list[str]:
    """The prose paragraphs of a report, as the tagger sees them."""
    from extractors.document import read_document
    from extractors.tagging import prose_lines
    from extractors.prose import prose_sections
    from extractors.sentences import paragraphs

    sections = prose_sections(prose_lines(read_document(path)))
    return [p for s in sections for _, p in paragraphs(s.text)]


def main() -> None:
    tagging = bench_tagging(report_texts())
    report = bench_report_nlp()
    print(f"tagger: {tagging['words_per_second']} words/s; fast path: {tagging['fast_words_per_second']} words/s; "
          f"sentences + good examples: {report['nlp_s_per_report']} s per report ({report['nlp_words_per_second']} words/s)")
    print(" ".join(f"{k}={v}" for k, v in {**tagging, **report}.items()))


if __name__ == "__main__":
    main()
