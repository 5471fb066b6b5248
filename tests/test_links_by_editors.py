"""Links by editors: one model for every link between two records, its rules, the fields it replaced, and
where the links show (both records' pages, citations, the data package, the admin's history)."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from recommendations.models import Link, Recommendation
from sessions.models import Roundtable, Session, Stage
from tests.conftest import written

pytestmark = pytest.mark.django_db


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def links_section(client, url):
    page = text_of(client, url)
    assert "Links by editors" in page, url
    return page.split("Links by editors", 1)[1].split("Cite this", 1)[0]


@pytest.fixture
def planned(meeting, source):
    plan = Roundtable.objects.create(meeting=meeting, number=1, stage=Stage.PLANNED, source=source)
    return written(Session.objects.create(roundtable=plan, number="1.1", title="The session as planned", source=source))


def refused(link):
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    return error.value.message_dict


def refused_by_the_database(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(**fields)


# -- the rules -------------------------------------------------------------


def test_a_record_cannot_be_linked_to_itself(session, recommendation):
    errors = refused(Link(type="builds-on", from_session=session, to_session=session))
    assert errors["to_session"] == ["A record cannot be linked to itself: choose another record."]
    refused_by_the_database(type="builds-on", from_session=session, to_session=session)
    refused_by_the_database(type="restates", from_recommendation=recommendation, to_recommendation=recommendation)


def test_a_link_joins_exactly_one_record_to_exactly_one(session, recommendation):
    errors = refused(Link(type="restates", from_session=session))
    assert "Choose the record it links to" in errors["to_session"][0]
    refused_by_the_database(type="restates", from_session=session)
    refused_by_the_database(
        type="restates", from_session=session, from_recommendation=recommendation, to_recommendation=recommendation
    )


def test_the_same_link_twice_is_refused(session, recommendation):
    Link.objects.create(type="answers", from_recommendation=recommendation, to_session=session)
    errors = refused(Link(type="answers", from_recommendation=recommendation, to_session=session))
    assert "already recorded" in " ".join(errors["to_session"])
    refused_by_the_database(type="answers", from_recommendation=recommendation, to_session=session)
    # Another type between the same records is another link.
    Link(type="follows-up", from_recommendation=recommendation, to_session=session).full_clean()


def test_held_as_links_a_planned_session_to_one_held_at_the_same_meeting(session, planned, recommendation):
    assert (
        "choose two sessions"
        in refused(Link(type="held-as", from_session=planned, to_recommendation=recommendation))["type"][0]
    )
    assert "this pair is not one" in refused(Link(type="held-as", from_session=session, to_session=planned))["type"][0]
    refused_by_the_database(type="held-as", from_session=planned, to_recommendation=recommendation)
    Link(type="held-as", from_session=planned, to_session=session).full_clean()
    Link.objects.create(type="held-as", from_session=planned, to_session=session)
    other = Session.objects.create(roundtable=session.roundtable, number="1.2", source=session.source)
    assert (
        "already has a “Held as” link"
        in refused(Link(type="held-as", from_session=planned, to_session=other))["to_session"][0]
    )
    refused_by_the_database(type="held-as", from_session=planned, to_session=other)


def test_also_reported_as_links_two_points(session, recommendation):
    errors = refused(Link(type="also-reported-as", from_recommendation=recommendation, to_session=session))
    assert "links two points" in errors["type"][0]
    refused_by_the_database(type="also-reported-as", from_recommendation=recommendation, to_session=session)


# -- the fields the links replaced ---------------------------------------


MAURITIUS_PLAN = {
    "planned-1-untitled": "1-1",
    "planned-2-1": "2-1",
    "planned-3-untitled": "3-1",
    "planned-3-2": "3-2",
    "planned-4-2": "3-3",
}
BRUSSELS_RESTATED = {94: 76, 96: 78, 98: 81}


def test_the_links_hold_what_held_as_and_also_reported_as_held():
    sessions = Session.objects.filter(meeting__slug="mauritius-2012").with_held_as()
    by_pk = {s.pk: s.slug for s in sessions}
    held_as = {s.slug: by_pk[s.held_as_id] for s in sessions if s.held_as_id}
    assert held_as == MAURITIUS_PLAN
    points = Recommendation.objects.with_also_reported_as().filter(also_reported_as_id__isnull=False)
    assert dict(points.values_list("pk", "also_reported_as_id")) == BRUSSELS_RESTATED
    for link in Link.objects.all():
        assert link.note and link.quote, link


def test_the_data_package_keeps_held_as_id_and_also_reported_as_id(client):
    def rows(table):
        lines = client.get(f"/data/{table}.csv")
        return list(__import__("csv").DictReader(b"".join(lines.streaming_content).decode().splitlines()))

    sessions = rows("sessions")
    slugs = {row["id"]: row["slug"] for row in sessions}
    held_as = {row["slug"]: slugs[row["held_as_id"]] for row in sessions if row["held_as_id"]}
    assert {slug: held for slug, held in held_as.items()} == MAURITIUS_PLAN
    twins = {
        int(row["id"]): int(row["also_reported_as_id"]) for row in rows("recommendations") if row["also_reported_as_id"]
    }
    assert twins == BRUSSELS_RESTATED
    links = rows("links")
    assert len(links) == Link.objects.count() == 8
    assert {row["type"] for row in links} == {"held-as", "also-reported-as"}
    package = client.get("/data/datapackage.json").json()
    schema = next(r for r in package["resources"] if r["name"] == "links")["schema"]
    assert all(field.get("description") for field in schema["fields"])
    sessions_schema = next(r for r in package["resources"] if r["name"] == "sessions")["schema"]
    assert {"fields": "held_as_id", "reference": {"resource": "", "fields": "id"}} in sessions_schema["foreignKeys"]


def test_the_meeting_page_still_pairs_plans_and_twins(client):
    page = text_of(client, "/meetings/brussels-2007/")
    assert page.count("as another source reports it: both are counted") == 6
    mauritius = text_of(client, "/meetings/mauritius-2012/")
    assert "Beyond-the-border Skills and Jobs for Human Development" in mauritius


# -- where links show ------------------------------------------------------


def test_both_records_of_a_held_as_link_show_it(client):
    planned = text_of(client, "/meetings/mauritius-2012/sessions/planned-4-2/")
    section = links_section(client, "/meetings/mauritius-2012/sessions/planned-4-2/")
    assert "Held as: GFMD 2012, Port Louis: session 3.3 Protecting Migrant Domestic Workers" in section
    assert "the GFMD's page on the Mauritius meeting gives the same title to Session 3.3" in section
    assert "Session 4.2 Protecting Migrant Domestic Workers: Enhancing their Development Potential." in section
    assert planned.index("Links by editors") < planned.index("Cite this")
    held = links_section(client, "/meetings/mauritius-2012/sessions/3-3/")
    assert "Planned as: GFMD 2012, Port Louis: session 4.2 Protecting Migrant Domestic Workers" in held
    assert "(as planned)" in held


def test_a_session_without_links_has_no_such_section(client):
    unlinked = Session.objects.filter(meeting__slug="athens-2009", links_out=None, links_in=None).first()
    assert "Links by editors" not in text_of(client, unlinked.get_absolute_url())


def test_a_citation_notes_the_records_links(client):
    cited = client.get("/recommendations/94/", {"format": "csl-json"}).json()[0]["note"]
    assert cited.endswith(
        "Also reported as: GFMD 2007, Brussels: recommendation, “Establish a matrix of good practices”."
    )
    back = client.get("/recommendations/76/", {"format": "ris"}).content.decode()
    assert "Also reported as: GFMD 2007, Brussels: follow-up action, “Matrix of Good Practices Health Sector”" in back
    plan = client.get("/meetings/mauritius-2012/sessions/planned-2-1/", {"format": "bibtex"}).content.decode()
    assert "Held as: GFMD 2012, Port Louis: session 2.1 Supporting National Development" in plan


def test_a_pages_query_count_does_not_grow_with_its_links(client, session, recommendation, planned):
    def queries(url):
        client.get(url)  # the memos of the revision
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    session_url, point_url = session.get_absolute_url(), recommendation.get_absolute_url()
    before = queries(session_url), queries(point_url)
    others = [
        Session.objects.create(roundtable=session.roundtable, number=f"1.{n}", source=session.source) for n in (2, 3)
    ]
    links = [Link(type="held-as", from_session=planned, to_session=session)]
    links += [Link(type="builds-on", from_session=other, to_session=session) for other in others]
    links += [Link(type="restates", from_recommendation=recommendation, to_session=other) for other in others]
    links += [Link(type="answers", from_session=session, to_recommendation=recommendation)]
    written(Link.objects.bulk_create(links)[0])
    assert (queries(session_url), queries(point_url)) == before
    assert "Built on by" in links_section(client, session_url) and "Answered by" in links_section(client, point_url)


def test_an_activity_links_to_a_recommendation_and_both_pages_say_so(client, activity, recommendation):
    url = activity.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as unlinked:
        client.get(url)
    written(Link.objects.create(type="follows-up", from_activity=activity, to_recommendation=recommendation))
    client.get(url)
    with CaptureQueriesContext(connection) as linked:
        assert client.get(url).status_code == 200
    assert len(linked) == len(unlinked)
    section = links_section(client, url)
    assert "Follows up: GFMD 2099, Testville: recommendation 1, “Do the test.”" in section
    back = links_section(client, recommendation.get_absolute_url())
    assert "Followed up by: GFMD 2099, Testville: GMG proposed activity 1a.1, “Test something.”" in back
    cited = client.get(url, {"format": "csl-json"}).json()[0]["note"]
    assert cited.endswith("Follows up: GFMD 2099, Testville: recommendation 1, “Do the test.”.")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="on SQLite the tests' tables come from the models")
def test_the_migration_carries_held_as_and_also_reported_as_over_to_links():
    """Back to the fields, filled as the links say, and forward again: the same links, each with its history."""
    pairs = {(link.type, link.source_record.pk, link.target_record.pk) for link in Link.objects.all()}
    before = [
        ("recommendations", "0010_texts_have_a_length_limit"),
        ("gfmd_sessions", "0008_texts_have_a_length_limit"),
    ]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    for kind, source, target in pairs:
        model, field = (
            ("gfmd_sessions.Session", "held_as_id")
            if kind == "held-as"
            else ("recommendations.Recommendation", "also_reported_as_id")
        )
        old.get_model(model).objects.filter(pk=source).update(**{field: target})
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys checked before the columns go
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    carried = {(link.type, link.source_record.pk, link.target_record.pk) for link in Link.objects.all()}
    assert carried == pairs and len(pairs) == 8
    assert set(Link.history.values_list("history_change_reason", flat=True)) == {
        "Carried over from the field it replaces"
    }


def test_a_links_words_are_found_by_the_search_on_both_records(client, session, recommendation):
    def found(word):
        return {result["url"] for result in client.get("/api/search/", {"q": word}).json()["results"]}

    link = written(
        Link.objects.create(type="answers", from_recommendation=recommendation, to_session=session, note="Zanzibarian")
    )
    assert found("Zanzibarian") == {session.get_absolute_url(), recommendation.get_absolute_url()}
    link.note = "Quixotical"
    link.save()
    written(link)
    assert found("Quixotical") == {session.get_absolute_url(), recommendation.get_absolute_url()}
    assert found("Zanzibarian") == set()


def test_the_api_gives_a_records_links_both_ways_as_the_description_says(client):
    spec = client.get("/api/openapi.json").json()
    answer = client.get("/api/recommendations/", {"meeting": "brussels-2007", "page_size": 200}).json()
    schema = spec["paths"]["/api/recommendations/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert not list(Draft202012Validator(schema["schema"]).iter_errors(answer))
    links = {record["id"]: record["links"] for record in answer["results"]}
    (follow_up,) = links[94]
    assert follow_up["type"] == "also-reported-as" and follow_up["direction"] == "outgoing"
    assert follow_up["label"] == "Also reported as" and follow_up["record"] == "/recommendations/76/"
    assert follow_up["note"] and follow_up["quote"] == Link.objects.get(from_recommendation=94).quote
    (recommendation,) = links[76]
    assert recommendation == follow_up | {"direction": "incoming", "record": "/recommendations/94/"}
    assert {pk for pk, shown in links.items() if shown} == {*BRUSSELS_RESTATED, *BRUSSELS_RESTATED.values()}
    planned = client.get("/api/sessions/", {"meeting": "mauritius-2012", "stage": "planned"}).json()["results"]
    held = {link["label"]: link["record"] for session in planned for link in session["links"]}
    assert held == {"Held as": held["Held as"]} and "/meetings/mauritius-2012/sessions/" in held["Held as"]


def test_an_activitys_links_are_in_the_api_both_ways(client, activity, recommendation):
    written(Link.objects.create(type="follows-up", from_activity=activity, to_recommendation=recommendation))

    def links_of(path, record):
        results = client.get(path, {"page_size": 200}).json()["results"]
        return next(shown["links"] for shown in results if shown["id"] == record.pk)

    (shown,) = links_of("/api/activities/", activity)
    assert shown == {
        "type": "follows-up",
        "direction": "outgoing",
        "label": "Follows up",
        "record": recommendation.get_absolute_url(),
        "note": "",
        "quote": "",
    }
    (back,) = links_of("/api/recommendations/", recommendation)
    assert back == shown | {"direction": "incoming", "label": "Followed up by", "record": activity.get_absolute_url()}


def test_an_api_pages_links_are_one_query_however_many_there_are(client, session, recommendation, activity, planned):
    def queries(path):
        client.get(path)  # the memos of the revision
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, {"page_size": 200}).status_code == 200
        links = [query for query in captured if re.search(rf'FROM "{Link._meta.db_table}"', query["sql"])]
        return len(captured), len(links)

    paths = ["/api/sessions/", "/api/recommendations/", "/api/activities/"]
    before = [queries(path) for path in paths]
    links = [Link(type="held-as", from_session=planned, to_session=session)]
    links += [Link(type="restates", from_recommendation=recommendation, to_session=session)]
    links += [Link(type="answers", from_activity=activity, to_recommendation=recommendation)]
    links += [Link(type="builds-on", from_session=session, to_activity=activity)]
    written(Link.objects.bulk_create(links)[0])
    assert [queries(path) for path in paths] == before
    assert [links for _, links in before] == [1, 1, 1]
