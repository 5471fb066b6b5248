"""Snippets: an escaped excerpt around the matches, cut at word boundaries, marked in one pass."""

from functools import lru_cache
from html import escape
from itertools import islice

import snowballstemmer

from lib.search.query import WORD, Query, parse

SNIPPET_WORDS = 30
SNIPPET_MAX_CHARS = 320
WORD_MAX_CHARS = 40

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word):
    # The English Snowball stemmer, as PostgreSQL's english configuration uses; a pure function, so caching is safe.
    return _stemmer.stemWord(word.lower())


def snippet(text, query, *, words=SNIPPET_WORDS):
    """An HTML-safe excerpt of `text`, cut at word boundaries, around its best run of matching words.

    One pass over the text: each word is escaped once and marked at most
    once, so marks never nest and the result is at most a few times the
    length of the excerpt, whatever the query. Escaped as Django's escape
    does (it calls the same html.escape), without its lazy-string wrapper
    around each of a page's thousand pieces.
    """
    text = text or ""
    query = query if isinstance(query, Query) else parse(query)
    stems = {stem(word) for word in query.words()}
    prefixes = {s[:3] for s in stems} | {w[:3] for w in query.words()}
    # The words, read by the regex engine at once. Most cannot match: only those sharing a stem's first
    # letters are stemmed.
    found = WORD.findall(text)
    if not found:
        return ""
    hits = [i for i, word in enumerate(map(str.lower, found)) if word[:3] in prefixes and stem(word) in stems]
    start = best_window(hits, words)
    start = max(0, start - 4) if hits else 0
    marked = set(hits)
    # Only the excerpt's words are placed in the text.
    spans = [match.span() for match in islice(WORD.finditer(text), start, start + words)]
    # The text between marks is escaped a run at a time: escaping goes character by character, so a run
    # escaped whole is its pieces escaped one by one.
    pieces, run, position, length = [], [], spans[0][0], 0
    end = start
    for index, (token_start, token_end) in enumerate(spans, start):
        gap = text[position:token_start]
        if len(gap) > 3:
            gap = " " if not gap.strip() else gap[:3].rstrip() + " "
        word = text[token_start:token_end]
        if len(word) > WORD_MAX_CHARS:
            word = word[:WORD_MAX_CHARS] + "…"
        length += len(gap) + len(word)
        if length > SNIPPET_MAX_CHARS and index > start:
            break
        run.append(gap)
        if index in marked:
            pieces.append(escape("".join(run)))
            pieces.append(f"<mark>{escape(word)}</mark>")
            run = []
        else:
            run.append(word)
        position, end = token_end, index + 1
    pieces.append(escape("".join(run)))
    before = "… " if start > 0 else ""
    after = " …" if end < len(found) else ""
    return before + "".join(pieces) + after


def best_window(hits, size):
    """The first word of the window of `size` words holding the most hits (hits are word indexes, in order)."""
    best, best_count, left = 0, 0, 0
    for right, hit in enumerate(hits):
        while hit - hits[left] >= size:
            left += 1
        if right - left + 1 > best_count:
            best, best_count = hits[left], right - left + 1
    return best
