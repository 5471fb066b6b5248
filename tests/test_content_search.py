"""What the search finds in the real content: its agencies, meetings, themes, sources and phrases.

How the search works is tested on small made-up content in tests/test_search.py; these pin what the real
content must give, and that the index the loader writes for it is the one a rebuild writes.
"""

import pytest
from django.core.management import call_command

from gfmd.models import SearchDocument
from lib import search
from sessions.models import Session
from themes.models import Theme

pytestmark = pytest.mark.django_db


def api(client, q, **params):
    response = client.get("/api/search/", {"q": q, "page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_recommendations_on_domestic_workers_are_found_by_the_phrase(client):
    phrase = client.get("/api/recommendations/", {"q": '"domestic workers"', "page_size": 200}).json()
    assert phrase["count"] > 0
    assert all("domestic worker" in r["text"].lower() for r in phrase["results"])
    apart = client.get("/api/recommendations/", {"q": "domestic workers", "page_size": 200}).json()
    assert apart["count"] >= phrase["count"]


def test_the_points_on_domestic_matters_other_than_workers_are_found_without_them(client):
    # Held and planned: the points on domestic workers are the concept paper's.
    stages = {"stage": ["held", "planned"], "page_size": 200}
    everything = client.get("/api/recommendations/", {"q": "domestic", **stages}).json()
    without = client.get("/api/recommendations/", {"q": "domestic -workers", **stages}).json()
    assert 0 < without["count"] < everything["count"]
    assert all("worker" not in r["text"].lower() for r in without["results"])


def test_iom_named_by_its_acronym_comes_first(client):
    results = api(client, "IOM")["results"]
    assert results[0]["url"] == "/gmg/IOM/" and results[0]["type"] == "gmg_member"


def test_unodc_named_by_its_name_comes_first(client):
    first = api(client, "United Nations Office on Drugs and Crime")["results"][0]
    assert first["url"] == "/gmg/UNODC/"


def test_the_mauritius_meeting_comes_first_and_the_2008_records_naming_it_after(client):
    results = api(client, "Mauritius")["results"]
    assert results[0]["url"] == "/meetings/mauritius-2012/"
    assert results[0]["type"] == "meeting" and results[0]["year"] == 2012
    assert any(r["year"] == 2008 for r in results[1:])


def test_a_theme_named_comes_first_and_the_concept_papers_are_sources(client):
    theme = Theme.objects.get(slug="remittances-diaspora")
    assert api(client, theme.name)["results"][0]["url"] == theme.get_absolute_url()
    source_results = api(client, "concept paper", type="source")["results"]
    assert source_results and all(r["url"].startswith("/sources/") for r in source_results)


def test_a_civil_society_session_of_athens_shows_its_meeting_track_and_roundtable(client):
    session = Session.objects.select_related("meeting", "roundtable").get(meeting__slug="athens-2009", slug="csd-4-2")
    page = client.get("/search/", {"q": session.title, "type": "session"}).content.decode()
    card = page[page.index(session.get_absolute_url()) :][:1200]
    assert f"GFMD 2009, {session.meeting.city}" in card
    assert "Civil Society Days" in card and session.roundtable.label in card


def test_every_real_record_and_entity_has_one_document():
    for kind in search.KINDS.values():
        documents = SearchDocument.objects.filter(kind=kind.name)
        assert documents.count() == kind.queryset().count() > 0, kind.name
        assert set(documents.values_list("object_id", flat=True)) == set(kind.queryset().values_list("pk", flat=True))


def test_rebuilding_the_index_of_the_real_content_gives_the_documents_the_loader_wrote(capsys):
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    after = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    assert after == before
    assert "GMG members: 15" in capsys.readouterr().out
