"""Checks on the content a person edits: provenance, themes, numbering and
the damage that text extracted from PDFs carries.

`find_problems()` returns every problem found, each naming the record and
where an editor finds it in the admin; `check_content` prints them. The rules
are described in that command's help.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.db import models
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from gfmd import reader
from gfmd.models import SourceDocument
from lib import anchoring
from lib.content import content_models, sourced_models
from recommendations.models import Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Coverage, Meeting, Milestone, Roundtable, Session

# Sources that give only some of a meeting's sessions, so that a session list
# taken from them may legitimately have gaps (Puerto Vallarta 2010 has 2.2
# without 2.1). Web pages are always counted among them.
PARTIAL_SOURCES = {
    # Only a fragment of the concept paper survives: Sessions 2.1 and 3.2
    # without their neighbours.
    "mauritius-2012-concept-paper",
}


@dataclass(frozen=True)
class Problem:
    record: models.Model
    message: str

    def __str__(self):
        name = self.record._meta.verbose_name
        return f"{name[0].upper()}{name[1:]} “{self.record}” ({admin_location(self.record)}): {self.message}"


def admin_location(record):
    if isinstance(record, SubActivity | Objective):
        name = record._meta.verbose_name
        return f"{admin_location(record.activity)}, {name} {record.position}"
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return f"{opts.verbose_name} #{record.pk}, not in the admin"


def find_problems():
    """Every problem in the content, and the number of records examined."""
    problems = [
        *missing_provenance(),
        *incomplete_activities(),
        *missing_themes(),
        *session_numbering(),
        *section_lettering(),
        *position_gaps(),
        *recommendation_numbering(),
        *restored_numbers(),
        *assigned_numbers(),
        *coverage_statements(),
        *text_damage(),
        *unanchored(),
    ]
    records = sum(model.objects.count() for model in content_models())
    return problems, records


# -- provenance, activities, themes -----------------------------------------


def missing_provenance():
    # The database already refuses a record without a source; where in the
    # source it comes from is what an editor can leave out.
    for model in sourced_models():
        for record in model.objects.filter(source_location=""):
            yield Problem(record, "does not say where in its source it comes from (source location is empty).")


def incomplete_activities():
    activities = ProposedActivity.objects.select_related("section__roundtable__meeting").annotate(
        n_objectives=Count("objectives", distinct=True), n_members=Count("gmg_members", distinct=True)
    )
    for activity in activities:
        if not activity.n_objectives:
            yield Problem(activity, "has no objective.")
        if not activity.n_members:
            yield Problem(activity, "names no GMG member with expertise.")


def missing_themes():
    querysets = [
        Roundtable.objects.select_related("meeting"),
        Session.objects.select_related("meeting"),
        Recommendation.objects.top_level().select_related("meeting"),
        ProposedActivity.objects.select_related("section__roundtable"),
    ]
    for queryset in querysets:
        for record in queryset.annotate(n_themes=Count("themes")).filter(n_themes=0):
            yield Problem(record, "is linked to no theme.")


def unanchored():
    """Every quoted text is found in its source's stored text, where its stored anchors say (lib/anchoring.py)."""
    for model in anchoring.anchored_models():
        for record, message in anchoring.check(model):
            yield Problem(record, message)


def coverage_lines():
    """A line per source holding a stored text: the share of it the records cover."""
    for source, reading in reader.coverage_by_source().items():
        share = f"{100 * reading['share']:.1f} %"
        yield f"{source.slug}: {share} covered by records ({reading['covered']} of {reading['total']} characters)"


# -- what a reader is told of a record's provenance and of a meeting's coverage


def restored_numbers():
    """A number the source does not print is flagged and said to be restored where the record cites it."""
    records = Recommendation.objects.select_related("meeting").filter(
        Q(number_restored=True) | Q(source_location__icontains="restored")
    )
    for record in records:
        said = "restored" in record.source_location.lower()
        if record.number_restored and not said:
            yield Problem(record, "its number is restored, but its source location does not say so.")
        elif said and not record.number_restored:
            yield Problem(record, "its source location says its number is restored, but it is not marked restored.")


def assigned_numbers():
    """A number the knowledge base assigned (not the source's) is explained to the reader in an editorial note."""
    for model in (Roundtable, Session):
        for record in model.objects.select_related("meeting").filter(number_assigned=True, editorial_note=""):
            yield Problem(record, "its number is the knowledge base's, but no editorial note says why.")


def coverage_statements():
    """A meeting's coverage agrees with what it holds: "none" means no record of that kind as held."""
    for meeting in Meeting.objects.all():
        held = {
            "sessions": Session.objects.held().filter(meeting=meeting).count(),
            "recommendations": Recommendation.objects.held().filter(meeting=meeting).count(),
        }
        for kind, count in held.items():
            coverage = getattr(meeting, f"{kind}_coverage")
            if coverage == Coverage.NONE and count:
                yield Problem(meeting, f"says its {kind} are not in our sources, but holds {count} held {kind}.")
        if meeting.sessions_held is not None and meeting.sessions_held < held["sessions"]:
            yield Problem(meeting, f"says {meeting.sessions_held} sessions were held, but holds {held['sessions']}.")


# -- numbering --------------------------------------------------------------


def transcribed_in_full(source):
    return source.kind != SourceDocument.Kind.WEB_PAGE and source.slug not in PARTIAL_SOURCES


def session_numbering():
    sessions = Session.objects.exclude(number="").select_related("roundtable", "meeting", "source")
    by_roundtable = defaultdict(list)
    for session in sessions:
        by_roundtable[session.roundtable].append(session)
    for roundtable, items in by_roundtable.items():
        numbered = []
        for session in items:
            match = re.fullmatch(r"(\d+)\.(\d+)", session.number)
            if not match or int(match[1]) != roundtable.number:
                yield Problem(
                    session, f"number {session.number} is not of the form {roundtable.number}.n of its roundtable."
                )
            else:
                numbered.append((int(match[2]), session))
        numbered.sort(key=lambda pair: pair[0])
        seen = set()
        for n, session in numbered:
            if n in seen:
                yield Problem(session, f"number {session.number} is used twice in its roundtable.")
            seen.add(n)
        if numbered and all(transcribed_in_full(s.source) for _, s in numbered):
            expected = [f"{roundtable.number}.{k}" for k in range(1, len(numbered) + 1)]
            yield from sequence_problem([s for _, s in numbered], [s.number for _, s in numbered], expected)


def section_lettering():
    sections = Section.objects.select_related("roundtable__meeting").order_by("roundtable_id", "letter")
    for _, items in groupby(sections, key=lambda s: s.roundtable_id):
        items = list(items)
        yield from sequence_problem(items, [s.letter for s in items], letters(len(items)))


def position_gaps():
    lists = [
        (ProposedActivity.objects.select_related("section__roundtable"), "section_id"),
        (SubActivity.objects.select_related("activity__section__roundtable"), "activity_id"),
        (Objective.objects.select_related("activity__section__roundtable"), "activity_id"),
        (Milestone.objects.select_related("meeting"), "meeting_id"),
    ]
    for queryset, parent in lists:
        for _, items in groupby(queryset.order_by(parent, "position"), key=lambda r: getattr(r, parent)):
            items = list(items)
            positions = [str(r.position) for r in items]
            yield from sequence_problem(items, positions, [str(n) for n in range(1, len(items) + 1)], "positions")


def recommendation_numbering():
    """Positions run 1..n in every list; printed numbers run 1, 2... or a, b... or i, ii...

    Where a list is printed under several headings, its numbers may restart
    under each heading (Athens 2009, Session 4.2, recommendation 4).
    """
    fields = ("meeting_id", "track", "roundtable_id", "session_id", "kind", "parent_id")
    recommendations = Recommendation.objects.select_related("meeting").order_by(*fields, "position")
    for _, items in groupby(recommendations, key=lambda r: tuple(getattr(r, f) for f in fields)):
        items = list(items)
        positions = [str(r.position) for r in items]
        yield from sequence_problem(items, positions, [str(n) for n in range(1, len(items) + 1)], "positions")
        numbers = [r.number for r in items]
        if not any(numbers):
            continue
        if not all(numbers):
            first = next(r for r in items if not r.number)
            yield Problem(first, "has no number, but other items of its list are numbered.")
            continue
        runs = [list(run) for _, run in groupby(items, key=lambda r: r.group_heading)]
        if len(runs) > 1 and all(restarts(run[0].number) for run in runs[1:]):
            for run in runs:
                run_numbers = [r.number for r in run]
                yield from sequence_problem(run, run_numbers, expected_numbers(run_numbers), where="under its heading")
        else:
            yield from sequence_problem(items, numbers, expected_numbers(numbers))


def restarts(number):
    return number == expected_numbers([number])[0]


def expected_numbers(numbers):
    n = len(numbers)
    if numbers[0].isdigit():
        return [str(k) for k in range(1, n + 1)]
    if numbers[0] == "i":
        return ROMAN[:n] if n <= len(ROMAN) else [*ROMAN, *["?"] * (n - len(ROMAN))]
    return letters(n)


ROMAN = "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split()


def letters(n):
    return [chr(ord("a") + k) if k < 26 else "?" for k in range(n)]


def sequence_problem(items, actual, expected, what="numbers", where="in its list"):
    """One problem per list: the first item where the sequence departs from the expected one."""
    for item, got, wanted in zip(items, actual, expected, strict=True):
        if got != wanted:
            duplicate = ": a duplicate" if len(set(actual)) < len(actual) else ""
            yield Problem(item, f"{what} {where} run {', '.join(actual)}{duplicate}; expected {', '.join(expected)}.")
            return


# -- extraction damage ------------------------------------------------------

# Words the PDF extraction split in the source documents.
SPLIT_WORDS = [
    "Countri es",
    "Qualif ications",
    "Retu rn",
    "W orkers",
    "Entrepreneuri al",
    "Diaspo ras",
    "Migrat ion",
    "Migra tion",
]

# Letters glued to digits that are names, not a word with a footnote marker.
NAMES_WITH_DIGITS = {
    "C189",  # ILO Convention No. 189
    "G20",
    "G77",
    "G8",
}

# A hyphen followed by a space is a broken compound ("intra- governmental"),
# except in a suspended compound: "low- and high-skilled", "short- or long-term".
SUSPENDED_HYPHEN = re.compile(r"\w- (?:and|or|nor|to|versus|as well as)\b")

SPLIT_WORD = re.compile("|".join(r"\b" + r"\s+".join(word.split()) + r"\b" for word in SPLIT_WORDS), re.I)

DAMAGE = [
    ("a word split by the extraction", SPLIT_WORD),
    ("a doubled space", re.compile(r"\S {2,}(?=\S)")),
    ("a space before punctuation", re.compile(r"\w +[,.;:!?)]|\( +\w")),
    ("a hyphen at a line end", re.compile(r"\w-\n")),
    ("a hyphen followed by a space", re.compile(r"\w- \w")),
    ("a stray page number", re.compile(r"(?m)^[ \t]*\d{1,3}[ \t]*$")),
    ("a footnote marker glued to a word", re.compile(r"\b[A-Za-z]+\d{1,3}(?= [a-z])")),
    # PDFs draw bullets from symbol fonts, whose characters land in the private use area.
    ("a bullet character", re.compile("[•▪◦●■\ue000-\uf8ff]")),
    ("a PDF artefact", re.compile(r"~~|\x0c|\ufffd|\u00ad|\*\*|</?sup>")),
    ("a trailing space on a line", re.compile(r"(?m)[ \t]+$")),
]


def damage_in(value):
    """(what, excerpt, count) for each kind of damage in a text."""
    found = []
    if value != value.strip():
        found.append(("leading or trailing whitespace", value[:40] if value[:1].isspace() else value[-40:], 1))
    for what, pattern in DAMAGE:
        matches = [m for m in pattern.finditer(value) if not allowed(what, m, value)]
        if matches:
            found.append((what, excerpt(value, matches[0]), len(matches)))
    return found


def allowed(what, match, value):
    if what == "a hyphen followed by a space":
        return bool(SUSPENDED_HYPHEN.match(value, match.start()))
    if what == "a footnote marker glued to a word":
        return match[0] in NAMES_WITH_DIGITS
    return False


def excerpt(value, match, width=25):
    start, end = max(match.start() - width, 0), min(match.end() + width, len(value))
    text = value[start:end]
    return ("…" if start else "") + text + ("…" if end < len(value) else "")


# Printed numbers and letters are checked as numbering, not as text.
NOT_TEXT = {"number", "letter"}


def text_fields(model):
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.SlugField | models.URLField)
        and not f.choices
        and f.name not in NOT_TEXT
    ]


def text_damage():
    for model in content_models():
        fields = text_fields(model)
        related = [f.name for f in model._meta.get_fields() if f.many_to_one and f.name != "source"]
        for record in model.objects.select_related(*related):
            for field in fields:
                for what, text, count in damage_in(getattr(record, field.name) or ""):
                    times = f" ({count} times)" if count > 1 else ""
                    yield Problem(record, f"{field.verbose_name} has {what}{times}: {text!r}")
