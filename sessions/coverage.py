"""What the sources cover of each meeting, as the API says it: "not in our sources" is never a count of zero.

A meeting's `sessions_coverage` and `recommendations_coverage` are the one source of truth (the meeting
pages, the indexes and the data package read them too); the API names them `complete`, `partial` and
`not-in-sources`.
"""

from lib.caching import per_revision
from lib.listing import NOT_IN_SOURCES

WORDS = {"complete": "complete", "partial": "partial", "none": NOT_IN_SOURCES}
KINDS = ("sessions", "recommendations")


@per_revision
def meetings_covered():
    """[{slug, year, sessions, recommendations, sessions_held, note}] of every meeting, in their order."""
    from sessions.models import Meeting

    fields = ("slug", "year", "sessions_coverage", "sessions_held", "recommendations_coverage", "coverage_note")
    return [dict(zip(fields, row, strict=True)) for row in Meeting.objects.values_list(*fields)]


def coverage_json(meeting):
    """A meeting's `coverage` in /api/meetings/: each kind's word, how many were held where a source says,
    and our note. `meeting` is a Meeting or a row of meetings_covered()."""
    read = meeting.get if isinstance(meeting, dict) else lambda name: getattr(meeting, name)
    return {
        "sessions": WORDS[read("sessions_coverage")],
        "recommendations": WORDS[read("recommendations_coverage")],
        "held": {"sessions": read("sessions_held"), "recommendations": None},
        "note": read("coverage_note"),
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
        words = {}
        for meeting in meetings_covered():
            word = WORDS[meeting[f"{self.coverage_kind}_coverage"]]
            words.setdefault("meeting", {})[meeting["slug"]] = word
            words.setdefault("year", {})[str(meeting["year"])] = word
        return {name: by_value for name, by_value in words.items() if name in self.filters}

    def selected_coverage(self):
        data = getattr(self.form, "cleaned_data", {})
        slugs = {str(v) for v in data.get("meeting") or ()}
        years = {str(v) for v in data.get("year") or ()}
        found = []
        for meeting in meetings_covered():
            word = WORDS[meeting[f"{self.coverage_kind}_coverage"]]
            if word != "complete" and (meeting["slug"] in slugs or str(meeting["year"]) in years):
                held = meeting["sessions_held"] if self.coverage_kind == "sessions" else None
                found.append(
                    {
                        "meeting": meeting["slug"],
                        "year": meeting["year"],
                        "coverage": word,
                        "held": held,
                        "note": meeting["coverage_note"],
                    }
                )
        return found
