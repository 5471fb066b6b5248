"""The site search's pages, counts and facets read in few passes give what the one ordered query gives.

On the small made-up content of tests/small_fixtures, with the records `made` adds through the write path:
enough that a common word's results span the pages the tests walk, in every facet.
"""

import datetime
import io
import itertools
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db.models import QuerySet
from django.http import QueryDict

from gfmd import filters
from gfmd.filters import SearchFilter
from gfmd.models import SearchDocument, SourceDocument
from lib import search
from recommendations.models import GMGMember, ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Roundtable, Session, Stage, Track
from tests.facet_counting import count_all
from tests.small_records import Additions
from themes.models import Theme

pytestmark = pytest.mark.usefixtures("small_content", "made")

QUERIES = ["migration", "remittances", "IOM", "2099", "labour or skills -women", '"civil society"', "zzzqqq"]
PARAMETERS = [
    "",
    "&type=recommendation",
    "&type=meeting&type=session",
    "&year=2099&track=civil-society",
    "&theme=test-rights",
    "&theme=test-rights&theme=test-labour&type=activity",
    "&stage=planned",
    "&stage=held&stage=planned&meeting=testville-2099",
]

# Records saying "migration" once, twice or three times, so that they rank in tiers of equals that their ids
# order. One in six is planned: the 30 held ones and another event's point fill the slice [5:30] of the
# recommendations and sessions, a page of the API's 25 (lib.listing.DEFAULT_PAGE_SIZE) after the first five.
COMMON = 36


@pytest.fixture(scope="module")
def made(small_database, django_db_blocker):
    """Records the queries find, added to the small content through the write path."""
    with django_db_blocker.unblock():
        make_records()


def make_records():
    """Entities and records in both meetings, both tracks and both stages, with either theme, both or none."""
    testville = Meeting.objects.get(slug="testville-2099")
    held = Roundtable.objects.get(meeting=testville, number=1, stage=Stage.HELD)
    planned = Roundtable.objects.get(meeting=testville, number=1, stage=Stage.PLANNED)
    section = Section.objects.get(roundtable=held, letter="a")
    labour, rights = Theme.objects.get(slug="test-labour"), Theme.objects.get(slug="test-rights")
    additions = Additions()
    add = additions.add

    numbers = itertools.count(10)

    def session(roundtable, title, **fields):
        return add(Session, roundtable=roundtable, number=f"{roundtable.number}.{next(numbers)}", title=title, **fields)

    def point(roundtable, text, **fields):
        number = next(numbers)
        meeting, track = roundtable.meeting, roundtable.track
        return add(
            Recommendation,
            meeting=meeting,
            roundtable=roundtable,
            track=track,
            number=str(number),
            position=number,
            text=text,
            **fields,
        )

    def activity(text, **fields):
        return add(ProposedActivity, section=section, position=next(numbers), text=text, **fields)

    # Three entities say "migration": the meeting in its theme, the agency and the source in their names.
    quayside = add(
        Meeting,
        ordinal=98,
        year=2098,
        slug="quayside-2098",
        city="Quayside",
        country="Otherland",
        start_date=datetime.date(2098, 6, 1),
        end_date=datetime.date(2098, 6, 2),
        overarching_theme="Migration and development",
    )
    iom = GMGMember.objects.create(acronym="IOM", name="International Organization for Migration")
    additions.keep(
        iom, SourceDocument.objects.create(slug="migration-survey", title="A migration survey", kind="report")
    )
    days = add(Roundtable, meeting=testville, track=Track.CIVIL_SOCIETY, number=1, title="Civil society days")
    counting = add(Roundtable, meeting=quayside, number=1, title="Counting")
    harbour = add(Event, slug="harbour-forum-2099", title="Harbour Forum", meeting=testville)
    add(Recommendation, event=harbour, number="1", position=1, text="Migration at sea.")
    places = [held, days, counting, held, days, planned]
    themes = [[labour], [rights], [labour, rights], [], []]
    for i in range(COMMON):
        text = " ".join(["On migration"] * (1 + i % 3)) + "."
        place, linked = places[i % len(places)], themes[i % len(themes)]
        if i // len(places) % 2:
            kind = Recommendation.Kind.FOLLOW_UP if i % 4 == 0 else Recommendation.Kind.RECOMMENDATION
            point(place, text, kind=kind, themes=linked)
        else:
            session(place, "A session", discussion=text, themes=linked)
    # Two activities of either theme: a common word narrowed to a few results, read by their ids.
    activity("Study migration and skills.", themes=[rights])
    activity("Fund migration research.", themes=[labour])

    # '"domestic workers" or remittances -trafficking' finds some of each kind, and leaves one out.
    activity("Map remittances corridors.")
    point(held, "Cut the cost of remittances.", themes=[rights])
    session(counting, "Remittances and savings")
    session(days, "Trafficking and remittances")
    point(days, "Protect domestic workers.")
    activity("Train domestic workers.", themes=[labour])
    session(planned, "Domestic workers abroad")

    point(held, "IOM will report.")
    activity("Work with IOM.").gmg_members.set([iom])
    point(held, "Review the plan by 2099.")

    point(days, "Labour markets need skills.", themes=[labour])
    point(held, "Skills for women.")
    activity("Labour mobility for women and men.")
    session(planned, "Skills partnerships")
    session(counting, "Labour inspection", themes=[rights])

    session(days, "Civil society speaks")
    # Both words, apart: not the phrase.
    point(held, "Society must hear civil servants.")
    point(planned, "Civil society in the plan.")
    additions.write()


class OneCountPerFacet(SearchFilter):
    """Counting in the database: a grouped count per facet under the other filters."""

    def indexed_counts(self):
        return count_all(self)


def filterset(params, filterset_class=SearchFilter):
    f = filterset_class(QueryDict(params), queryset=SearchDocument.objects.all())
    assert f.is_valid(), f.errors
    return f


def whole_list(documents):
    """Every result, in the order of the one ordered query."""
    return [d.pk for d in QuerySet.iterator(documents)]


# How a page is read: among the results' ids (a few), knowing how many entities there are (many), or as
# a slice of the one ordered query (without the index).
READS = ["by id", "entities counted", "unknown"]


def read_as(monkeypatch, read):
    """The small content's results are few: with FEW at 0 any number is many, as a broad word's at scale."""
    if read == "entities counted":
        monkeypatch.setattr(filters, "FEW", 0)


def test_a_common_word_spans_the_pages_and_narrowed_to_a_few_results_is_read_by_their_ids():
    # What the tests walk. "migration": 3 entities, 30 held records of the 36 made, another event's point and
    # 2 activities; of them 31 recommendations and sessions, for the slice [5:30].
    common = filterset("q=migration")
    assert (common.records().count(), common.indexed_entities()) == (36, 3)
    assert common.few_ids() is None
    assert filterset("q=migration&type=recommendation&type=session").records().count() == 31
    assert len(filterset("q=migration&theme=test-rights&theme=test-labour&type=activity").few_ids()) == 2


# Each test takes one query through every other choice in turn: the index its first request builds serves
# the rest, where a test per combination would build it again each time.
@pytest.mark.parametrize("q", QUERIES)
def test_the_pages_of_the_results_are_the_ranked_list_cut_in_pages(monkeypatch, q):
    for size, read in itertools.product([3, 25], READS):
        with monkeypatch.context() as patch:
            read_as(patch, read)
            f = filterset(f"q={q}")
            documents = f.qs if read == "unknown" else f.records()
            expected = whole_list(documents)
            pages = [documents[start : start + size] for start in range(0, len(expected) + size, size)]
            assert [d.pk for page in pages for d in page] == expected, (size, read)
            # What a page shows of a result is what the whole list says of it.
            first = {d.pk: (d.rank, d.named, d.priority) for d in QuerySet.iterator(documents)}
            assert all(first[d.pk] == (d.rank, d.named, d.priority) for page in pages[:2] for d in page), (size, read)


@pytest.mark.parametrize("q", QUERIES)
def test_the_pages_of_narrowed_results_are_the_ranked_list_cut_in_pages(monkeypatch, q):
    for params, read in itertools.product(PARAMETERS, READS[:2]):
        with monkeypatch.context() as patch:
            read_as(patch, read)
            f = filterset(f"q={q}{params}")
            documents = f.records()
            expected = whole_list(documents)
            # A few results are read among their ids, given by the index.
            if expected:
                by_id = re.search(r'"gfmd_searchdocument"\."id" IN \(\d', str(documents.query))
                matches = len(search.matching_ids(q))
                few = len(expected) <= filters.FEW and len(expected) * filters.MATCHES_PER_ID <= matches
                assert bool(by_id) == few, (params, read)
            pages = [documents[start : start + 7] for start in range(0, len(expected) + 7, 7)]
            assert [d.pk for page in pages for d in page] == expected, (params, read)


def test_a_page_crossing_from_entities_to_records_keeps_the_order():
    documents = filterset("q=migration").qs
    entities = [d for d in QuerySet.iterator(documents) if d.priority]
    records = [d for d in QuerySet.iterator(documents) if not d.priority]
    assert entities and records
    middle = len(entities) - 1
    assert [d.pk for d in documents[middle : middle + 3]] == [d.pk for d in entities[-1:] + records[:2]]


@pytest.mark.parametrize("q", QUERIES)
def test_the_facets_and_the_count_are_those_of_one_count_per_facet(q):
    for params in PARAMETERS:
        f = filterset(f"q={q}{params}")
        assert f.facet_counts() == filterset(f"q={q}{params}", OneCountPerFacet).facet_counts(), params
        assert f.records().count() == QuerySet.count(f.qs), params


@pytest.mark.parametrize("params", ["", "&stage=held&stage=planned"])
@pytest.mark.parametrize("read", READS[:2])
def test_a_page_is_one_query_whether_entities_fill_it_or_not(django_assert_num_queries, monkeypatch, params, read):
    read_as(monkeypatch, read)
    f = filterset(f"q=migration{params}")
    documents = f.records()
    entities = f.indexed_entities()
    assert 2 < entities < documents.count() - 5
    expected = whole_list(documents)
    # Within the entities, across from them to the records, past them.
    for start, stop in [(0, entities - 1), (entities - 2, entities + 2), (entities + 1, entities + 5)]:
        with django_assert_num_queries(1):
            page = documents[start:stop]
        assert [d.pk for d in page] == expected[start:stop]


def test_a_kind_of_records_alone_is_ranked_as_the_whole_list():
    documents = filterset("q=migration&type=recommendation&type=session").qs
    assert not documents.has_entities
    expected = whole_list(documents)
    assert [d.pk for d in documents[5:30]] == expected[5:30]


@pytest.mark.parametrize("q", ["migration", "remittances", '"domestic workers" or remittances -trafficking', "the"])
@pytest.mark.parametrize("model", [Recommendation, ProposedActivity, Session])
def test_matching_pks_are_the_records_the_search_box_finds(q, model):
    found = set(search.filter_queryset(model.objects.all(), q).values_list("pk", flat=True))
    assert search.matching_pks(model, q) == found
    if q != "the":
        assert found


def test_the_facets_count_the_new_documents_after_a_rebuild(client):
    before = client.get("/api/search/", {"q": "migration"}).json()
    call_command("rebuild_search_index", stdout=io.StringIO())
    # Not the page kept in the cache: the facets counted again, by what was kept for the revision.
    caches["pages"].clear()
    after = client.get("/api/search/", {"q": "migration"}).json()
    assert after["count"] == before["count"] > 0
    assert after["facets"] == before["facets"]


@pytest.mark.parametrize("q", QUERIES + ["the", "-migration"])
def test_matching_ids_are_the_documents_that_match(q):
    expected = set(search.filter_documents(SearchDocument.objects.all(), q).values_list("pk", flat=True))
    assert set(search.matching_ids(q)) == expected
