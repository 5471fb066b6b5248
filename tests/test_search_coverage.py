"""The search covers every text the site shows, and its facets count what choosing them gives (real content)."""

import re

import pytest
from taggit.models import TaggedItem

from recommendations.models import Recommendation
from sessions.models import Event, Milestone, Passage, Roundtable

pytestmark = pytest.mark.django_db


def api(client, q, **params):
    response = client.get("/api/search/", {"q": q, "page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    "words",
    ['"GATS Mode 4"', '"GCIM report highlighted"', '"Approved in principle by GMG"', '"Platform for Partnerships"'],
)
def test_the_passages_of_the_sources_are_found_at_their_place_on_the_page_that_shows_them(client, words):
    results = [r for r in api(client, words)["results"] if r["type"] == "passage"]
    assert len(results) == 1, results
    path, _, anchor = results[0]["url"].partition("#")
    page = client.get(path).content.decode()
    assert f'id="{anchor}"' in page
    shown = page[page.index(f'id="{anchor}"') :][:3000]
    assert words.strip('"').split()[0] in shown


def test_every_passage_milestone_and_roundtable_has_a_document(client):
    from gfmd.models import SearchDocument

    for kind, model in (("passage", Passage), ("milestone", Milestone), ("roundtable", Roundtable)):
        assert SearchDocument.objects.filter(kind=kind).count() == model.objects.count() > 0


def test_records_are_found_by_their_tags(client):
    tagged = TaggedItem.objects.filter(tag__name="RCPs")
    assert tagged.count() >= 5
    found = {r["url"] for r in api(client, "RCPs", stage=["held", "planned"])["results"]}
    for item in tagged:
        assert item.content_object.get_absolute_url() in found


def test_another_events_point_is_found_under_its_event_and_its_kind(client):
    data = api(client, "gender neutral")
    assert data["count"] == 1
    (result,) = data["results"]
    point = Recommendation.objects.get(pk=result["url"].split("/")[-2])
    assert result["event"] == point.event.slug and result["kind"] == point.get_kind_display()
    facets = {name: {v["value"]: v["count"] for v in values if v["count"]} for name, values in data["facets"].items()}
    # It has no stage of a meeting's: the event facet, not the stage facet, counts it.
    assert facets["stage"] == {}
    assert facets["event"] == {point.event.slug: 1} and facets["kind"] == {point.kind: 1}


@pytest.mark.parametrize("q", ["migration", "gender neutral", "remittances"])
def test_every_facet_count_is_what_choosing_it_gives(client, q):
    data = api(client, q)
    held = {v["value"]: v["count"] for v in data["facets"]["stage"]}
    # What was held at the meetings, and other events' points, which have no stage and which the event facet
    # counts: the default shows both.
    events = sum(v["count"] or 0 for v in data["facets"]["event"])
    assert held.get("held", 0) + events == data["count"]
    checked = 0
    for name, values in data["facets"].items():
        for value in values:
            if value["count"]:
                assert api(client, q, **{name: value["value"]})["count"] == value["count"], (name, value)
                checked += 1
    assert checked > 3


def test_the_kind_facet_names_the_kinds_of_every_record_and_narrows_to_one(client):
    data = api(client, "migration", type="recommendation")
    kinds = {v["value"]: v for v in data["facets"]["kind"]}
    assert kinds["follow-up"]["label"] == "Follow-up action"
    assert sum(v["count"] for v in kinds.values()) == data["count"]
    follow_ups = api(client, "migration", kind="follow-up")["results"]
    assert follow_ups and {r["kind"] for r in follow_ups} == {"Follow-up action"}


def test_a_result_says_what_it_is_once(client):
    page = client.get("/search/", {"q": "remittances", "type": "recommendation"}).content.decode()
    metas = re.findall(r'<p class="meta">([^<]*)', page)
    assert metas and not any("Recommendation &middot; Recommendation" in meta for meta in metas)
    assert any(meta.startswith("Recommendation &middot; ") for meta in metas)
    assert '&middot; <span lang="en">GFMD' in page


def test_a_sub_point_is_titled_by_its_parent(client):
    points = Recommendation.objects.filter(parent__isnull=False, stage="held").exclude(parent__number="")
    lettered = points.exclude(number="").select_related("parent", "meeting").first()
    unlettered = points.filter(number="").select_related("parent", "meeting").first()
    for point, title in (
        (lettered, f"Point {lettered.number} of recommendation {lettered.parent.number}, GFMD"),
        (unlettered, f"Point of recommendation {unlettered.parent.number}, GFMD"),
    ):
        words = " ".join(re.findall(r"\w+", point.text)[:6])
        results = api(client, words, type="recommendation")["results"]
        result = next(r for r in results if r["url"] == point.get_absolute_url())
        assert result["title"].startswith(title), result["title"]


def test_the_search_says_how_many_planned_records_it_left_out(client):
    data = api(client, "migration")
    planned = next(v["count"] for v in data["facets"]["stage"] if v["value"] == "planned")
    assert planned
    page = client.get("/search/", {"q": "migration"}).content.decode()
    assert f"{planned} more as planned match" in page


def test_an_event_page_and_its_points_agree_with_the_event_facet(client):
    event = Event.objects.filter(points__isnull=False).first()
    held_points = event.points.count()
    data = api(client, event.title, event=event.slug, type="recommendation")
    # Every point of the event whose words the title shares is found; none of another event.
    assert 0 < data["count"] <= held_points
    assert {r["event"] for r in data["results"]} == {event.slug}


# -- the write path keeps what a document shows of other records in step ---------------------------------------


def test_a_tag_added_through_the_write_path_finds_its_record(client, session):
    from lib.caching import content_changed

    session.tags.add("quokka corridors")
    content_changed([session])
    assert session.get_absolute_url() in {r["url"] for r in api(client, "quokka")["results"]}


def test_a_passage_is_found_and_follows_its_meeting_and_its_source(client, meeting, source):
    from lib.caching import content_changed

    passage = Passage.objects.create(meeting=meeting, position=1, text="- Wombat diplomacy", source=source)
    content_changed([passage])
    (result,) = api(client, "wombat")["results"]
    assert result["type"] == "passage" and result["meeting"] == meeting.slug
    assert result["title"] == f"Passage of {source.title}"
    source.title = "A renamed source"
    source.save()
    content_changed([source])
    assert api(client, "wombat")["results"][0]["title"] == "Passage of A renamed source"


def test_a_sub_points_title_follows_its_parents_number(client, recommendation):
    from lib.caching import content_changed

    child = Recommendation.objects.create(
        meeting=recommendation.meeting,
        parent=recommendation,
        position=1,
        number="a",
        text="Platypus",
        source=recommendation.source,
    )
    content_changed([child])

    def title():
        # The parent's document holds its sub-points' text too: both are found, in an order each database ranks.
        results = api(client, "platypus", type="recommendation")["results"]
        return next(r["title"] for r in results if r["url"] == child.get_absolute_url())

    assert title().startswith("Point a of recommendation 1,")
    recommendation.number = "7"
    recommendation.save()
    content_changed([recommendation])
    assert title().startswith("Point a of recommendation 7,")
