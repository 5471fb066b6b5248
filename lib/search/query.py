"""What a query asks for, as both engines read it: words, "phrases", `or`, `-word`, at most MAX_TERMS words."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

MAX_QUERY_LENGTH = 200
# Words searched for at most, counting each word of a phrase; the rest are left out, with a notice.
MAX_TERMS = 12

# A word: letters and digits. Hyphens, apostrophes and underscores separate words, as both engines' parsers do.
WORD = re.compile(r"[^\W_]+")
QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# PostgreSQL's English stop words (snowball): its parser drops them, and so does the query on SQLite.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up down in out on off
    over under again further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()
)


@dataclass
class Query:
    """A query as both engines read it: AND of groups, each an OR of phrases (tuples of words)."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def empty(self):
        return not self.groups

    def websearch(self):
        """The query in websearch_to_tsquery's syntax; words hold only letters and digits."""
        parts = [" or ".join(phrase_text(p) for p in group) for group in self.groups]
        parts += [f"-{phrase_text(p)}" for p in self.excluded]
        return " ".join(parts)

    def fts5(self, column=None):
        """The query as an FTS5 expression; with `column`, the positive part within that column only."""
        positive = " AND ".join("(" + " OR ".join(f'"{" ".join(p)}"' for p in group) + ")" for group in self.groups)
        if column:
            return f"{{{column}}} : ({positive})"
        return positive + "".join(f' NOT "{" ".join(p)}"' for p in self.excluded)

    def words(self):
        """Every word of the positive phrases: what a snippet marks."""
        return {word for group in self.groups for phrase in group for word in phrase}

    def __str__(self):
        return self.websearch()


def phrase_text(phrase):
    return phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'


def clean_query(q):
    """The query as typed, trimmed; control characters dropped."""
    q = "".join(ch for ch in (q or "") if ch.isprintable())
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


def parse(q):
    """Words, "phrases", `or` and -exclusions; stop words, repeats and words past MAX_TERMS left out."""
    query = Query()
    items = []
    for match in QUERY_TOKEN.finditer(clean_query(q)):
        negative, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                items.append("or")
                continue
            negative = bare.startswith("-")
            phrase = tuple(WORD.findall(bare.lower()))
        else:
            negative = negative == "-"
            phrase = tuple(WORD.findall(quoted.lower()))
        if len(phrase) == 1 and phrase[0] in STOP_WORDS:
            continue
        if phrase:
            items.append((negative, phrase))
    budget, left_out, after_or = MAX_TERMS, [], False
    for item in items:
        if item == "or":
            after_or = bool(query.groups)
            continue
        negative, phrase = item
        if phrase in query.excluded or any(phrase in group for group in query.groups):
            after_or = False
            continue
        if len(phrase) > budget:
            left_out.append(" ".join(phrase))
            continue
        budget -= len(phrase)
        if negative:
            query.excluded.append(phrase)
        elif after_or:
            query.groups[-1] = (*query.groups[-1], phrase)
        else:
            query.groups.append((phrase,))
        after_or = False
    if left_out:
        notice = gettext("Only the first {count} words are searched for; left out: {words}.")
        query.notices.append(notice.format(count=MAX_TERMS, words=", ".join(left_out))[:300])
    if query.empty and clean_query(q):
        query.notices.append(
            gettext(
                "Nothing to search for: give at least one word that is not left out with a minus "
                "and not as common as “the” or “and”."
            )
        )
    return query
