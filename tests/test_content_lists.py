"""What the real content's lists hold: the facts tests/test_lists.py and tests/test_facet_index.py test
the mechanism of on small made-up content."""

import pytest
from django.http import QueryDict

from lib.facet_index import FacetIndex
from recommendations.models import ProposedActivity, Recommendation
from recommendations.views import recommendations_list

pytestmark = pytest.mark.django_db


def api(client, path, **params):
    response = client.get(f"/api/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_unodc_has_six_activities(client):
    data = api(client, "activities", gmg_member="UNODC")
    assert data["count"] == ProposedActivity.objects.filter(gmg_members__acronym="UNODC").count() == 6
    assert all("UNODC" in result["gmg_members"] for result in data["results"])


def test_the_meetings_api_lists_the_six_meetings(client):
    data = api(client, "meetings")
    assert data["count"] == 6
    athens = data["results"][2]
    assert (athens["slug"], athens["year"], athens["city"], athens["country"]) == (
        "athens-2009",
        2009,
        "Athens",
        "Greece",
    )
    assert (athens["start_date"], athens["end_date"]) == ("2009-11-04", "2009-11-05")


def test_the_sessions_run_from_2007_to_2012(client):
    years = [int(f["value"]) for f in api(client, "sessions")["facets"]["year"]]
    assert years == [2007, 2008, 2009, 2010, 2011, 2012]


def test_twenty_one_points_are_of_other_events():
    filterset = recommendations_list.filterset_class(QueryDict(), queryset=recommendations_list.queryset)
    index = FacetIndex.of(filterset)
    of_events = sum(held.bits.bit_count() for held in index.values["event"].values())
    assert of_events == Recommendation.objects.filter(event__isnull=False).count() == 21
