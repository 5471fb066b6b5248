"""Every count a reader sees counts what was held at the meeting: plans, preparatory drafts and
the points of other events reported beside it are one click away, and say what they are."""

import csv as csv_module
import io
import re

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Recommendation
from sessions.models import Event, Meeting, Roundtable, Session, Stage
from themes.models import Theme

pytestmark = pytest.mark.django_db

# (held sessions, held points, planned sessions, planned points, other events' points) per meeting.
# Before the stage was kept apart the pages counted, as sessions and points of the meeting:
# Brussels 0 and 29, Manila 7 and 46, Athens 10 and 75, Puerto Vallarta 4 and 0, Geneva 0 and 0,
# Mauritius 13 and 16.
COUNTS = {
    "brussels-2007": (0, 29, 0, 0, 0),
    "manila-2008": (7, 0, 0, 25, 21),
    "athens-2009": (10, 75, 0, 0, 0),
    "puerto-vallarta-2010": (4, 0, 0, 0, 0),
    "geneva-2011": (0, 0, 0, 0, 0),
    "mauritius-2012": (7, 0, 6, 16, 0),
}


def text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return re.sub(r"\s+", " ", response.content.decode())


def api(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("slug", COUNTS)
def test_each_meeting_holds_its_pinned_held_and_planned_counts(slug):
    held_s, held_r, planned_s, planned_r, events = COUNTS[slug]
    sessions = Session.objects.filter(meeting__slug=slug)
    points = Recommendation.objects.filter(meeting__slug=slug)
    assert sessions.held().count() == held_s
    assert points.held().count() == held_r
    assert sessions.planned().count() == planned_s
    assert points.planned().count() == planned_r
    # Other events' points are their events', reported beside the meeting: none is the meeting's own.
    assert Recommendation.objects.filter(event__meeting__slug=slug).count() == events
    assert not points.of_events().exists()
    assert sessions.count() == held_s + planned_s
    assert points.count() == held_r + planned_r


@pytest.mark.parametrize("slug", COUNTS)
def test_the_lists_by_default_count_what_each_meeting_held(client, slug):
    held_s, held_r, planned_s, planned_r, _ = COUNTS[slug]
    assert api(client, "/api/sessions/", meeting=slug)["count"] == held_s
    assert api(client, "/api/recommendations/", meeting=slug)["count"] == held_r
    assert api(client, "/api/sessions/", meeting=slug, stage="planned")["count"] == planned_s
    assert api(client, "/api/recommendations/", meeting=slug, stage="planned")["count"] == planned_r
    both = api(client, "/api/recommendations/", meeting=slug, stage=["held", "planned"])
    assert both["count"] == held_r + planned_r


def test_the_meeting_facets_count_held_records_only(client):
    sessions = {f["value"]: f["count"] for f in api(client, "/api/sessions/")["facets"]["meeting"]}
    points = {f["value"]: f["count"] for f in api(client, "/api/recommendations/")["facets"]["meeting"]}
    # A meeting whose records our sources do not give is kept, counted None ("not in our sources"), never 0.
    uncovered_sessions = set(Meeting.objects.filter(sessions_coverage="none").values_list("slug", flat=True))
    uncovered_points = set(Meeting.objects.filter(recommendations_coverage="none").values_list("slug", flat=True))
    assert uncovered_sessions == {"brussels-2007", "geneva-2011"}
    for slug, (held_s, held_r, *_) in COUNTS.items():
        assert sessions[slug] == (None if slug in uncovered_sessions else held_s)
        assert points[slug] == (None if slug in uncovered_points else held_r)


def test_the_stage_facet_counts_both_values_whatever_is_chosen(client):
    for chosen in ([], ["planned"], ["held", "planned"]):
        facets = api(client, "/api/recommendations/", stage=chosen)["facets"]["stage"]
        assert {f["value"]: f["count"] for f in facets} == {
            "held": sum(c[1] for c in COUNTS.values()),
            "planned": sum(c[3] for c in COUNTS.values()),
        }
    facets = api(client, "/api/sessions/", meeting="mauritius-2012", stage="planned")["facets"]["stage"]
    assert {f["value"]: f["count"] for f in facets} == {"held": 7, "planned": 6}


def test_a_planned_list_holds_only_plans(client):
    results = api(client, "/api/sessions/", stage="planned", page_size=200)["results"]
    assert results and {r["stage"] for r in results} == {"planned"}
    results = api(client, "/api/recommendations/", stage="planned", page_size=200)["results"]
    assert results and {r["stage"] for r in results} == {"planned"}
    assert all(r["event"] is None for r in results)


def test_an_unknown_stage_is_a_400_saying_so(client):
    for url in ("/api/sessions/", "/api/recommendations/", "/sessions/", "/recommendations/"):
        response = client.get(url, {"stage": "imagined"})
        assert response.status_code == 400
        assert "imagined" in response.content.decode()


def test_the_csv_follows_the_stage_parameter(client):
    response = client.get("/recommendations/", {"format": "csv", "stage": "planned"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    header = rows[0].split(",")
    stage = header.index("stage")
    assert len(rows) - 1 == sum(c[3] for c in COUNTS.values())
    assert all(row.split(",")[stage] == "planned" for row in rows[1:] if row.count(",") == len(header) - 1)


def test_the_home_page_counts_what_was_held(client):
    page = text(client, "/")
    assert f"<strong>{sum(c[0] for c in COUNTS.values())}</strong> sessions in our sources" in page
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)).replace("&middot;", "·")
    held_points = sum(c[1] for c in COUNTS.values())
    assert held_points == 93 + 11 and "93 recommendations" in words and "11 follow-up actions" in words
    assert "Manila 2008 Manila, Philippines" in words
    assert "7 sessions · recommendations and other points not in our sources" in words
    assert not re.search(r"\b0 (sessions|recommendations)", words)


def test_search_counts_held_records_only(client):
    found = api(client, "/api/search/", q="circular migration")["results"]
    urls = {r["url"] for r in found}
    for point in Recommendation.objects.exclude(stage=Stage.HELD, event__isnull=True):
        assert point.get_absolute_url() not in urls
    for session in Session.objects.planned():
        assert session.get_absolute_url() not in urls


# -- other events -------------------------------------------------------------


def test_the_two_events_have_pages_with_their_points_and_source(client):
    workshop = Event.objects.get(slug="ec-circular-migration-workshop-2008")
    assert (workshop.when, workshop.place, workshop.organiser) == (
        "8-9 September 2008",
        "Mauritius",
        "European Commission",
    )
    page = text(client, "/events/ec-circular-migration-workshop-2008/")
    assert "CM as tool to alleviate brain drain" in page
    assert "Its points (4, sub-points included)" in page
    assert "Current Priorities in Intergovernmental Dialogues on Labour Migration" in page
    assert "Slide &#x27;Circular Migration&#x27;, heading" in page
    page = text(client, "/events/expert-meeting-labour-migration-2008/")
    assert "Its points (17, sub-points included)" in page  # fifteen points, one with two sub-points
    assert "Migration is not gender neutral" in page and "At country level" in page


def test_manila_links_the_events_as_reported_alongside_and_counts_none_of_their_points(client):
    page = text(client, "/meetings/manila-2008/")
    assert "Reported alongside" in page
    assert 'href="/events/ec-circular-migration-workshop-2008/"' in page
    assert 'href="/events/expert-meeting-labour-migration-2008/"' in page
    assert "recommendations and other points not in our sources" in page
    assert "CM benefiting the migrants" not in page
    points = api(client, "/api/recommendations/", event="expert-meeting-labour-migration-2008")
    assert points["count"] == 17
    assert {(r["meeting"], r["track"], r["stage"], r["year"]) for r in points["results"]} == {(None, None, None, None)}
    assert {(r["kind"], r["event"], r["reported_beside"]) for r in points["results"]} == {
        ("reported-point", "expert-meeting-labour-migration-2008", "manila-2008")
    }


def test_other_events_points_carry_no_meeting_track_or_stage_anywhere(client):
    """The 21 points of the EC workshop and the expert meeting (IOM, 3 October 2008): in the database, the
    API, the CSV, the data package, the search documents and their pages, the events' and no meeting's."""
    points = Recommendation.objects.filter(source__slug="iom-labour-migration-2008", event__isnull=False)
    assert points.count() == 21
    assert set(points.values_list("meeting", "track", "stage", "kind")) == {(None, "", "", "reported-point")}
    assert Recommendation.objects.filter(kind="reported-point", event__isnull=True).count() == 0
    events = ["ec-circular-migration-workshop-2008", "expert-meeting-labour-migration-2008"]
    listed = api(client, "/api/recommendations/", event=events, page_size=50)
    assert listed["count"] == 21
    assert {f["value"]: f["count"] for f in listed["facets"]["kind"]}["reported-point"] == 21
    csv = b"".join(client.get("/recommendations/", {"event": events, "format": "csv"}).streaming_content).decode()
    header, first = csv.splitlines()[:2]
    row = dict(zip(header.split(","), first.split(","), strict=False))
    assert (row["meeting"], row["year"], row["track"], row["stage"], row["kind"]) == ("", "", "", "", "reported-point")
    from gfmd.models import SearchDocument

    documents = SearchDocument.objects.filter(kind="recommendation", object_id__in=points.values("pk"))
    assert documents.count() == 21
    assert set(documents.values_list("meeting", "year", "track", "stage")) == {("", None, "", "")}
    assert set(documents.values_list("event", flat=True)) == set(events)
    table = b"".join(client.get("/data/recommendations.csv").streaming_content).decode()
    rows = [row for row in csv_module.DictReader(io.StringIO(table)) if row["event_id"]]
    assert len(rows) == 21
    assert {(r["meeting_id"], r["track"], r["stage"], r["kind"]) for r in rows} == {("", "", "", "reported-point")}
    page = text(client, f"/recommendations/{points.get(text='CM benefiting the migrants').pk}/")
    assert "Point reported from another event" in page and "Government meeting" not in page


def test_an_event_point_keeps_its_address_and_says_whose_it_is(client):
    point = Recommendation.objects.get(text="CM benefiting the migrants")
    page = text(client, f"/recommendations/{point.pk}/")
    assert "A point of another event" in page and "not an outcome of the Forum" in page


def test_an_event_point_belongs_to_no_roundtable_and_to_no_meeting(meeting, roundtable, source):
    event = Event.objects.get(slug="ec-circular-migration-workshop-2008")
    point = Recommendation(meeting=meeting, kind="key-message", position=1, text="A point.", source=source, event=event)
    point.full_clean()
    # Whatever an editor chose, the point is the event's.
    assert (point.meeting, point.track, point.stage, point.kind) == (None, "", "", "reported-point")
    point = Recommendation(roundtable=roundtable, position=1, text="A point.", source=source, event=event)
    with pytest.raises(ValidationError, match="no roundtable"):
        point.full_clean()
    point = Recommendation(meeting=meeting, kind="reported-point", position=1, text="A point.", source=source)
    with pytest.raises(ValidationError, match="names that event"):
        point.full_clean()
    with pytest.raises(ValidationError, match="Choose the meeting"):
        Recommendation(position=1, text="A point.", source=source).full_clean()


# -- preparation and plans ----------------------------------------------------


def test_manilas_drafts_are_shown_under_preparation(client):
    page = text(client, "/meetings/manila-2008/")
    preparation = page[page.index('id="plans"') :]
    assert "Key messages of the draft roundtable 1" in preparation
    assert "Social protection-e.g., establishment of migrant resource centers" in preparation
    assert "Feedback on the drafts" in preparation and "Avoid North-South Clash" in preparation
    assert "Social protection-e.g." not in page[: page.index('id="plans"')]


def test_a_planned_roundtables_point_is_planned_and_a_subpoint_takes_its_parents_stage(meeting, source):
    planned = Roundtable.objects.create(meeting=meeting, number=1, stage=Stage.PLANNED, source=source)
    point = Recommendation.objects.create(meeting=meeting, roundtable=planned, position=1, text="P.", source=source)
    assert point.stage == Stage.PLANNED
    draft = Recommendation.objects.create(meeting=meeting, position=1, text="D.", source=source, stage="planned")
    child = Recommendation.objects.create(meeting=meeting, parent=draft, position=1, text="C.", source=source)
    assert child.stage == Stage.PLANNED
    assert not Recommendation.objects.held().filter(meeting=meeting).exists()


def test_mauritius_sets_each_planned_session_beside_the_session_held(client):
    page = text(client, "/meetings/mauritius-2012/")
    table = page[page.index("<caption>Sessions as planned, and as held</caption>") : page.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table)[1:]
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    planned_to_held = {re.sub("<[^>]+>", "", p).strip(): re.sub("<[^>]+>", "", h).strip() for p, h in cells}
    assert planned_to_held[
        "4.2 Protecting Migrant Domestic Workers: Enhancing their Development Potential (Roundtable 4)"
    ] == ("3.3 Protecting Migrant Domestic Workers - Enhancing their Development Potential (Roundtable 3)")
    assert planned_to_held[
        "4.1 Enhancing legal, social and financial protection of women migrants and their families (Roundtable 4)"
    ].startswith("Not held as such")
    # The two untitled planned sessions are those held as 1.1 and 3.1, as their own notes read them.
    assert planned_to_held["Untitled session (Roundtable 1)"].startswith(
        "1.1 Beyond-the-border Skills and Jobs for Human Development (Roundtable 1; as it appears"
    )
    assert planned_to_held["Untitled session (Roundtable 3)"].startswith(
        "3.1 Improving Public Perceptions of Migrants and Migration (Roundtable 3; as it appears"
    )
    assert "Not held as such" not in "".join(h for p, h in cells if "Untitled" in p)
    reverse = [re.sub("<[^>]+>", "", h) for p, h in cells if "Not in the plan" in p]
    assert len(reverse) == 2 and {h.split(" ")[0] for h in reverse} == {"1.2", "2.2"}
    assert len(rows) == 6 + 2


# -- coverage -----------------------------------------------------------------


def test_brussels_says_twelve_sessions_were_held_and_their_titles_are_not_in_our_sources(client):
    page = text(client, "/meetings/brussels-2007/")
    coverage = page[page.index('id="coverage"') : page.index("</section>", page.index('id="coverage"'))]
    assert "sessions not in our sources" in coverage
    assert "<strong>12</strong> held in all, their titles not in our sources" in coverage
    assert not re.search(r"\b0 sessions", page)


def test_geneva_says_its_recommendations_are_not_in_our_sources(client):
    page = text(client, "/meetings/geneva-2011/")
    assert "recommendations and other points not in our sources" in page
    assert not re.search(r"\b0 (recommendations|points)", page)
    assert "it does not mean there were none" in page


def test_the_theme_table_marks_what_is_not_in_our_sources_apart_from_zero(client):
    page = text(client, "/themes/")
    assert "n/s&nbsp;s" in page  # Brussels and Geneva sessions
    assert "it does not mean there were none" in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page)
    assert rows
    for row in rows:
        brussels, *_ = re.findall(r"<td[^>]*>(.*?)</td>", row)  # the first column: 2007
        assert "n/s&nbsp;s" in brussels


# -- theme pages and the table agree ------------------------------------------


def table_counts(page):
    """{(theme slug, year): (sessions, recommendations)} as the themes table prints them."""
    counts = {}
    for kind, theme, year, n in re.findall(
        r'href="/(sessions|recommendations)/\?theme=([\w-]+)&amp;year=(\d+)"[^>]*>(\d+)', page
    ):
        counts.setdefault((theme, int(year)), {})[kind] = int(n)
    return counts


def test_each_theme_page_counts_what_the_table_counts_for_every_year(client):
    table = table_counts(text(client, "/themes/"))
    assert table
    for theme in Theme.objects.all():
        page = text(client, f"/themes/{theme.slug}/")
        for meeting in Meeting.objects.all():
            start = page.index(f'id="year-{meeting.year}"')
            end = page.find("</section>", start)
            section = page[start:end]
            sessions = re.search(r"Sessions held <span class=\"count\">\((\d+)\)", section)
            points = re.search(r"Recommendations and other points <span class=\"count\">\((\d+)\)", section)
            expected = table.get((theme.slug, meeting.year), {})
            assert (int(sessions[1]) if sessions else 0) == expected.get("sessions", 0), (theme, meeting)
            assert (int(points[1]) if points else 0) == expected.get("recommendations", 0), (theme, meeting)
            # And the list each number opens agrees.
            if expected.get("recommendations"):
                listed = api(client, "/api/recommendations/", theme=theme.slug, year=meeting.year)["count"]
                assert listed == expected["recommendations"]


def test_a_subpoint_with_a_theme_its_parent_lacks_is_listed_and_counted_on_the_theme_page(
    client, meeting, roundtable, source, theme
):
    parent = Recommendation.objects.create(
        meeting=meeting, roundtable=roundtable, position=1, number="1", text="Parent point.", source=source
    )
    child = Recommendation.objects.create(
        meeting=meeting, roundtable=roundtable, parent=parent, position=1, number="a", text="Sub-point.", source=source
    )
    child.themes.add(theme)
    page = text(client, f"/themes/{theme.slug}/")
    assert "Sub-point of" in page and "Sub-point." in page and "Parent point." not in page
    assert 'Recommendations and other points <span class="count">(1)</span>' in page
    table = table_counts(text(client, "/themes/"))
    assert table[(theme.slug, 2099)]["recommendations"] == 1


def test_a_list_says_it_holds_what_was_held_and_where_the_plans_are(client):
    page = text(client, "/recommendations/")
    assert "What was held at each meeting, its own points only." in page
    assert 'href="/recommendations/?stage=planned"' in page
    assert "What was held at each meeting" not in text(client, "/recommendations/?stage=planned")


def test_an_empty_list_says_our_sources_are_silent_not_that_nothing_happened(client):
    page = text(client, "/sessions/?year=2007")
    assert "No session in our sources matches these filters." in page
    assert "Our sources do not give every session of every meeting" in page
