"""Swedish full-text search: one query language for the web search box, the canned queries and `kompass search`.

What a user types is never handed to FTS5 as it is. `fts_expression(text)` reads it as words, "quoted
phrases" and the operators AND, OR and NOT (upper case, between words), and writes an FTS5 expression
of its own in which every word is a quoted phrase: hyphens (`e-tjänster`), quotes, `*`, parentheses,
colons and a lone `NOT` can never be FTS5 syntax, so they never raise `no such column` or a syntax error.

A word matches
- its own form as the start of a word (`budget` finds `budgeten`, `budgetering`),
- its lemma as the start of a word (`budgetar` → `budget`, `städer` → `stad`),
- in the lemmas column: every inflected form (`medborgardialogen` is indexed as `medborgardialog`),
- in the parts column: the parts of compounds, split when the rows were loaded
  (`kostnadsbudgetering` is indexed as `kostnad budgetering`, so `budget` finds it).
A "quoted phrase" matches those words next to each other, without prefixes.

Compound parts are found at indexing time (`compound_parts`), not by a trigram index: on 1,000
evaluations the parts column adds a fraction of what a trigram index costs, keeps short words (`IT`, `EU`)
searchable, keeps `ort` from matching `rapport`, and gives bm25 whole words to rank (see README, "Sök").

Every cost is bounded by what is read of the input: at most MAX_TERMS terms of at most MAX_TERM_CHARS
characters each, from the first MAX_INPUT_CHARS characters; a word is lemmatised only when it is at most
MAX_LEMMA_WORD characters long (the longest form in the lemma table has 33), so each call is linear in the
input's length and constant past the caps, and the caches hold short keys only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_TERMS = 16
MAX_TERM_CHARS = 200
MAX_INPUT_CHARS = MAX_TERMS * (MAX_TERM_CHARS + 8)  # what of the input is read at all
MAX_LEMMA_WORD = 48  # longer words are not lemmatised or split (no form in the lemma table is longer than 33)
MIN_PREFIX = 2  # a one-letter word matches only itself, not every word that starts with it
MIN_LEMMA_WORD = 3  # shorter words are searched as written (IT, EU, är)
MIN_LEMMA_PREFIX_WORD = 5  # from here a word's lemma is also searched as a word start (städer → stad*)
NOTHING = '""'  # an empty phrase: valid FTS5 that matches no row

# One piece of input: a "quoted phrase" (an unclosed quote runs to the end), or a word (letters and digits
# joined by - : . ' ’), or anything else (a separator).
_PIECE = re.compile(r'"([^"]*)"?|([^\W_]+(?:[-:.\'’][^\W_]+)*)', re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what FTS5's unicode61 tokenizer keeps of a word
OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Term:
    tokens: tuple[str, ...]  # lower-cased, as the unicode61 tokenizer reads them
    phrase: bool  # "quoted": the tokens next to each other, as written


def _phrase(tokens) -> str:
    return '"' + " ".join(tokens) + '"'  # tokens are letters and digits only: nothing to escape


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(text[:MAX_TERM_CHARS]))


def parse(text: str | None) -> list[tuple[list[Term], list[Term]]]:
    """The input as OR-separated groups, each (required terms, excluded terms); at most MAX_TERMS terms."""
    groups: list[tuple[list[Term], list[Term]]] = [([], [])]
    negate, count = False, 0
    for match in _PIECE.finditer((text or "")[:MAX_INPUT_CHARS]):
        quoted, word = match.group(1), match.group(2)
        if word in OPERATORS:
            if word == "OR" and (groups[-1][0] or groups[-1][1]):
                groups.append(([], []))
            negate = word == "NOT"
            continue
        tokens = _tokens(quoted if quoted is not None else word)
        if not tokens:
            continue
        if count >= MAX_TERMS:
            break
        count += 1
        (groups[-1][1] if negate else groups[-1][0]).append(Term(tokens, quoted is not None))
        negate = False
    return [group for group in groups if group[0]]  # FTS5 cannot search for "not X" alone


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    """Lemma of a short word without context (extractors.lemmas), through a cache of our own: the
    lemmatiser's big cache never holds what strangers typed."""
    from extractors.lemmas import lemma_of

    if len(word) > MAX_LEMMA_WORD:
        return word
    return getattr(lemma_of, "__wrapped__", lemma_of)(word).lower()


def term_expression(term: Term) -> str:
    if term.phrase:
        return _phrase(term.tokens)
    last = term.tokens[-1]
    options = [_phrase(term.tokens) + ("*" if len(last) >= MIN_PREFIX else "")]
    lemma = _lemma(last) if len(last) >= MIN_LEMMA_WORD else last  # IT is not a form of i, nor är of vara*
    if lemma != last and _TOKEN.fullmatch(lemma):
        prefix = len(last) >= MIN_LEMMA_PREFIX_WORD and len(lemma) >= 4  # städer → stad*, but bar → bära only
        options.append(_phrase((*term.tokens[:-1], lemma)) + ("*" if prefix else ""))
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def fts_expression(text: str | None) -> str:
    """A safe FTS5 MATCH expression for what a user typed (see the module's docstring); NOTHING when
    there is nothing to search for."""
    pieces = []
    for required, excluded in parse(text):
        expression = " AND ".join(term_expression(t) for t in required)
        for term in excluded:
            expression = f"({expression}) NOT {term_expression(term)}"
        pieces.append(f"({expression})" if len(required) > 1 or excluded else expression)
    return " OR ".join(pieces) or NOTHING


# --- compound parts, at indexing time ---------------------------------------------------------------

MIN_COMPOUND = 7  # shorter words are not split
MIN_HEAD, MIN_TAIL = 3, 3
LINKS = ("", "e", "a")  # a head as written (kostnad-), or with its dropped vowel back (skol- → skola)


def _known(word: str) -> str | None:
    """The lemma of `word` when the lexicon or the lemma table knows it as a form or a lemma."""
    from extractors.lemmas import is_known_lemma, lemma_table, treebank_lexicon

    lexicon = treebank_lexicon()
    if word in lexicon:
        return lexicon[word].lower()
    found = lemma_table().get(word)
    if found:
        return found.lower()
    return word if is_known_lemma(word) else None


def _head(head: str, depth: int) -> list[str] | None:
    """The lemmas a compound's first part stands for (kostnads → kostnad, medborgar → medborgare)."""
    candidates = [head + link for link in LINKS]
    if head.endswith("s") and len(head) > MIN_HEAD:
        candidates.insert(1, head[:-1])  # the linking s: kostnads-budget
    for candidate in candidates:
        lemma = _known(candidate)
        if lemma:
            return [lemma]
    if depth > 0 and len(head) >= MIN_COMPOUND:
        return _split(head, depth - 1)
    return None


def _split(lower: str, depth: int) -> list[str] | None:
    from extractors.lemmas import lemma_table

    if not (MIN_COMPOUND <= len(lower) <= MAX_LEMMA_WORD) or not lower.isalpha():
        return None
    cuts = range(MIN_HEAD, len(lower) - MIN_TAIL + 1)  # the longest tail first
    tails = [lower[cut:] for cut in cuts]
    table = lemma_table()
    forms = dict(table.conn.execute(
        f"SELECT form, lemma FROM forms WHERE form IN ({', '.join('?' * len(tails))})", tails).fetchall())
    lemmas = table.known_lemmas(tails)
    for cut, tail in zip(cuts, tails):
        tail_lemma = forms.get(tail) or (tail if tail in lemmas else None)
        if not tail_lemma:
            continue
        head = _head(lower[:cut], depth)
        if head:
            return [*head, tail_lemma.lower()]
    return None


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The lemmas of a compound's parts (kostnadsbudgetering → kostnad, budgetering; e-tjänster → e, tjänst);
    () for a word that is not a compound the lemma table can explain."""
    lower = word.lower()
    if len(lower) > MAX_LEMMA_WORD:
        return ()
    if "-" in lower:
        pieces = [p for p in lower.split("-") if p]
        return tuple(_lemma(p) if len(p) > 2 else p for p in pieces) if len(pieces) > 1 else ()
    return tuple(_split(lower, depth=2) or ())


def parts_words(text: str | None) -> str:
    """The compound parts of a text's words, space-joined, for the `parts` column of the search indexes."""
    from extractors.lemmas import WORD

    found = []
    for word in WORD.findall(text or ""):
        found.extend(compound_parts(word))
    return " ".join(found)


# --- running a search: the canned queries of db/metadata.yml, for `kompass search` -------------------

PAGE_ROWS = 200  # rows per page of the search queries (their `limit 200`)
SCOPES = {  # --in → (canned query, its search parameter, its other parameters)
    "sentences": ("search_sentences", "q", {}),
    "findings": ("findings_with_word", "ord", {"typ": ""}),
    "good-examples": ("search_good_examples", "q", {}),
}


def read_connection(path):
    """A read-only connection to a built database with the SQL functions the served one has (a database
    from before search indexes is upgraded first, as every command that opens the file does)."""
    import sqlite3
    from pathlib import Path

    from outputs.datasette_research import prepare_connection

    path = Path(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        current = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'good_examples_fts'").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise
    if not current:
        conn.close()
        from db.schema import open_database

        open_database(path).close()
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)  # as served (db/serving.py's MAX_VALUE_BYTES)
    conn.execute("PRAGMA query_only = 1")
    prepare_connection(conn)  # kompass_fts, kompass_kommunkod, kompass_mark, COLLATE swedish: the web's functions
    conn.row_factory = sqlite3.Row
    return conn


def search_pages(conn, text: str, scope: str = "sentences", kommun: str = "", limit: int | None = None):
    """The hits of `kompass search`, best first, page by page through the same canned query the web runs;
    yields (matches, rows of one page) until `limit` rows or every hit has come."""
    from db.datasette import METADATA_FILE
    import yaml

    query, parameter, others = SCOPES[scope]
    sql = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))["databases"]["kommunkompassen"]["queries"][
        query]["sql"]
    given = 0
    for page in range(1, 100_000):
        rows = conn.execute(sql, {parameter: text, "kommun": kommun or "", "sida": str(page), **others}).fetchall()
        if not rows:
            return
        if limit is not None:
            rows = rows[:max(0, limit - given)]
        given += len(rows)
        yield rows[0]["matches"], rows
        if len(rows) < PAGE_ROWS or (limit is not None and given >= limit):
            return


# --- marking the hits in a text (the `snippet` column) ----------------------------------------------

MAX_MARKED_CHARS = 20_000  # a text is marked up to here (a report's longest sentence is ~10 kB); the rest as is


def _wanted(query: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """What a search for `query` finds: word starts (a word and its lemma), and words only found whole."""
    starts, whole = [], set()
    for required, _excluded in parse(query):
        for term in required:
            for token in term.tokens:
                if len(token) >= MIN_PREFIX:
                    starts.append(token)
                else:
                    whole.add(token)
                if not term.phrase and len(token) >= MIN_LEMMA_WORD:
                    lemma = _lemma(token)
                    if lemma != token and len(token) >= MIN_LEMMA_PREFIX_WORD and len(lemma) >= 4:
                        starts.append(lemma)
                    elif lemma != token:
                        whole.add(lemma)
    return tuple(dict.fromkeys(starts)), frozenset(whole)


@lru_cache(maxsize=256)
def _cached_wanted(query: str) -> tuple[tuple[str, ...], frozenset[str]]:
    return _wanted(query)


def mark_hits(text, query, open_mark: str = "[", close_mark: str = "]") -> str | None:
    """The text with each word that a search for `query` finds between marks: a word that starts with a
    searched word or its lemma, whose lemma does, or one of whose compound parts does."""
    if text is None:
        return None
    text = str(text)
    query = "" if query is None else str(query)[:MAX_INPUT_CHARS]
    starts, whole = _cached_wanted(query) if len(query) <= 512 else _wanted(query)
    if not starts and not whole:
        return text
    firsts = {start[:2] for start in starts}

    def found(token: str) -> bool:
        lower = token.lower()
        if lower in whole or (starts and lower.startswith(starts)):
            return True
        if len(lower) > MAX_LEMMA_WORD:
            return False
        if lower[:2] in firsts and _text_lemma(lower).startswith(starts):
            return True
        return len(lower) >= MIN_COMPOUND and any(start in lower for start in starts) and any(
            part.startswith(starts) for part in compound_parts(lower))

    def mark(match) -> str:
        token = match.group(0)
        return f"{open_mark}{token}{close_mark}" if found(token) else token

    return _TOKEN.sub(mark, text[:MAX_MARKED_CHARS]) + text[MAX_MARKED_CHARS:]


def _text_lemma(word: str) -> str:
    """Lemma of a stored text's word (the lemmatiser's own cache: these are the words the loader saw)."""
    from extractors.lemmas import lemma_of

    return lemma_of(word).lower()
