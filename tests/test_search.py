"""Search across every kind of record: stemming, web syntax, weights and a GIN index on PostgreSQL."""

import pytest
from django.db import connection

from lib import search
from recommendations.models import Recommendation
from sessions.models import Session

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL full-text search")


def results(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_word_left_out_with_a_minus_is_left_out(client):
    # Held and planned: the points on domestic workers are the concept paper's.
    stages = {"stage": ["held", "planned"], "page_size": 200}
    everything = client.get("/api/recommendations/", {"q": "domestic", **stages}).json()
    without = client.get("/api/recommendations/", {"q": "domestic -workers", **stages}).json()
    assert 0 < without["count"] < everything["count"]
    assert all("workers" not in r["text"].lower() for r in without["results"])


def test_a_title_match_ranks_above_a_body_match(client, roundtable, source):
    Session.objects.create(roundtable=roundtable, number="1.1", title="Zanzibarian corridors", source=source)
    Session.objects.create(
        roundtable=roundtable,
        number="1.2",
        title="Other",
        discussion="Zanzibarian corridors mentioned in passing among many other words.",
        source=source,
    )
    found = [r["title"] for r in results(client, "zanzibarian") if r["type"] == "session"]
    assert found[0] == "1.1 Zanzibarian corridors"


def test_search_escapes_what_it_quotes(client, roundtable, source):
    Session.objects.create(
        roundtable=roundtable, number="1.1", title="Markup", discussion="<b>quokka</b> appears here", source=source
    )
    page = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "<b>quokka" not in page and "quokka" in page


@postgresql_only
def test_stemming_finds_other_forms_of_a_word(client):
    trafficked = {r["url"] for r in results(client, "trafficked")}
    assert trafficked and trafficked == {r["url"] for r in results(client, "trafficking")}


@postgresql_only
def test_quoted_phrases_and_or_work(client):
    phrase = client.get("/api/recommendations/", {"q": '"domestic workers"', "page_size": 200}).json()
    assert phrase["count"] > 0
    assert all("domestic worker" in r["text"].lower() for r in phrase["results"])
    either = client.get("/api/recommendations/", {"q": "quokka or domestic", "page_size": 200}).json()
    assert either["count"] == client.get("/api/recommendations/", {"q": "domestic", "page_size": 200}).json()["count"]


@postgresql_only
def test_snippets_highlight_the_matches(client):
    hits = results(client, "trafficking")
    assert any("<mark>" in r["snippet"] for r in hits)


@postgresql_only
@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("gfmd_sessions_session", "session_search"),
        ("gfmd_sessions_meeting", "meeting_search"),
        ("recommendations_recommendation", "recommendation_search"),
        ("recommendations_proposedactivity", "activity_search"),
    ],
)
def test_each_searched_table_has_a_gin_index_the_search_uses(table, index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index])
        (definition,) = cursor.fetchone()
        assert "USING gin" in definition and "'english'::regconfig" in definition
    model = {"session_search": Session, "recommendation_search": Recommendation}.get(index)
    if model is None:
        return
    queryset = search.filter_queryset(model.objects.all(), "migration")
    with connection.cursor() as cursor:
        # The tables are small enough that the planner prefers a scan; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert index in plan
