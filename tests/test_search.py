"""Search across every kind of record and entity, on SQLite (FTS5) and PostgreSQL (tsvector and GIN) alike.

On the small made-up content of tests/small_fixtures, with the records `made` adds to it through the write
path: words in their several forms, phrases, places, agencies and events to search for. What the search
finds in the real content is tests/test_content_search.py's.
"""

import csv
import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gfmd.models import SearchDocument, SourceDocument, SourceText
from lib import search
from lib.caching import content_changed
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Passage, Roundtable, Session, Stage, Track
from tests.small_records import Additions
from themes.models import Theme

pytestmark = pytest.mark.usefixtures("small_content", "made")

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index")
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 table")

# The one word searched for comes late in it, so that its snippet starts inside the text.
LONG_DISCUSSION = (
    "Delegates met in the old hall and spoke at length of wages, housing, schools, clinics, pensions, "
    "language classes, permits, families, children, elders, employers, unions, cities, villages, ports, "
    "ships, roads and borders, and late in the day of circular migration between the two coasts, and of "
    "what it asks of both."
)


@pytest.fixture(scope="module")
def made(small_database, django_db_blocker):
    """The records the tests search for, added to the small content through the write path: their URLs."""
    with django_db_blocker.unblock():
        return make_records()


def make_records():
    testville = Meeting.objects.get(slug="testville-2099")
    roundtable = Roundtable.objects.get(meeting=testville, number=1, stage=Stage.HELD)
    section = Section.objects.get(roundtable=roundtable, letter="a")
    additions = Additions()
    add = additions.add

    # After the small content's own recommendations 1 and 2, and activities 1 and 2 of its section a.
    numbers, positions = iter(range(3, 100)), iter(range(3, 100))

    def point(text, heading=""):
        number = next(numbers)
        return add(
            Recommendation,
            meeting=testville,
            roundtable=roundtable,
            number=str(number),
            position=number,
            group_heading=heading,
            text=text,
        )

    def activity(text):
        return add(ProposedActivity, section=section, position=next(positions), text=text)

    def harbour_point(number, text):
        return add(
            Recommendation, event=harbour, number=str(number), position=number, group_heading="Harbour Forum", text=text
        )

    # Entities named in the three languages and described at length, as the real ones are: ranked by their
    # words alone, a short record that repeats a name would come before the entity it names.
    additions.keep(
        Theme.objects.create(
            slug="test-remittances",
            name="Remittances and diaspora",
            name_fr="Envois de fonds et diaspora",
            name_es="Remesas y diáspora",
            description=(
                "What migration sends home: the money families abroad send to their relatives, the savings "
                "they bring back, and the part communities abroad play in the places they come from."
            ),
        ),
        GMGMember.objects.create(
            acronym="IOM",
            name="International Organization for Migration",
            name_fr="Organisation internationale pour les migrations",
            name_es="Organización Internacional para las Migraciones",
            abbreviation_fr="OIM",
            abbreviation_es="OIM",
        ),
        GMGMember.objects.create(
            acronym="UNODC",
            name="United Nations Office on Drugs and Crime",
            name_fr="Office des Nations Unies contre la drogue et le crime",
            name_es="Oficina de las Naciones Unidas contra la Droga y el Delito",
        ),
    )
    # A second meeting, with a track of each kind.
    quayside = add(
        Meeting,
        ordinal=98,
        year=2098,
        slug="quayside-2098",
        city="Quayside",
        city_fr="Le Quai",
        city_es="El Muelle",
        country="Otherland",
        country_fr="Autreterre",
        country_es="Otratierra",
        start_date=datetime.date(2098, 6, 1),
        end_date=datetime.date(2098, 6, 2),
        overarching_theme="Migration and development",
        summary=(
            "The meeting heard governments, cities and employers on wages, housing, schools and clinics, on "
            "language classes and permits, and on what families need when they move; it closed with a call "
            "to count better and to share what is counted."
        ),
    )
    government = add(Roundtable, meeting=quayside, number=1, title="Counting")
    days = add(Roundtable, meeting=quayside, track=Track.CIVIL_SOCIETY, number=1, title="Rights and labour")
    harbour = add(
        Event,
        slug="harbour-forum-2099",
        title="Harbour Forum",
        place="Portside",
        summary=(
            "A day of talks among port cities, shipping lines and unions on the crews of ships, their pay "
            "and their leave ashore, held the day before the meeting in the town hall of Portside."
        ),
        meeting=testville,
    )
    add(Event, slug="lagoon-forum-2099", title="Lagoon Forum", meeting=testville)
    # A passage quoting the middle line of its source's stored text: the lines around it are text no record quotes.
    transcript = SourceDocument.objects.create(slug="test-transcript", title="A test transcript", kind="report")
    SourceText.objects.create(
        source=transcript,
        text="Opening words of the chair.\nThe delegates met by the sea.\nClosing words of the chair.\n",
    )
    additions.keep(transcript)
    passage = Passage.objects.create(
        meeting=testville,
        heading="Format",
        position=1,
        text="The delegates met by the sea.",
        source=transcript,
        source_location="Page 1",
    )
    additions.keep(passage)
    records = SimpleNamespace(
        remittances=point("Lower the cost of remittances."),
        remittance=activity("Map each remittance corridor."),
        recruitment=point("Regulate recruitment agencies."),
        recruiting=activity("Train staff in ethical recruiting."),
        migrants=point("Protect migrants at sea."),
        migrant=activity("Count migrant arrivals."),
        domestic_workers=point("Ratify the convention on domestic workers."),
        domestic_apart_from_workers=point("Domestic law should protect workers."),
        domestic_worker=point("Every domestic worker has rights."),
        domestic=point("Domestic budgets fund consulates."),
        diaspora=point("Engage the diaspora in development."),
        twelve_words=point(
            "Count lighthouse keepers, orchard growers, violin makers, glacier guides, meadow shepherds "
            "and canyon rangers."
        ),
        iom=point("IOM will report, and IOM will pay."),
        drugs_and_crime=point("The United Nations office fights drugs and crime."),
        harbour_visas=harbour_point(1, "The Harbour Forum asks for fair visas."),
        harbour_ports=harbour_point(2, "The Harbour Forum asks for safe ports."),
        migration=point("Share data on migration."),
        migration_activity=activity("Study migration and development, labour and skills."),
        otherland=add(
            Session,
            roundtable=roundtable,
            number="1.4",
            title="Delegates from Otherland",
            discussion="Otherland spoke for Otherland.",
        ),
        long=add(Session, roundtable=roundtable, number="1.3", title="Long session", discussion=LONG_DISCUSSION),
        statistics=add(Session, roundtable=government, number="1.1", title="Migration statistics"),
        trafficking=add(
            Session,
            roundtable=days,
            number="1.1",
            title="Trafficking in persons",
            discussion="On the routes across the strait.",
        ),
        days_rights=add(Session, roundtable=days, number="1.2", title="Migration and rights"),
        days_labour=add(Session, roundtable=days, number="1.3", title="Migration and labour"),
    )
    rights = Theme.objects.get(slug="test-rights")
    records.statistics.themes.add(rights)
    records.days_rights.themes.add(rights)
    additions.write()
    urls = SimpleNamespace(**{name: record.get_absolute_url() for name, record in vars(records).items()})
    # A passage's result leads to its own place on its meeting's page.
    urls.passage = f"/meetings/testville-2099/#passage-{passage.pk}"
    return urls


@pytest.fixture
def meeting(made):
    return Meeting.objects.get(slug="testville-2099")


@pytest.fixture
def roundtable(made):
    """The small content's roundtable 2, which has no sessions: a test's sessions may take any number 2.x."""
    return Roundtable.objects.get(meeting__slug="testville-2099", number=2)


@pytest.fixture
def session(made):
    return Session.objects.get(meeting__slug="testville-2099", slug="1-1")


@pytest.fixture
def recommendation(made):
    """The small content's recommendation 1, with its sub-points a and b."""
    return Recommendation.objects.get(meeting__slug="testville-2099", parent=None, number="1")


@pytest.fixture
def activity(made):
    return ProposedActivity.objects.get(section__roundtable__meeting__slug="testville-2099", position=1)


def api(client, q, **params):
    response = client.get("/api/search/", {"q": q, "page_size": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()


def urls(client, q, **params):
    return {r["url"] for r in api(client, q, **params)["results"]}


def listed(client, path, q):
    data = client.get(path, {"q": q, "page_size": 200}).json()
    return {r["url"] for r in data["results"]}


# -- 1. word variants, phrases, or, -word ------------------------------------


@pytest.mark.parametrize(
    ("one", "other"), [("remittance", "remittances"), ("recruiting", "recruitment"), ("migrant", "migrants")]
)
def test_every_form_of_a_word_finds_the_same_records(client, made, one, other):
    # Each form is written in one record only, a recommendation or an activity: the other is found by its stem.
    point, activity = {
        "remittance": (made.remittances, made.remittance),
        "recruiting": (made.recruitment, made.recruiting),
        "migrant": (made.migrants, made.migrant),
    }[one]
    # The theme is named "Remittances and diaspora".
    theme = {"/themes/test-remittances/"} if one == "remittance" else set()
    assert urls(client, one) == urls(client, other) == {point, activity, *theme}
    for path, url in (("/api/recommendations/", point), ("/api/activities/", activity)):
        assert listed(client, path, one) == listed(client, path, other) == {url}


def test_recruiting_finds_what_speaks_of_recruitment(client, made):
    results = {r["url"]: r["snippet"] for r in api(client, "recruiting")["results"]}
    # A snippet runs from word to word: the closing full stop is left out.
    assert results[made.recruitment] == "Regulate <mark>recruitment</mark> agencies"
    assert results[made.recruiting] == "Train staff in ethical <mark>recruiting</mark>"


def test_a_quoted_phrase_finds_the_words_together(client, made):
    phrase = listed(client, "/api/recommendations/", '"domestic workers"')
    # "domestic worker" is the phrase too, by its words' stems.
    assert phrase == {made.domestic_workers, made.domestic_worker}
    apart = listed(client, "/api/recommendations/", "domestic workers")
    assert apart == phrase | {made.domestic_apart_from_workers}


def test_or_finds_either_word(client, made):
    either = api(client, "quokka or diaspora")
    assert either["count"] == api(client, "diaspora")["count"] == 2
    assert urls(client, "diaspora") == {"/themes/test-remittances/", made.diaspora}
    both = urls(client, "diaspora or trafficking")
    assert both == {"/themes/test-remittances/", made.diaspora, made.trafficking}


def test_a_word_left_out_with_a_minus_is_left_out(client, made):
    everything = listed(client, "/api/recommendations/", "domestic")
    assert everything == {made.domestic_workers, made.domestic_apart_from_workers, made.domestic_worker, made.domestic}
    # "worker" goes with "workers", by its stem.
    assert listed(client, "/api/recommendations/", "domestic -workers") == {made.domestic}


def test_a_query_of_common_words_or_exclusions_alone_finds_nothing_and_says_why(client):
    for q in ("the and of", "-migration", "!!!"):
        assert api(client, q)["count"] == 0
        page = client.get("/search/", {"q": q}).content.decode()
        assert "Nothing to search for" in page


# -- 2. one document per record ----------------------------------------------


def test_an_activity_is_found_by_the_text_of_its_objectives(client, activity):
    content_changed(
        [Objective.objects.create(activity=activity, position=9, text="Map the zanzibarian labour corridors.")]
    )
    assert listed(client, "/api/activities/", "zanzibarian") == {activity.get_absolute_url()}
    assert urls(client, "zanzibarian corridor") == {activity.get_absolute_url()}


def test_a_recommendation_is_found_by_the_text_of_its_sub_points(client, recommendation):
    sub_point = Recommendation.objects.create(
        meeting=recommendation.meeting,
        parent=recommendation,
        position=3,
        number="c",
        text="Quokkas counted twice.",
        source=recommendation.source,
    )
    content_changed([sub_point])
    # The sub-point's own document, and its parent's, which holds the texts of all its points.
    assert urls(client, "quokka") == {recommendation.get_absolute_url(), sub_point.get_absolute_url()}


def test_every_record_and_entity_has_one_document(made):
    for kind in search.KINDS.values():
        documents = SearchDocument.objects.filter(kind=kind.name)
        assert documents.count() == kind.queryset().count() > 0, kind.name
        assert set(documents.values_list("object_id", flat=True)) == set(kind.queryset().values_list("pk", flat=True))


def test_more_words_cost_no_more_queries(client, made):
    # A first request reads the facets' choices, kept for the content revision; both counted requests reuse them.
    client.get("/api/activities/", {"q": "warm"})
    with CaptureQueriesContext(connection) as one:
        response = client.get("/api/activities/", {"q": "migration"})
    assert response.json()["count"] == 1
    q = " ".join(["migration"] * 7 + ["development", "labour", "skills"] * 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/activities/", {"q": q})
    # The same activity, which holds every word: both requests read and show it.
    assert response.json()["count"] == 1
    assert len(many.captured_queries) == len(one.captured_queries)


# -- 3. entities ranked above records when named ------------------------------


def test_an_agency_named_by_its_acronym_comes_first(client, made):
    results = api(client, "IOM")["results"]
    assert [r["url"] for r in results] == ["/gmg/IOM/", made.iom]
    assert results[0]["type"] == "gmg_member"


def test_an_agency_named_by_its_name_comes_first(client, made):
    results = api(client, "United Nations Office on Drugs and Crime")["results"]
    assert [r["url"] for r in results] == ["/gmg/UNODC/", made.drugs_and_crime]


def test_a_meeting_named_by_its_country_comes_first(client, made):
    # The session repeats the country in its few words: ranked by them alone, it would come first.
    results = api(client, "Otherland")["results"]
    assert [r["url"] for r in results] == ["/meetings/quayside-2098/", made.otherland]
    assert results[0]["type"] == "meeting" and results[0]["year"] == 2098
    assert results[1]["year"] == 2099


def test_another_event_is_a_result_and_its_points_are_found_each_saying_its_event(client, made):
    # Its points are printed under its name: ranked by their words alone, they would come first.
    results = api(client, "Harbour Forum")["results"]
    assert [r["url"] for r in results][0] == "/events/harbour-forum-2099/" and results[0]["type"] == "event"
    points = {made.harbour_visas, made.harbour_ports}
    assert {r["url"] for r in results} == {"/events/harbour-forum-2099/", *points}
    assert {r["event"] for r in results if r["url"] in points} == {"harbour-forum-2099"}
    assert urls(client, "Harbour Forum", event="harbour-forum-2099") == points
    # They are the event's: never found by a stage of the meeting's, as they have none.
    assert urls(client, "Harbour Forum", stage=["held", "planned"]) == {"/events/harbour-forum-2099/"}


def test_themes_and_sources_are_results(client, made):
    assert api(client, "Remittances and diaspora")["results"][0]["url"] == "/themes/test-remittances/"
    assert urls(client, "test", type="source") == {
        "/sources/test-report/",
        "/sources/test-slides/",
        "/sources/test-transcript/",
    }


def test_passages_and_the_text_no_record_quotes_are_results(client, made):
    assert urls(client, "delegates sea") == {made.passage}
    found = api(client, "chair")["results"]
    assert {r["type"] for r in found} == {"text"}
    assert all(r["url"].startswith("/sources/test-transcript/#text-") for r in found) and len(found) == 2


# -- 4. results that say what they are ----------------------------------------


def test_each_result_says_its_type_meeting_year_track_roundtable_and_kind(client, made):
    results = {r["url"]: r for r in api(client, "remittances")["results"]}
    assert all(
        {"type", "title", "url", "snippet", "year", "meeting", "track", "roundtable", "kind"} <= set(r)
        for r in results.values()
    )
    point = results[made.remittances]
    assert (point["type"], point["meeting"], point["year"]) == ("recommendation", "testville-2099", 2099)
    assert (point["track"], point["roundtable"], point["kind"]) == ("government", "Roundtable 1", "Recommendation")
    theme = results["/themes/test-remittances/"]
    assert theme["type"] == "theme"
    assert theme["meeting"] is None and theme["track"] is None and theme["year"] is None


def test_the_results_page_shows_meeting_track_and_roundtable(client, made):
    page = client.get("/search/", {"q": "Trafficking in persons", "type": "session"}).content.decode()
    card = page[page.index(made.trafficking) :][:1200]
    assert "GFMD 2098, Quayside" in card
    assert "Civil Society Days" in card and "Roundtable 1" in card


def test_snippets_start_and_end_at_word_boundaries(client, made):
    results = api(client, "migration")["results"]
    cut = [r for r in results if r["snippet"].startswith("… ")]
    # The long session's snippet starts inside its text: the check below has a start to check.
    assert [r["url"] for r in cut] == [made.long]
    for result in results:
        plain = re.sub(r"</?mark>", "", result["snippet"]).removeprefix("… ").removesuffix(" …")
        if not plain:
            continue
        document = SearchDocument.objects.get(url=result["url"])
        body = " ".join(document.body.split())
        start = body.find(" ".join(plain.split())[:40])
        assert start >= 0, (plain, body)
        if start > 0:
            assert not body[start - 1].isalnum(), (plain, body[start - 10 : start + 10])
    end = "the two coasts, and of what it asks of both"
    assert cut[0]["snippet"] == f"… the day of circular <mark>migration</mark> between {end}"


def test_search_escapes_what_it_quotes(client, roundtable, source):
    session = Session.objects.create(
        roundtable=roundtable, number="2.1", title="Markup", discussion="<b>quokka</b> appears here", source=source
    )
    content_changed([session])
    page = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "<b>quokka" not in page and "&gt;<mark>quokka</mark>&lt;/b&gt; appears here" in page


# -- 5. facets, URLs, CSV -------------------------------------------------------


def test_the_type_facet_counts_each_type_under_the_other_filters(client, made):
    everything = api(client, "migration")
    counts = {v["value"]: v["count"] for v in everything["facets"]["type"] if v["count"]}
    assert counts == {"meeting": 1, "gmg_member": 1, "theme": 1, "session": 4, "recommendation": 1, "activity": 1}
    only_sessions = api(client, "migration", type="session")
    assert only_sessions["count"] == 4
    assert {r["url"] for r in only_sessions["results"]} == {
        made.long,
        made.statistics,
        made.days_rights,
        made.days_labour,
    }
    # Choosing a type does not hide the others' counts.
    assert {v["value"]: v["count"] for v in only_sessions["facets"]["type"] if v["count"]} == counts
    both = api(client, "migration", type=["session", "activity"])
    assert both["count"] == 5


def test_year_meeting_track_and_theme_narrow_the_results(client, made):
    assert urls(client, "migration", year=2098, theme="test-rights") == {made.statistics, made.days_rights}
    data = api(client, "migration", year=2098, track="civil-society", theme="test-rights")
    assert [r["url"] for r in data["results"]] == [made.days_rights]
    assert (data["results"][0]["year"], data["results"][0]["track"]) == (2098, "civil-society")
    by_meeting = urls(client, "migration", meeting="quayside-2098")
    assert by_meeting == {"/meetings/quayside-2098/", made.statistics, made.days_rights, made.days_labour}
    years = {v["value"]: v["count"] for v in api(client, "migration")["facets"]["year"] if v["count"]}
    assert years == {"2098": 4, "2099": 3}


def test_every_facet_value_is_a_link_that_keeps_the_query(client, made):
    page = client.get("/search/", {"q": "remittances"}).content.decode()
    assert 'href="/search/?q=remittances&amp;type=recommendation"' in page
    assert 'href="/search/?q=remittances&amp;year=2099"' in page
    narrowed = client.get("/search/?q=remittances&type=recommendation").content.decode()
    assert 'aria-current="true"' in narrowed and "Type: Recommendations" in narrowed


def test_the_results_download_as_csv(client, made):
    response = client.get("/search/", {"q": "remittances", "type": "recommendation", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["url"] for row in rows] == [f"http://testserver{made.remittances}"]
    assert [(row["type"], row["meeting"]) for row in rows] == [("recommendation", "testville-2099")]


def test_a_result_s_kind_is_named_in_the_page_s_language_and_in_english_in_the_csv(client, made):
    def kinds(path):
        response = client.get(path, {"q": "remittances", "type": "recommendation", "format": "csv"})
        return [row["kind"] for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))]

    with translation.override("fr"):
        french = str(Recommendation.Kind.RECOMMENDATION.label)
    assert french != "Recommendation"
    page = client.get("/fr/search/", {"q": "remittances", "type": "recommendation"}).content.decode()
    assert f">{french}<" in page and ">Recommendation<" not in page
    # A CSV is made in English, whatever the page's language.
    assert kinds("/fr/search/") == kinds("/search/") == ["Recommendation"]


def test_a_bad_facet_value_is_a_400_that_says_why(client):
    response = client.get("/api/search/", {"q": "migration", "year": "abc"})
    assert response.status_code == 400 and "year" in response.json()["errors"]
    assert client.get("/search/", {"q": "migration", "type": "planet"}).status_code == 400


def test_search_without_words_is_a_form_on_the_page_and_a_400_in_the_api(client):
    page = client.get("/search/")
    assert page.status_code == 200 and 'name="q"' in page.content.decode()
    assert f"Up to {search.MAX_TERMS} words are searched for" in page.content.decode()
    response = client.get("/api/search/")
    assert response.status_code == 400 and "q is required" in response.json()["errors"]["q"][0]


def test_planned_records_are_left_out_unless_asked_for(client, meeting, source):
    planned = Roundtable.objects.create(meeting=meeting, number=2, stage=Stage.PLANNED, title="Plan", source=source)
    session = Session.objects.create(roundtable=planned, number="2.1", title="Quokka corridors", source=source)
    content_changed([planned, session])
    default = api(client, "quokka")
    assert default["count"] == 0 and default["results"] == []
    stages = {v["value"]: v["count"] for v in default["facets"]["stage"]}
    assert stages["planned"] == 1
    assert urls(client, "quokka", stage="planned") == {session.get_absolute_url()}


def test_points_of_other_events_are_found_and_the_event_facet_narrows_to_them(client, session):
    SearchDocument.objects.filter(kind="session", object_id=session.pk).update(event="harbour-forum-2099", stage="")
    assert urls(client, "discussed") == {session.get_absolute_url()}
    assert urls(client, "discussed", event="harbour-forum-2099") == {session.get_absolute_url()}
    assert not urls(client, "discussed", stage="held")
    assert not urls(client, "discussed", event="lagoon-forum-2099")


def test_the_search_page_runs_as_many_queries_with_more_data(client, roundtable, source):
    content_changed(
        [Session.objects.create(roundtable=roundtable, number="2.0", title="Quokka corridor", source=source)]
    )
    with CaptureQueriesContext(connection) as before:
        client.get("/search/", {"q": "quokka corridor"})
    content_changed(
        [
            Session.objects.create(roundtable=roundtable, number=f"2.{number}", title="Quokka corridor", source=source)
            for number in range(1, 30)
        ]
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get("/search/", {"q": "quokka corridor"})
    assert "30 results" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_search_page_runs_as_many_queries_whether_entities_fill_it_or_not(client, made):
    # A first request reads what is kept for the content revision (the facets' choices and index).
    client.get("/api/search/", {"q": "migration"})
    counts = []
    # "migration" names 3 entities and 6 records: a page of entities alone, one of both, one of records alone.
    for params in ({"page_size": 2}, {"page_size": 50}, {"page_size": 2, "page": 3}):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/search/", {"q": "migration", **params})
        kinds = {result["type"] for result in response.json()["results"]}
        counts.append((len(queries.captured_queries), kinds <= {"meeting", "gmg_member", "theme", "source"}))
    assert counts[0] == (counts[1][0], True)
    assert counts[1] == (counts[0][0], False)
    assert counts[2] == (counts[0][0], False)


# -- 6. bounded cost -------------------------------------------------------------


def test_a_query_of_many_words_is_cut_with_a_notice(client, made):
    # The first twelve words are all in one recommendation, the three after them in none of it.
    words = "lighthouse keepers orchard growers violin makers glacier guides meadow shepherds canyon rangers"
    q = words + " climate trafficking integration"
    page = client.get("/search/", {"q": q})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Only the first {search.MAX_TERMS} words are searched for" in text
    assert "climate, trafficking, integration" in text
    assert urls(client, q) == urls(client, words) == {made.twelve_words}


def test_a_list_search_of_many_words_says_what_it_left_out(client):
    q = " ".join(f"word{n}" for n in range(20))
    page = client.get("/activities/", {"q": q}).content.decode()
    assert "Only the first 12 words are searched for" in page and "word19" in page
    data = client.get("/api/activities/", {"q": q}).json()
    assert data["notices"] and "word19" in data["notices"][0]
    assert "notices" not in client.get("/api/activities/", {"q": "migration"}).json()


def test_thirty_two_words_in_a_list_search_answer_without_an_error(client, made):
    response = client.get("/api/activities/", {"q": " ".join(f"word{n}" for n in range(32))})
    assert response.status_code == 200
    response = client.get("/api/activities/", {"q": "migration " * 40})
    assert response.status_code == 200 and response.json()["count"] == 1


def test_repeated_words_are_searched_once_and_highlighted_once(client, made):
    once = api(client, "a migration")
    many = api(client, "a a a a a a a a a a a migration migration migration")
    assert many["count"] == once["count"] == 9
    assert [r["snippet"] for r in many["results"]] == [r["snippet"] for r in once["results"]]
    snippets = {r["url"]: r["snippet"] for r in many["results"]}
    assert snippets[made.migration] == "Share data on <mark>migration</mark>"
    assert all(len(r["snippet"]) < 2000 for r in many["results"])


def test_marks_never_nest(client, roundtable, source):
    session = Session.objects.create(
        roundtable=roundtable, number="2.1", title="Marks", discussion="mark my words", source=source
    )
    content_changed([session])
    for q in ("mark m", "mark mark", "mark my", "m a r k"):
        for result in api(client, q)["results"]:
            assert "<<" not in result["snippet"] and "<mark><mark>" not in result["snippet"]
    assert "<mark>mark</mark> my words" in api(client, "mark")["results"][0]["snippet"]


def test_the_parser_keeps_at_most_max_terms_words():
    query = search.parse(" ".join(f"w{n}" for n in range(50)) + ' "a long phrase of words here"')
    assert sum(len(phrase) for group in query.groups for phrase in group) <= search.MAX_TERMS
    assert query.notices


words = st.text(alphabet=st.sampled_from("abcmrk <>&\"'-é.,\n"), max_size=12)
texts = st.text(alphabet=st.sampled_from("abcmrk <>&\"'-é.,\n0"), max_size=3000) | st.text(max_size=500)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, q=st.lists(words, max_size=30).map(" ".join))
def test_highlighting_is_well_formed_and_bounded(text, q):
    html = search.snippet(text, q)
    # Marks open and close in turn, never nested, never inside a word's escaping.
    assert re.fullmatch(r"(?:[^<]|<mark>[^<]*</mark>)*", html), html
    assert "<mark></mark>" not in html
    plain = re.sub(r"</?mark>", "", html)
    assert "<" not in plain and ">" not in plain
    # At most the excerpt's size, times the escaping and the marks.
    assert len(html) <= 15 * (min(len(text), search.SNIPPET_MAX_CHARS + search.WORD_MAX_CHARS) + 10)


@settings(max_examples=100, deadline=None)
@given(q=st.text(max_size=400))
def test_any_query_parses_into_a_bounded_query(q):
    query = search.parse(q)
    assert (
        sum(len(p) for group in query.groups for p in group) + sum(len(p) for p in query.excluded) <= search.MAX_TERMS
    )
    # Only letters and digits reach the engines.
    assert re.fullmatch(r'[\w\s"()\-{}:]*', query.fts5() + query.websearch())
    assert "_" not in query.websearch()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.lists(st.sampled_from(["a", "mark", "m", "-", '"', "or", "-mark", "migration", "é", "x" * 60]), max_size=40)
)
def test_long_and_repeated_queries_answer(client, made, q):
    for path in ("/api/search/", "/api/recommendations/"):
        response = client.get(path, {"q": " ".join(q) or "x"})
        assert response.status_code == 200
        assert len(response.content) < 300_000


# -- keeping the index in step ------------------------------------------------


def test_a_new_record_an_edit_and_a_deletion_through_the_write_path_show_in_search(client, roundtable, source):
    session = Session.objects.create(roundtable=roundtable, number="2.1", title="Quokka corridors", source=source)
    content_changed([session])
    assert urls(client, "quokkas") == {session.get_absolute_url()}
    session.title = "Wombat corridors"
    session.save()
    content_changed([session])
    assert not urls(client, "quokka") and urls(client, "wombat") == {session.get_absolute_url()}
    gone = search.documents_of([session])
    session.delete()
    content_changed(documents=gone)
    assert not urls(client, "wombat")
    assert not SearchDocument.objects.filter(kind="session", object_id__in=[pk for _, pk in gone]).exists()


def test_a_changed_theme_link_and_a_renamed_meeting_show_in_search(client, session, theme):
    session.themes.add(theme)
    content_changed([session])
    assert urls(client, "discussed", theme=theme.slug) == {session.get_absolute_url()}
    session.themes.remove(theme)
    content_changed([session])
    assert urls(client, "discussed") == {session.get_absolute_url()}
    assert not urls(client, "discussed", theme=theme.slug)
    meeting = session.meeting
    meeting.city = "Quokkaville"
    meeting.save()
    content_changed([meeting])  # the meeting's sessions show its name: their documents follow
    assert [r["title"] for r in api(client, "discussed")["results"]] == ["1.1 The first session"]
    assert SearchDocument.objects.get(kind="session", object_id=session.pk).meeting_label == "GFMD 2099, Quokkaville"


def test_an_objective_edited_updates_its_activity(client, activity):
    objective = Objective.objects.create(activity=activity, position=9, text="Count quokkas.")
    content_changed([objective])
    assert listed(client, "/api/activities/", "quokka") == {activity.get_absolute_url()}
    gone = search.documents_of([objective])
    objective.delete()
    content_changed(documents=gone)
    assert not listed(client, "/api/activities/", "quokka")


def test_an_editors_change_in_the_admin_shows_in_search(admin_client, session):
    from tests.admin.conftest import form_data

    url = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    data = form_data(admin_client.get(url))
    data["title"] = "Zanzibarian corridors"
    assert admin_client.post(url, data).status_code == 302
    assert urls(admin_client, "zanzibarian") == {session.get_absolute_url()}


def test_rebuilding_the_index_gives_the_same_documents(made, capsys):
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    after = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    assert after == before
    # The small content's two agencies and the two `made` adds.
    assert "GMG members: 4" in capsys.readouterr().out


def test_synthetic_records_are_searchable_and_cleared_from_search(client, made):
    call_command("generate_synthetic", "--scale", "1", verbosity=0, stdout=io.StringIO())
    assert any(r["meeting"].startswith("synthetic-") for r in api(client, "remittances")["results"] if r["meeting"])
    call_command("generate_synthetic", "--clear", stdout=io.StringIO())
    assert not any((r["meeting"] or "").startswith("synthetic-") for r in api(client, "remittances")["results"])
    assert urls(client, "remittances") == {"/themes/test-remittances/", made.remittances, made.remittance}
    assert SearchDocument.objects.filter(kind="activity").count() == ProposedActivity.objects.count()


def test_an_agency_added_is_found_by_its_acronym(client):
    content_changed([GMGMember.objects.create(acronym="QKA", name="Quokka Agency")])
    assert api(client, "QKA")["results"][0]["url"] == "/gmg/QKA/"


# -- the engines ------------------------------------------------------------------


@sqlite_only
def test_the_sqlite_test_database_has_the_fts5_table_with_the_porter_stemmer(made):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
        (definition,) = cursor.fetchone()
        assert "fts5" in definition.lower() and "porter" in definition
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        assert cursor.fetchone()[0] == SearchDocument.objects.count()


@postgresql_only
def test_the_index_table_has_a_gin_index_of_kind_and_vector_the_search_uses():
    # A list's search box matches one kind's documents: with the kind in the index, a common word reads only that
    # kind's matches (the planner's choice at 100x; a test's few documents make a btree index the cheaper).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'gfmd_searchdocument' AND indexdef LIKE '%gin%'"
        )
        assert [definition for (definition,) in cursor.fetchall()] == [
            "CREATE INDEX search_document_kind_vector ON public.gfmd_searchdocument USING gin (kind, vector)"
        ]
    queryset = search.filter_documents(SearchDocument.objects.all(), "migration")
    with connection.cursor() as cursor:
        # The tables are small enough that the planner prefers a scan; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    # The site search, of every kind, reads it by the vector alone.
    assert "search_document_kind_vector" in plan


@postgresql_only
def test_the_site_search_reads_a_word_s_matches_through_the_text_index_and_leaves_the_planner_as_it_was():
    # The test's few documents make a scan of the table the planner's choice: as a word half the documents hold
    # at 100 times the content does, where the index takes a third of the time.
    sql = "SELECT id FROM gfmd_searchdocument WHERE vector @@ websearch_to_tsquery('english', 'migration')"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        assert "Seq Scan on gfmd_searchdocument" in "\n".join(row for (row,) in cursor.fetchall())
        with search.engine.through_the_text_index():
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row for (row,) in cursor.fetchall())
        assert "Seq Scan" not in plan and "search_document_kind_vector" in plan
        ids = search.matching_ids("migration")
        cursor.execute(sql)
        assert sorted(ids) == sorted(pk for (pk,) in cursor.fetchall()) and ids
        # In the test's transaction, as in any caller's: the setting ends with the read.
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


@postgresql_only
def test_a_document_keeps_its_vector_in_its_row_where_a_scan_reads_it(made):
    # A vector past the 2 kB at which PostgreSQL would move it out of its row by default, to the TOAST table.
    words = " ".join(f"w{n}" for n in range(400))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'gfmd_searchdocument'::regclass")
        (toast,) = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {toast}")
        (chunks,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO gfmd_searchdocument (kind, object_id, url, label, names, title, body, meeting, "
            "meeting_label, track, roundtable, record_kind, stage, event, wording, vector) "
            "VALUES ('test', 1, '/t/', 'T', '', '', '', '', '', '', '', '', 'held', '', '', to_tsvector(%s)) "
            "RETURNING pg_column_size(vector)",
            [words],
        )
        (size,) = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {toast}")
        assert size > 2000 and cursor.fetchone() == (chunks,)


@postgresql_only
def test_the_old_per_table_indexes_are_gone():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('meeting_search', 'session_search', 'recommendation_search', 'activity_search')"
        )
        assert cursor.fetchall() == []
