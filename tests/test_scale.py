"""Pages stay bounded however many meetings there are; long facets fold; addresses the lists do not take are refused."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.caching import content_changed
from lib.listing import PAGE_FACET_SIZE
from recommendations.models import Recommendation
from sessions.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_meetings(source):
    """Twenty meetings more than the sources hold, in years the Forum never met, each with one recommendation."""
    meetings = []
    for i in range(20):
        meeting = Meeting.objects.create(
            ordinal=100 + i,
            year=2100 + i,
            slug=f"testville-{2100 + i}",
            city="Testville",
            country="Testland",
            start_date=datetime.date(2100 + i, 5, 3),
            end_date=datetime.date(2100 + i, 5, 4),
            source=source,
        )
        Recommendation.objects.create(meeting=meeting, position=1, number="1", text=f"Point {i}.", source=source)
        meetings.append(meeting)
    return meetings


def test_the_home_page_lists_a_page_of_meetings_and_links_to_the_next(client, many_meetings):
    first = client.get("/").content.decode()
    assert "Brussels 2007" in first and "Testville 2105" in first
    assert "Testville 2106" not in first  # twelve a page: the six real meetings and six more
    assert 'href="?page=2"' in first
    second = client.get("/", {"page": "2"}).content.decode()
    assert "Testville 2106" in second and "Testville 2117" in second and "/meetings/brussels-2007/" not in second
    assert f"<strong>{Meeting.objects.count()}</strong> meetings" in first


def test_the_themes_table_shows_twelve_meetings_a_page_and_each_themes_total(client, many_meetings):
    page = client.get("/themes/").content.decode()
    assert page.count('<th scope="col"><a href="/meetings/') == 12
    assert "Later meetings" in page
    later = client.get("/themes/", {"page": "2"}).content.decode()
    assert "/meetings/testville-2106/" in later and "/meetings/athens-2009/" not in later
    # The total column counts every meeting, and links to the list it counts.
    theme = "rights-protection"
    total = Recommendation.objects.held().filter(themes__slug=theme).count()
    assert f'href="/recommendations/?theme={theme}">{total}<span aria-hidden="true">&nbsp;r</span>' in page


def test_a_themes_page_shows_twelve_meetings_a_page(client, many_meetings):
    page = client.get("/themes/rights-protection/").content.decode()
    assert page.count('<section aria-labelledby="year-') == 12
    assert "Later meetings" in page
    assert client.get("/themes/rights-protection/", {"page": "99"}).status_code == 400


def test_a_page_number_that_is_not_one_is_a_400(client):
    for path in ("/", "/themes/", "/themes/rights-protection/", "/activities/expertise/", "/gmg/IOM/"):
        response = client.get(path, {"page": "x"})
        assert response.status_code == 400, path
        assert "page must be a whole number" in response.content.decode()


def test_the_expertise_matrix_shows_one_meetings_matrix(client):
    page = client.get("/activities/expertise/").content.decode()
    assert "Brussels 2007" in page
    assert "Later meeting" not in page  # the sources hold one matrix


def test_a_long_facet_shows_its_largest_values_and_links_to_all(client):
    page = client.get("/recommendations/").content.decode()
    tags = re.search(r'<details class="facet" id="facet-tag".*?</details>', page, re.S).group(0)
    shown = tags.count('<li><a href="/recommendations/?tag=')
    total = sum(1 for v in client.get("/api/recommendations/").json()["facets"]["tag"] if v["count"])
    assert total > PAGE_FACET_SIZE, "the real content has more tags than a page shows"
    assert shown == PAGE_FACET_SIZE
    assert f"All {total} values" in tags
    everything = client.get("/recommendations/", {"facet_size": "all"}).content.decode()
    tags = re.search(r'<details class="facet" id="facet-tag".*?</details>', everything, re.S).group(0)
    assert tags.count('<li><a href="/recommendations/?facet_size=all&amp;tag=') == total


def test_a_selected_value_is_shown_even_when_it_is_not_among_the_largest(client):
    api = client.get("/api/recommendations/").json()["facets"]["tag"]
    rarest = min(api, key=lambda v: v["count"])["value"]
    page = client.get("/recommendations/", {"tag": rarest, "facet_size": "1"}).content.decode()
    assert 'aria-current="true"' in page and f"tag={rarest}" in page


def test_the_api_gives_every_facet_value_unless_asked_for_fewer(client):
    full = client.get("/api/recommendations/").json()["facets"]
    assert len(full["year"]) == 6  # every year, with no record or not
    few = client.get("/api/recommendations/", {"facet_size": "2"}).json()["facets"]
    largest = sorted((v for v in full["tag"] if v["count"]), key=lambda v: -v["count"])[:2]
    assert len(few["tag"]) == 2
    assert {v["value"] for v in few["tag"]} == {v["value"] for v in largest}
    bad = client.get("/api/recommendations/", {"facet_size": "many"})
    assert bad.status_code == 400 and "facet_size" in bad.json()["errors"]


def test_an_unknown_parameter_is_a_400_that_is_not_cached(client, monkeypatch):
    stored = []
    monkeypatch.setattr(caches["pages"], "set", lambda key, *args, **kwargs: stored.append(key))
    response = client.get("/api/recommendations/", {"yera": "2009"})
    assert response.status_code == 400
    assert "yera" in response.json()["errors"]
    page = client.get("/recommendations/", {"utm_source": "x"})
    assert page.status_code == 400 and "utm_source" in page.content.decode()
    assert stored == []
    client.get("/recommendations/")
    assert len(stored) == 1  # a page the list does take is cached


def test_parameters_in_another_order_are_the_same_cached_page(client):
    first = client.get("/recommendations/?year=2009&kind=recommendation")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/recommendations/?kind=recommendation&year=2009")
    assert len(queries) == 1  # the content revision: the page itself came from the cache
    assert again.content == first.content


def test_a_new_meeting_shows_in_the_facets_at_once(client, meeting, recommendation):
    before = client.get("/api/recommendations/").json()["facets"]["year"]
    assert "2100" not in {v["value"] for v in before}
    later = Meeting.objects.create(
        ordinal=100,
        year=2100,
        slug="later-2100",
        city="Later",
        country="Testland",
        start_date=datetime.date(2100, 1, 1),
        end_date=datetime.date(2100, 1, 2),
        source=meeting.source,
    )
    point = Recommendation.objects.create(meeting=later, position=1, number="1", text="Later.", source=meeting.source)
    content_changed([later, point])
    after = client.get("/api/recommendations/").json()["facets"]["year"]
    # With the new meeting's coverage: by default, some of its records in our sources.
    assert {"value": "2100", "label": "2100", "count": 1, "coverage": "partial"} in after
