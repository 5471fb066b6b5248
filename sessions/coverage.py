"""What the sources cover of each meeting, as the API says it: "not in our sources" is never a count of zero.

A meeting's `sessions_coverage` and `recommendations_coverage` are the one source of truth (the meeting
pages, the indexes and the data package read them too); the API names them `complete`, `partial` and
`not-in-sources`.
"""

from django.db.models import Q

from lib.caching import per_revision
from lib.listing import NOT_IN_SOURCES

WORDS = {"complete": "complete", "partial": "partial", "none": NOT_IN_SOURCES}
KINDS = ("sessions", "recommendations")


def words_of(kind):
    """{"meeting": {slug: word}, "year": {year: word}, "year_of": {slug: year}}: what the sources cover of
    each meeting's records of one kind (sessions or recommendations), kept per revision, small as every list
    reads it."""
    return WORDS_OF[kind]()


def words_reader(kind):
    @per_revision(name=f"sessions.coverage.words.{kind}")
    def read():
        from sessions.models import Meeting

        words = {"meeting": {}, "year": {}, "year_of": {}}
        for slug, year, coverage in Meeting.objects.values_list("slug", "year", f"{kind}_coverage"):
            words["meeting"][slug] = words["year"][str(year)] = WORDS[coverage]
            words["year_of"][slug] = str(year)
        return words

    return read


WORDS_OF = {kind: words_reader(kind) for kind in KINDS}


def coverage_json(meeting):
    """A meeting's `coverage` in /api/meetings/: each kind's word, how many were held where a source says,
    and our note."""
    return {
        "sessions": WORDS[meeting.sessions_coverage],
        "recommendations": WORDS[meeting.recommendations_coverage],
        "held": {"sessions": meeting.sessions_held, "recommendations": None},
        "note": meeting.coverage_note,
    }


COVERAGE_WORD = {"type": "string", "enum": list(WORDS.values())}


class MeetingCoverage:
    """For a FilterSet whose records are a meeting's `coverage_kind` (sessions or recommendations): its
    `meeting` and `year` facet values say what the sources cover of their meeting, and a list filtered to
    meetings the sources cover in part says so."""

    coverage_kind = "sessions"
    selected_coverage_schema = {
        "type": "array",
        "description": "Present when the list is filtered to meetings whose records of this kind the sources "
        "give in part or not at all: what they cover of each.",
        "items": {
            "type": "object",
            "required": ["meeting", "year", "coverage", "held", "note"],
            "properties": {
                "meeting": {"type": "string", "description": "The meeting's slug."},
                "year": {"type": "integer"},
                "coverage": COVERAGE_WORD,
                "held": {"type": ["integer", "null"], "description": "How many were held, where a source says."},
                "note": {"type": "string", "description": "Our words on what the sources cover."},
            },
        },
    }

    def coverage(self):
        words = words_of(self.coverage_kind)
        return {name: by_value for name, by_value in words.items() if name in self.filters}

    def leaves_out(self, name):
        """A meeting of a year not chosen is out of the view, whether or not our sources give its records."""
        years = {str(v) for v in self.form.cleaned_data.get("year") or ()}
        if name != "meeting" or not years:
            return super().leaves_out(name)
        chosen = {str(v) for v in self.form.cleaned_data.get("meeting") or ()}
        year_of = words_of(self.coverage_kind)["year_of"]
        return lambda value: year_of.get(value) not in years or bool(chosen) and value not in chosen

    def selected_coverage(self):
        from sessions.models import Meeting

        data = getattr(self.form, "cleaned_data", {})
        slugs = {str(v) for v in data.get("meeting") or ()}
        years = {int(v) for v in data.get("year") or () if str(v).isdigit()}
        if not slugs and not years:
            return []
        chosen = (
            Meeting.objects.filter(Q(slug__in=slugs) | Q(year__in=years))
            .exclude(**{f"{self.coverage_kind}_coverage": "complete"})
            .values_list("slug", "year", f"{self.coverage_kind}_coverage", "sessions_held", "coverage_note")
        )
        return [
            {
                "meeting": slug,
                "year": year,
                "coverage": WORDS[coverage],
                "held": held if self.coverage_kind == "sessions" else None,
                "note": note,
            }
            for slug, year, coverage, held, note in chosen
        ]
