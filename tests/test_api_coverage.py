"""Unknown is never zero in the API: what the sources do not cover of a meeting is said, not counted as 0."""

import pytest

from lib.caching import content_changed
from sessions.models import Meeting

pytestmark = pytest.mark.django_db

NOT_COVERED = {
    "sessions": {"brussels-2007", "geneva-2011"},
    "recommendations": {"manila-2008", "puerto-vallarta-2010", "geneva-2011", "mauritius-2012"},
}


def api(client, path, **params):
    response = client.get(f"/api/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_each_meeting_says_what_the_sources_cover_of_it(client):
    meetings = {m["slug"]: m["coverage"] for m in api(client, "meetings")["results"]}
    for kind, slugs in NOT_COVERED.items():
        assert {slug for slug, coverage in meetings.items() if coverage[kind] == "not-in-sources"} == slugs
    assert meetings["brussels-2007"]["held"] == {"sessions": 12, "recommendations": None}
    assert meetings["athens-2009"]["sessions"] == "partial"
    assert "are not in our sources" in meetings["geneva-2011"]["note"]
    # Read from the meetings' own fields, the one source of truth.
    for meeting in Meeting.objects.all():
        word = {"none": "not-in-sources"}.get(meeting.sessions_coverage, meeting.sessions_coverage)
        assert meetings[meeting.slug]["sessions"] == word


@pytest.mark.parametrize("kind", ["sessions", "recommendations"])
def test_a_meeting_the_sources_do_not_cover_counts_null_not_zero(client, kind):
    facets = api(client, kind)["facets"]
    years = {m.slug: str(m.year) for m in Meeting.objects.all()}
    for facet, key in (("meeting", lambda slug: slug), ("year", lambda slug: years[slug])):
        values = {v["value"]: v for v in facets[facet]}
        for slug in years:
            value = values[key(slug)]
            if slug in NOT_COVERED[kind]:
                assert value["count"] is None and value["coverage"] == "not-in-sources", (facet, value)
            else:
                assert value["count"] and value["coverage"] in ("complete", "partial"), (facet, value)
    assert {v["value"]: v["count"] for v in facets["meeting"]}.get("athens-2009") == (10 if kind == "sessions" else 75)
    # A facet that is not a meeting's carries no coverage.
    assert all("coverage" not in v for v in facets["track"])


def test_a_list_filtered_to_a_meeting_covered_in_part_says_so(client):
    brussels = api(client, "sessions", meeting="brussels-2007")
    assert brussels["count"] == 0
    assert brussels["coverage"] == [
        {
            "meeting": "brussels-2007",
            "year": 2007,
            "coverage": "not-in-sources",
            "held": 12,
            "note": Meeting.objects.get(slug="brussels-2007").coverage_note,
        }
    ]
    by_year = api(client, "recommendations", year=["2009", "2010"])["coverage"]
    assert [(c["meeting"], c["coverage"]) for c in by_year] == [
        ("athens-2009", "partial"),
        ("puerto-vallarta-2010", "not-in-sources"),
    ]
    assert "coverage" not in api(client, "sessions")


def test_a_meeting_covered_in_full_has_no_coverage_warning_and_its_zero_is_zero(client, meeting):
    meeting.sessions_coverage = "complete"
    meeting.save()
    content_changed([meeting])
    answer = api(client, "sessions", meeting=meeting.slug)
    assert answer["count"] == 0 and "coverage" not in answer
    value = next(v for v in answer["facets"]["meeting"] if v["value"] == meeting.slug)
    assert value == {"value": meeting.slug, "label": "Testville 2099", "count": 0, "coverage": "complete"}
    # Partial, its zero is still a count, with the coverage beside it.
    meeting.sessions_coverage = "partial"
    meeting.save()
    content_changed([meeting])
    answer = api(client, "sessions", meeting=meeting.slug)
    assert answer["coverage"][0]["coverage"] == "partial"
    assert next(v for v in answer["facets"]["meeting"] if v["value"] == meeting.slug)["count"] == 0
