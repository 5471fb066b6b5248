"""The lists count their facets and find their pages in an index kept in memory (lib.facet_index).

The database is the reference: for any combination of filters, the index must
give the counts the grouped SQL queries give, and the records, in the order,
the filtered queryset gives. After an edit, the next page reads the index again.

On the small made-up content of tests/small_fixtures and the records tests/list_records.py adds to it
(its docstring lists them): the index is the mechanism, not what the content says.
"""

import re
import warnings
from array import array
from unittest.mock import patch

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gfmd.searching import search_list
from lib.caching import content_changed, render_at
from lib.facet_index import SPARSE, FacetIndex, Window, choices_of, key_values, ordering_of, set_bits
from recommendations.models import Recommendation
from recommendations.views import activities_list, recommendations_list
from sessions.models import Meeting
from sessions.views import sessions_list
from tests.facet_counting import count_all
from tests.list_records import add_list_records

pytestmark = pytest.mark.usefixtures("small_content")

LISTS = {"recommendations": recommendations_list, "activities": activities_list, "sessions": sessions_list}
# Words some records of each list hold, a word without another, a phrase, and a word none holds.
WORDS = ["", "first", "remittances", "domestic -protect", '"domestic workers"', "nothingmatchesthis"]


@pytest.fixture(scope="module", autouse=True)
def records(small_database, django_db_blocker):
    with django_db_blocker.unblock():
        return add_list_records()


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


# A sparseness at which the few records of the small content take each of the index's three forms of a
# value (a bitset of the list, a bitset of a stretch of it, record numbers), as a large list's rare values
# do; at the index's own, every value of a list of a few hundred records is a bitset of the whole list.
SMALL_SPARSE = 4


@pytest.mark.parametrize("name", LISTS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_index_counts_and_pages_as_the_database_does(name, data):
    listing = LISTS[name]
    params = data.draw(filter_params(listing))
    reference = filterset_for(listing, params)
    counts, expected = count_all(reference), expected_pks(reference)
    start = data.draw(st.integers(min_value=0, max_value=max(len(expected) - 1, 0)))
    for sparse in (SPARSE, SMALL_SPARSE):
        filterset = filterset_for(listing, params)
        with patch("lib.facet_index.SPARSE", sparse):
            assert filterset.indexed_counts() == counts, sparse
        records = filterset.records()
        assert records.count() == len(expected)
        assert [record.pk for record in records[0 : len(expected)]] == expected
        assert [record.pk for record in records[start : start + 7]] == expected[start : start + 7]


def test_at_the_small_sparseness_rare_values_are_a_stretch_of_the_list_or_record_numbers():
    with patch("lib.facet_index.SPARSE", SMALL_SPARSE):
        index = FacetIndex.of(filterset_for(recommendations_list, QueryDict()))
    # Thirteen records: Fieldtown's six, Testville's five, then the side event's two, positions 11 and 12.
    assert index.size == 13
    assert index.values["event"]["fieldtown-side-event"] == Window(1, 0b11000)
    # One point is tagged gamma, Fieldtown's second key message, second in the list.
    assert index.values["tag"]["gamma"] == array("I", [1])
    # A value most records hold stays a bitset of the whole list: the ten points held.
    held = index.values["stage"]["held"]
    assert isinstance(held, Window) and held.first_byte == 0 and held.bits.bit_count() == 10


def test_the_held_list_leaves_plans_and_other_events_out_of_its_counts():
    filterset = filterset_for(recommendations_list, QueryDict())
    counts = filterset.indexed_counts()
    # Ten points held, of thirteen: Fieldtown's planned point and the side event's two are left out.
    assert filterset.records().count() == 10
    assert sum(counts["kind"].values()) == 10
    # A facet with a default condition counts its own values without it: plans are counted, one click away.
    assert counts["stage"] == {"held": 10, "planned": 1}


def test_the_page_after_an_edit_counts_the_edited_record(client, records):
    # Fieldtown's follow-up action, of its government meeting, moved to its Civil Society Days.
    moved = Recommendation.objects.get(pk=records.report_back.pk)
    url = "/api/recommendations/?year=2097&track=civil-society&page_size=200"
    before = client.get(url).json()
    assert [record["id"] for record in before["results"]] == [records.heard.pk, records.speak.pk]
    moved.track = "civil-society"
    moved.save()
    content_changed([moved])
    after = client.get(url).json()
    assert after["count"] == 3
    assert moved.pk in [record["id"] for record in after["results"]]
    assert {v["value"]: v["count"] for v in after["facets"]["track"]}["civil-society"] == after["count"]


def test_set_bits_reads_a_window_of_the_set_bits_in_order():
    positions = [0, 3, 4, 5000, 700 * 8 + 1, 9999]
    found = sum(1 << p for p in positions)
    assert set_bits(found, 0, 99, 10_000) == positions
    assert set_bits(found, 2, 4, 10_000) == positions[2:4]
    assert set_bits(found, 5, 10, 10_000) == positions[5:]
    assert set_bits(0, 0, 5, 10_000) == []


def test_rare_values_are_kept_as_part_of_the_list_not_a_whole_bitset():
    filterset = filterset_for(recommendations_list, QueryDict())
    index = FacetIndex.of(filterset)
    meetings = index.values["meeting"]
    # Each meeting's records lie together in a list ordered by year: a window of the list, not all of it.
    assert all(isinstance(held, Window) for held in meetings.values())
    # Every record is a meeting's but other events' points, which are no meeting's.
    of_events = sum(held.bits.bit_count() for held in index.values["event"].values())
    assert of_events == 2  # the side event's
    assert index.size == 13
    assert sum(held.bits.bit_count() for held in meetings.values()) == index.size - of_events


@pytest.mark.parametrize(
    "path, queries",
    [
        # The content revision, then the page's records with what their cards show.
        ("/recommendations/?year=2097", 2),
        ("/sessions/?theme=test-labour", 2),
        # An activity's card names its agencies: one more query for them.
        ("/activities/?gmg_member=TEST-A", 3),
        # The API gives each record's themes, tags and links by editors too, and what the sources cover of
        # the meeting the list is filtered to.
        ("/api/recommendations/?year=2097", 6),
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


def test_key_values_of_several_fields_are_kept_per_revision_under_a_valid_key():
    # Under a page's revision the values go through the cache, which warns of a key it could not keep
    # everywhere (a space, as in the repr of a tuple of fields).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = render_at(1, lambda request: key_values(Meeting, ("slug", "year")), None)
    assert found == {pk: (slug, str(year)) for pk, slug, year in Meeting.objects.values_list("pk", "slug", "year")}
    assert sorted(found.values()) == [("fieldtown-2097", "2097"), ("nowhere-2098", "2098"), ("testville-2099", "2099")]


def test_the_search_reads_its_facet_index_from_an_index_of_the_documents_not_through_their_texts():
    # The first search after each edit reads every document's facets; their rows hold their texts too.
    with CaptureQueriesContext(connection) as queries:
        FacetIndex.of(filterset_for(search_list, QueryDict("q=migration")))
    sql = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "gfmd_searchdocument"."id" AS "pk"'))
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, "gfmd_searchdocument")["search_document_facets"]
        # In the index's order, by id, and holding every column the query reads.
        assert index["columns"][0] == "id"
        assert set(re.findall(r'"gfmd_searchdocument"\."(\w+)"', sql)) <= set(index["columns"])
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[-1] for row in cursor.fetchall()]
            assert plan == ["SCAN gfmd_searchdocument USING COVERING INDEX search_document_facets"]
