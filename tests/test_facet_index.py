"""The lists count their facets and find their pages in an index kept in memory (lib.facet_index).

The database is the reference: for any combination of filters, the index must
give the counts the grouped SQL queries give, and the records, in the order,
the filtered queryset gives. After an edit, the next page reads the index again.
"""

import warnings

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.caching import content_changed, render_at
from lib.facet_index import FacetIndex, Window, choices_of, key_values, ordering_of, set_bits
from recommendations.models import Recommendation
from recommendations.views import activities_list, recommendations_list
from sessions.models import Meeting
from sessions.views import sessions_list
from tests.facet_counting import count_all

LISTS = {"recommendations": recommendations_list, "activities": activities_list, "sessions": sessions_list}
WORDS = ["", "migration", "remittances", "labour -women", '"domestic workers"', "nothingmatchesthis"]


def filterset_for(listing, params):
    filterset = listing.filterset_class(params, queryset=listing.queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset


@st.composite
def filter_params(draw, listing):
    """Some facets, each with some of its values (or none: its default), and maybe words to search for."""
    params = QueryDict(mutable=True)
    filterset = listing.filterset_class(queryset=listing.queryset)
    for name in filterset.facet_names():
        values = [str(value) for value, _ in choices_of(filterset.filters[name])]
        if values and draw(st.booleans()):
            params.setlist(name, draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)))
    words = draw(st.sampled_from(WORDS))
    if words:
        params["q"] = words
    return params


def expected_pks(filterset):
    queryset = filterset.qs
    return list(queryset.order_by(*ordering_of(queryset), "pk").values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_index_counts_and_pages_as_the_database_does(name, data):
    listing = LISTS[name]
    filterset = filterset_for(listing, data.draw(filter_params(listing)))

    assert filterset.indexed_counts() == count_all(filterset)
    records = filterset.records()
    expected = expected_pks(filterset)
    assert records.count() == len(expected)
    assert [record.pk for record in records[0 : len(expected)]] == expected
    start = data.draw(st.integers(min_value=0, max_value=max(len(expected) - 1, 0)))
    assert [record.pk for record in records[start : start + 7]] == expected[start : start + 7]


@pytest.mark.django_db
def test_the_held_list_leaves_plans_and_other_events_out_of_its_counts():
    filterset = filterset_for(recommendations_list, QueryDict())
    counts = filterset.indexed_counts()
    held = Recommendation.objects.filter(stage="held", event__isnull=True)
    assert filterset.records().count() == held.count()
    assert sum(counts["kind"].values()) == held.count()
    # A facet with a default condition counts its own values without it: plans are counted, one click away.
    assert counts["stage"]["planned"] == Recommendation.objects.filter(stage="planned", event__isnull=True).count()


@pytest.mark.django_db
def test_the_page_after_an_edit_counts_the_edited_record(client):
    moved = Recommendation.objects.filter(track="government", stage="held", event__isnull=True).first()
    url = f"/api/recommendations/?year={moved.meeting.year}&track=civil-society&page_size=200"
    before = client.get(url).json()
    assert moved.pk not in [record["id"] for record in before["results"]]
    moved.track = "civil-society"
    moved.save()
    content_changed([moved])
    after = client.get(url).json()
    assert after["count"] == before["count"] + 1
    assert moved.pk in [record["id"] for record in after["results"]]
    assert {v["value"]: v["count"] for v in after["facets"]["track"]}["civil-society"] == after["count"]


def test_set_bits_reads_a_window_of_the_set_bits_in_order():
    positions = [0, 3, 4, 5000, 700 * 8 + 1, 9999]
    found = sum(1 << p for p in positions)
    assert set_bits(found, 0, 99, 10_000) == positions
    assert set_bits(found, 2, 4, 10_000) == positions[2:4]
    assert set_bits(found, 5, 10, 10_000) == positions[5:]
    assert set_bits(0, 0, 5, 10_000) == []


@pytest.mark.django_db
def test_rare_values_are_kept_as_part_of_the_list_not_a_whole_bitset():
    filterset = filterset_for(recommendations_list, QueryDict())
    index = FacetIndex.of(filterset)
    meetings = index.values["meeting"]
    # Each meeting's records lie together in a list ordered by year: a window of the list, not all of it.
    assert all(isinstance(held, Window) for held in meetings.values())
    # Every record is a meeting's but other events' points, which are no meeting's.
    of_events = sum(held.bits.bit_count() for held in index.values["event"].values())
    assert of_events == 21
    assert sum(held.bits.bit_count() for held in meetings.values()) == index.size - of_events


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, queries",
    [
        # The content revision, then the page's records with what their cards show.
        ("/recommendations/?year=2009", 2),
        ("/sessions/?theme=remittances-diaspora", 2),
        # An activity's card names its agencies: one more query for them.
        ("/activities/?gmg_member=IOM", 3),
        # The API gives each record's themes, tags and links by editors too, and what the sources cover of
        # the meeting the list is filtered to.
        ("/api/recommendations/?year=2009", 6),
        ("/api/recommendations/", 5),
    ],
)
def test_a_list_page_reads_its_records_and_nothing_else_once_the_index_is_built(client, path, queries):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    assert len(context.captured_queries) == queries, [q["sql"][:120] for q in context.captured_queries]


@pytest.mark.django_db
def test_key_values_of_several_fields_are_kept_per_revision_under_a_valid_key():
    # Under a page's revision the values go through the cache, which warns of a key it could not keep
    # everywhere (a space, as in the repr of a tuple of fields).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = render_at(1, lambda request: key_values(Meeting, ("slug", "year")), None)
    assert found == {pk: (slug, str(year)) for pk, slug, year in Meeting.objects.values_list("pk", "slug", "year")}
