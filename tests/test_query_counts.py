"""A page's query count does not grow with the data: measured on the records the test adds, alone."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.caching import content_changed, forget_per_revision
from recommendations.models import GMGMember, Link, ProposedActivity, Recommendation, Section
from sessions.models import Event, Passage, Roundtable, Session, Stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_content")]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(client, meeting, roundtable, session, source, theme):
    section = Section.objects.create(roundtable=roundtable, letter="a", title="Growth", source=source)
    iom = GMGMember.objects.create(acronym="IOM", name="International Organization for Migration")
    session.themes.add(theme)
    plan = Roundtable.objects.create(meeting=meeting, number=1, stage=Stage.PLANNED, source=source)
    event = Event.objects.create(slug="growth-event", title="Growth event", meeting=meeting, source=source)
    world = SimpleNamespace(
        meeting=meeting,
        roundtable=roundtable,
        session=session,
        source=source,
        theme=theme,
        section=section,
        iom=iom,
        plan=plan,
        event=event,
    )
    urls = [
        meeting.get_absolute_url(),
        session.get_absolute_url(),
        "/sessions/",
        "/recommendations/",
        "/activities/",
        "/api/sessions/",
        "/api/recommendations/",
        "/api/activities/",
        # Filtered to a meeting: the defaults, what they left out, and the meeting's coverage.
        f"/api/sessions/?meeting={meeting.slug}",
        f"/api/recommendations/?year={meeting.year}&kind=key-message",
        "/api/meetings/",
        # The chart of a filtered view, and the views as feeds of their records' latest changes.
        f"/sessions/?year={meeting.year}&theme={theme.slug}",
        "/sessions/?format=atom",
        f"/recommendations/?meeting={meeting.slug}&format=atom",
        "/activities/?format=atom",
        "/themes/",
        theme.get_absolute_url(),
        "/gmg/IOM/",
        "/activities/expertise/",
        event.get_absolute_url(),
        source.get_absolute_url(),
        "/",
    ]
    # Django asks SQLite whether it has JSON functions (three queries) the first time a connection needs them:
    # asked now, so that the first page to need them is not counted three more than its data makes.
    assert connection.features.supports_json_field
    add_records(world, range(2, 4))
    before = {url: queries_for(client, url) for url in urls}
    add_records(world, range(4, 24))
    after = {url: queries_for(client, url) for url in urls}
    assert after == before


def add_records(world, numbers):
    for n in numbers:
        add_sessions_and_points(world, n)
        add_passage_and_activity(world, n)
    content_changed()  # these pages read no search document: the revision's bump is what they follow


def add_sessions_and_points(world, n):
    other = Session.objects.create(
        roundtable=world.roundtable, number=f"1.{n}", title=f"Session {n}", source=world.source
    )
    other.themes.add(world.theme)
    other.tags.add(f"growth tag {n}")
    rec = Recommendation.objects.create(
        meeting=world.meeting,
        roundtable=world.roundtable,
        session=world.session,
        position=n,
        number=str(n),
        text=f"Recommendation {n}",
        source=world.source,
    )
    rec.themes.add(world.theme)
    rec.tags.add(f"growth tag {n}")
    Recommendation.objects.create(
        meeting=world.meeting, parent=rec, position=1, number="a", text="Sub-point", source=world.source
    )
    planned = Session.objects.create(roundtable=world.plan, number=f"1.{n}", source=world.source)
    Link.objects.create(type="held-as", from_session=planned, to_session=other)
    Link.objects.create(type="restates", from_recommendation=rec, to_session=world.session, note=f"Checked {n}")
    planned.themes.add(world.theme)
    for where in ({"roundtable": world.plan}, {"stage": Stage.PLANNED}, {"event": world.event}):
        point = Recommendation.objects.create(
            meeting=world.meeting, position=n, text=f"Point {n}", source=world.source, kind="key-message", **where
        )
        point.themes.add(world.theme)
        Recommendation.objects.create(meeting=world.meeting, parent=point, position=1, text="Sub", source=world.source)


def add_passage_and_activity(world, n):
    Passage.objects.create(
        meeting=world.meeting,
        heading="Growth",
        position=n,
        text=f"- Line {n}",
        source=world.source,
        source_location=f"{n}",
    )
    activity = ProposedActivity.objects.create(
        section=world.section, position=n, text=f"Activity {n}", source=world.source
    )
    activity.gmg_members.add(world.iom)
    activity.themes.add(world.theme)
    activity.tags.add(f"growth tag {n}")
    activity.objectives.create(position=1, text="Objective")
    activity.sub_activities.create(position=1, text="Sub-activity")
    Link.objects.create(type="builds-on", from_activity=activity, to_session=world.session, quote=f"Quote {n}")
    Link.objects.create(type="answers", from_session=world.session, to_activity=activity)


def cold_queries_for(client, url):
    """The queries of a page rendered with nothing kept: no page, no value derived per revision."""
    for cache in caches.all():
        cache.clear()
    forget_per_revision()
    return queries_for(client, url)


def test_a_french_or_spanish_page_makes_the_queries_its_english_page_makes(
    client, meeting, roundtable, session, source, theme
):
    """Each page type in French and Spanish reads what it reads in English: translation is no query."""
    Section.objects.create(roundtable=roundtable, letter="a", title="Growth", source=source)
    GMGMember.objects.create(acronym="IOM", name="International Organization for Migration")
    session.themes.add(theme)
    event = Event.objects.create(slug="growth-event", title="Growth event", meeting=meeting, source=source)
    content_changed()
    urls = [
        "/",
        meeting.get_absolute_url(),
        session.get_absolute_url(),
        f"/sessions/?year={meeting.year}&theme={theme.slug}",
        "/recommendations/",
        "/activities/",
        "/activities/expertise/",
        "/themes/",
        theme.get_absolute_url(),
        "/gmg/IOM/",
        event.get_absolute_url(),
        source.get_absolute_url(),
        "/sources/",
        "/search/?q=growth",
        "/sessions/?format=atom",
    ]
    english = {url: cold_queries_for(client, url) for url in urls}
    for prefix in ("/fr", "/es"):
        assert {url: cold_queries_for(client, prefix + url) for url in urls} == english
