"""Search across every kind of record and entity, on SQLite (FTS5) and PostgreSQL (tsvector and GIN) alike."""

import csv
import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gfmd.models import SearchDocument
from lib import search
from lib.caching import content_changed
from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation
from sessions.models import Roundtable, Session, Stage
from themes.models import Theme

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index")
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 table")


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
def test_every_form_of_a_word_finds_the_same_records(client, one, other):
    found = urls(client, one)
    assert len(found) > 1
    assert found == urls(client, other)
    for path in ("/api/recommendations/", "/api/activities/"):
        assert listed(client, path, one) == listed(client, path, other)


def test_recruiting_finds_what_speaks_of_recruitment(client):
    texts = [r["snippet"].lower() for r in api(client, "recruiting")["results"]]
    assert any("<mark>recruitment</mark>" in text for text in texts)


def test_a_quoted_phrase_finds_the_words_together(client):
    phrase = client.get("/api/recommendations/", {"q": '"domestic workers"', "page_size": 200}).json()
    assert phrase["count"] > 0
    assert all("domestic worker" in r["text"].lower() for r in phrase["results"])
    apart = client.get("/api/recommendations/", {"q": "domestic workers", "page_size": 200}).json()
    assert apart["count"] >= phrase["count"]


def test_or_finds_either_word(client):
    either = api(client, "quokka or diaspora")
    assert either["count"] == api(client, "diaspora")["count"] > 0
    both = urls(client, "diaspora or trafficking")
    assert both == urls(client, "diaspora") | urls(client, "trafficking")


def test_a_word_left_out_with_a_minus_is_left_out(client):
    # Held and planned: the points on domestic workers are the concept paper's.
    stages = {"stage": ["held", "planned"], "page_size": 200}
    everything = client.get("/api/recommendations/", {"q": "domestic", **stages}).json()
    without = client.get("/api/recommendations/", {"q": "domestic -workers", **stages}).json()
    assert 0 < without["count"] < everything["count"]
    assert all("worker" not in r["text"].lower() for r in without["results"])


def test_a_query_of_common_words_or_exclusions_alone_finds_nothing_and_says_why(client):
    for q in ("the and of", "-migration", "!!!"):
        assert api(client, q)["count"] == 0
        page = client.get("/search/", {"q": q}).content.decode()
        assert "Nothing to search for" in page


# -- 2. one document per record ----------------------------------------------


def test_an_activity_is_found_by_the_text_of_its_objectives(client, activity):
    content_changed(
        [Objective.objects.create(activity=activity, position=1, text="Map the zanzibarian labour corridors.")]
    )
    assert listed(client, "/api/activities/", "zanzibarian") == {activity.get_absolute_url()}
    assert activity.get_absolute_url() in urls(client, "zanzibarian corridor")


def test_a_recommendation_is_found_by_the_text_of_its_sub_points(client, recommendation):
    sub_point = Recommendation.objects.create(
        meeting=recommendation.meeting,
        parent=recommendation,
        position=1,
        number="a",
        text="Quokkas counted twice.",
        source=recommendation.source,
    )
    content_changed([sub_point])
    assert recommendation.get_absolute_url() in urls(client, "quokka")


def test_every_record_and_entity_has_one_document(db):
    for kind in search.KINDS.values():
        documents = SearchDocument.objects.filter(kind=kind.name)
        assert documents.count() == kind.queryset().count() > 0
        assert set(documents.values_list("object_id", flat=True)) == set(kind.queryset().values_list("pk", flat=True))


def test_more_words_cost_no_more_queries(client):
    # A first request reads the facets' choices, kept for the content revision; both counted requests reuse them.
    client.get("/api/activities/", {"q": "warm"})
    with CaptureQueriesContext(connection) as one:
        client.get("/api/activities/", {"q": "migration"})
    with CaptureQueriesContext(connection) as many:
        client.get("/api/activities/", {"q": " ".join(["migration"] * 7 + ["development", "labour", "skills"] * 4)})
    assert len(many.captured_queries) == len(one.captured_queries)


# -- 3. entities ranked above records when named ------------------------------


def test_an_agency_named_by_its_acronym_comes_first(client):
    results = api(client, "IOM")["results"]
    assert results[0]["url"] == "/gmg/IOM/" and results[0]["type"] == "gmg_member"


def test_an_agency_named_by_its_name_comes_first(client):
    first = api(client, "United Nations Office on Drugs and Crime")["results"][0]
    assert first["url"] == "/gmg/UNODC/"


def test_a_meeting_named_by_its_country_comes_first(client):
    results = api(client, "Mauritius")["results"]
    assert results[0]["url"] == "/meetings/mauritius-2012/"
    assert results[0]["type"] == "meeting" and results[0]["year"] == 2012
    assert any(r["year"] == 2008 for r in results[1:])


def test_another_event_is_a_result_and_its_points_are_found_each_saying_its_event(client):
    from sessions.models import Event

    event = Event.objects.filter(points__isnull=False).first()
    results = api(client, event.title)["results"]
    assert results[0]["url"] == event.get_absolute_url() and results[0]["type"] == "event"
    points = {p.get_absolute_url() for p in event.points.all()}
    assert points <= {r["url"] for r in results}
    assert {r["event"] for r in results if r["url"] in points} == {event.slug}
    assert points == urls(client, event.title, event=event.slug)
    # They are the event's: never found by a stage of the meeting's, as they have none.
    assert not points & urls(client, event.title, stage=["held", "planned"])


def test_themes_and_sources_are_results(client):
    theme = Theme.objects.get(slug="remittances-diaspora")
    assert api(client, theme.name)["results"][0]["url"] == theme.get_absolute_url()
    source_results = api(client, "concept paper", type="source")["results"]
    assert source_results and all(r["url"].startswith("/sources/") for r in source_results)


# -- 4. results that say what they are ----------------------------------------


def test_each_result_says_its_type_meeting_year_track_roundtable_and_kind(client):
    results = api(client, "remittances")["results"]
    assert all(
        {"type", "title", "url", "snippet", "year", "meeting", "track", "roundtable", "kind"} <= set(r) for r in results
    )
    recommendation = next(r for r in results if r["type"] == "recommendation")
    record = Recommendation.objects.get(pk=recommendation["url"].split("/")[-2])
    assert recommendation["meeting"] == record.meeting.slug
    assert recommendation["year"] == record.meeting.year
    assert recommendation["track"] == record.track
    assert recommendation["kind"] == record.get_kind_display()
    theme = next(r for r in results if r["type"] == "theme")
    assert theme["meeting"] is None and theme["track"] is None and theme["year"] is None


def test_the_results_page_shows_meeting_track_and_roundtable(client):
    session = Session.objects.select_related("meeting", "roundtable").get(meeting__slug="athens-2009", slug="csd-4-2")
    page = client.get("/search/", {"q": session.title, "type": "session"}).content.decode()
    card = page[page.index(session.get_absolute_url()) :][:1200]
    assert f"GFMD 2009, {session.meeting.city}" in card
    assert "Civil Society Days" in card and session.roundtable.label in card


def test_snippets_start_and_end_at_word_boundaries(client):
    for result in api(client, "migration")["results"]:
        plain = re.sub(r"</?mark>", "", result["snippet"]).removeprefix("… ").removesuffix(" …")
        if not plain:
            continue
        document = SearchDocument.objects.get(url=result["url"])
        body = " ".join(document.body.split())
        start = body.find(" ".join(plain.split())[:40])
        if start > 0:
            assert not body[start - 1].isalnum(), (plain, body[start - 10 : start + 10])


def test_search_escapes_what_it_quotes(client, roundtable, source):
    session = Session.objects.create(
        roundtable=roundtable, number="1.1", title="Markup", discussion="<b>quokka</b> appears here", source=source
    )
    content_changed([session])
    page = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "<b>quokka" not in page and "&gt;<mark>quokka</mark>&lt;/b&gt; appears here" in page


# -- 5. facets, URLs, CSV -------------------------------------------------------


def test_the_type_facet_counts_each_type_under_the_other_filters(client):
    everything = api(client, "migration")
    counts = {v["value"]: v["count"] for v in everything["facets"]["type"]}
    assert counts["session"] and counts["recommendation"] and counts["activity"]
    only_sessions = api(client, "migration", type="session")
    assert only_sessions["count"] == counts["session"]
    assert {r["type"] for r in only_sessions["results"]} == {"session"}
    # Choosing a type does not hide the others' counts.
    assert {v["value"]: v["count"] for v in only_sessions["facets"]["type"]} == counts
    both = api(client, "migration", type=["session", "activity"])
    assert both["count"] == counts["session"] + counts["activity"]


def test_year_meeting_track_and_theme_narrow_the_results(client):
    data = api(client, "migration", year=2009, track="civil-society", theme="rights-protection")
    assert data["count"] > 0
    for result in data["results"]:
        assert result["year"] == 2009 and result["track"] == "civil-society"
        document = SearchDocument.objects.get(url=result["url"])
        assert document.themes.filter(slug="rights-protection").exists()
    by_meeting = api(client, "migration", meeting="athens-2009")
    years = {v["value"]: v["count"] for v in api(client, "migration")["facets"]["year"]}
    assert by_meeting["count"] == years["2009"]


def test_every_facet_value_is_a_link_that_keeps_the_query(client):
    page = client.get("/search/", {"q": "remittances"}).content.decode()
    assert 'href="/search/?q=remittances&amp;type=recommendation"' in page
    assert 'href="/search/?q=remittances&amp;year=2007"' in page
    narrowed = client.get("/search/?q=remittances&type=recommendation").content.decode()
    assert 'aria-current="true"' in narrowed and "Type: Recommendations" in narrowed


def test_the_results_download_as_csv(client):
    response = client.get("/search/", {"q": "remittances", "type": "recommendation", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == api(client, "remittances", type="recommendation")["count"] > 0
    assert {row["type"] for row in rows} == {"recommendation"}
    assert all(row["url"].startswith("http://testserver/recommendations/") and row["meeting"] for row in rows)


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
    planned = Roundtable.objects.create(meeting=meeting, number=1, stage=Stage.PLANNED, title="Plan", source=source)
    session = Session.objects.create(roundtable=planned, number="1.1", title="Quokka corridors", source=source)
    content_changed([planned, session])
    assert session.get_absolute_url() not in urls(client, "quokka")
    stages = {v["value"]: v["count"] for v in api(client, "quokka")["facets"]["stage"]}
    assert stages["planned"] == 1
    assert urls(client, "quokka", stage="planned") == {session.get_absolute_url()}


def test_points_of_other_events_are_found_and_the_event_facet_narrows_to_them(client, session):
    from sessions.models import Event

    event = Event.objects.first()
    SearchDocument.objects.filter(kind="session", object_id=session.pk).update(event=event.slug, stage="")
    assert session.get_absolute_url() in urls(client, "test session")
    assert session.get_absolute_url() in urls(client, "test session", event=event.slug)
    assert session.get_absolute_url() not in urls(client, "test session", stage="held")
    other = Event.objects.exclude(pk=event.pk).first()
    assert session.get_absolute_url() not in urls(client, "test session", event=other.slug)


def test_the_search_page_runs_as_many_queries_with_more_data(client, roundtable, source):
    content_changed(
        [Session.objects.create(roundtable=roundtable, number="1.0", title="Quokka corridor", source=source)]
    )
    with CaptureQueriesContext(connection) as before:
        client.get("/search/", {"q": "quokka corridor"})
    content_changed(
        [
            Session.objects.create(roundtable=roundtable, number=f"1.{number}", title="Quokka corridor", source=source)
            for number in range(1, 30)
        ]
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get("/search/", {"q": "quokka corridor"})
    assert "30 results" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_search_page_runs_as_many_queries_whether_entities_fill_it_or_not(client):
    # A first request reads what is kept for the content revision (the facets' choices and index).
    client.get("/api/search/", {"q": "migration"})
    counts = []
    # A page of entities alone, one of entities and records, one of records alone.
    for params in ({"page_size": 2}, {"page_size": 50}, {"page_size": 5, "page": 15}):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/search/", {"q": "migration", **params})
        kinds = {result["type"] for result in response.json()["results"]}
        counts.append((len(queries.captured_queries), kinds <= {"meeting", "gmg_member", "theme", "source"}))
    assert counts[0] == (counts[1][0], True)
    assert counts[1] == (counts[0][0], False)
    assert counts[2] == (counts[0][0], False)


# -- 6. bounded cost -------------------------------------------------------------


def test_a_query_of_many_words_is_cut_with_a_notice(client):
    words = "migration development labour skills remittances diaspora rights protection gender family return data"
    q = words + " climate trafficking integration"
    page = client.get("/search/", {"q": q})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Only the first {search.MAX_TERMS} words are searched for" in text
    assert "climate, trafficking, integration" in text
    assert api(client, q)["count"] == api(client, words)["count"]


def test_a_list_search_of_many_words_says_what_it_left_out(client):
    q = " ".join(f"word{n}" for n in range(20))
    page = client.get("/activities/", {"q": q}).content.decode()
    assert "Only the first 12 words are searched for" in page and "word19" in page
    data = client.get("/api/activities/", {"q": q}).json()
    assert data["notices"] and "word19" in data["notices"][0]
    assert "notices" not in client.get("/api/activities/", {"q": "migration"}).json()


def test_thirty_two_words_in_a_list_search_answer_without_an_error(client):
    response = client.get("/api/activities/", {"q": " ".join(f"word{n}" for n in range(32))})
    assert response.status_code == 200
    response = client.get("/api/activities/", {"q": "migration " * 40})
    assert response.status_code == 200 and response.json()["count"] > 0


def test_repeated_words_are_searched_once_and_highlighted_once(client):
    once = api(client, "a migration")
    many = api(client, "a a a a a a a a a a a migration migration migration")
    assert many["count"] == once["count"] > 0
    assert [r["snippet"] for r in many["results"]] == [r["snippet"] for r in once["results"]]
    assert all(len(r["snippet"]) < 2000 for r in many["results"])


def test_marks_never_nest(client, roundtable, source):
    session = Session.objects.create(
        roundtable=roundtable, number="1.1", title="Marks", discussion="mark my words", source=source
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
def test_long_and_repeated_queries_answer(client, q):
    for path in ("/api/search/", "/api/recommendations/"):
        response = client.get(path, {"q": " ".join(q) or "x"})
        assert response.status_code == 200
        assert len(response.content) < 300_000


# -- keeping the index in step ------------------------------------------------


def test_a_new_record_an_edit_and_a_deletion_through_the_write_path_show_in_search(client, roundtable, source):
    session = Session.objects.create(roundtable=roundtable, number="1.1", title="Quokka corridors", source=source)
    content_changed([session])
    assert session.get_absolute_url() in urls(client, "quokkas")
    session.title = "Wombat corridors"
    session.save()
    content_changed([session])
    assert not urls(client, "quokka") and session.get_absolute_url() in urls(client, "wombat")
    gone = search.documents_of([session])
    session.delete()
    content_changed(documents=gone)
    assert not urls(client, "wombat")
    assert not SearchDocument.objects.filter(kind="session", object_id__in=[pk for _, pk in gone]).exists()


def test_a_changed_theme_link_and_a_renamed_meeting_show_in_search(client, session, theme):
    session.themes.add(theme)
    content_changed([session])
    assert urls(client, "test session", theme=theme.slug) == {session.get_absolute_url()}
    session.themes.remove(theme)
    content_changed([session])
    assert not urls(client, "test session", theme=theme.slug)
    meeting = session.meeting
    meeting.city = "Quokkaville"
    meeting.save()
    content_changed([meeting])  # the meeting's sessions show its name: their documents follow
    assert api(client, "test session", type="session")["results"][0]["title"] == "1.1 A test session"
    assert SearchDocument.objects.get(kind="session", object_id=session.pk).meeting_label.endswith("Quokkaville")


def test_an_objective_edited_updates_its_activity(client, activity):
    objective = Objective.objects.create(activity=activity, position=1, text="Count quokkas.")
    content_changed([objective])
    assert listed(client, "/api/activities/", "quokka") == {activity.get_absolute_url()}
    gone = search.documents_of([objective])
    objective.delete()
    content_changed(documents=gone)
    assert not listed(client, "/api/activities/", "quokka")


def test_an_editors_change_in_the_admin_shows_in_search(admin_client, session):
    url = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    response = admin_client.get(url)
    from tests.admin.conftest import form_data

    data = form_data(response)
    data["title"] = "Zanzibarian corridors"
    assert admin_client.post(url, data).status_code == 302
    assert session.get_absolute_url() in urls(admin_client, "zanzibarian")


def test_rebuilding_the_index_gives_the_same_documents(db, capsys):
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    after = sorted(SearchDocument.objects.values_list("kind", "object_id", "label", "body", "year", "track"))
    assert after == before
    assert "GMG members: 15" in capsys.readouterr().out


def test_synthetic_records_are_searchable_and_cleared_from_search(client):
    call_command("generate_synthetic", "--scale", "1", verbosity=0, stdout=io.StringIO())
    assert any(r["meeting"].startswith("synthetic-") for r in api(client, "remittances")["results"] if r["meeting"])
    call_command("generate_synthetic", "--clear", stdout=io.StringIO())
    assert not any((r["meeting"] or "").startswith("synthetic-") for r in api(client, "remittances")["results"])
    assert SearchDocument.objects.filter(kind="activity").count() == ProposedActivity.objects.count()


def test_an_agency_added_is_found_by_its_acronym(client):
    content_changed([GMGMember.objects.create(acronym="QKA", name="Quokka Agency")])
    assert api(client, "QKA")["results"][0]["url"] == "/gmg/QKA/"


# -- the engines ------------------------------------------------------------------


@sqlite_only
def test_the_sqlite_test_database_has_the_fts5_table_with_the_porter_stemmer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
        (definition,) = cursor.fetchone()
        assert "fts5" in definition.lower() and "porter" in definition
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        assert cursor.fetchone()[0] == SearchDocument.objects.count()


@postgresql_only
def test_the_index_table_has_a_gin_index_the_search_uses():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector'")
        (definition,) = cursor.fetchone()
        assert "USING gin (vector)" in definition
    queryset = search.filter_documents(SearchDocument.objects.all(), "migration")
    with connection.cursor() as cursor:
        # The tables are small enough that the planner prefers a scan; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "search_document_vector" in plan


@postgresql_only
def test_the_old_per_table_indexes_are_gone():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('meeting_search', 'session_search', 'recommendation_search', 'activity_search')"
        )
        assert cursor.fetchall() == []
