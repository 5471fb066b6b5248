"""The public pages render their real content, with a query count that does not grow with the data."""

import datetime

import pytest

from gfmd.models import SourceDocument
from lib.caching import content_changed
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Event, Passage, Session

pytestmark = pytest.mark.django_db


def text_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_home_page_says_what_the_knowledge_base_holds(client):
    page = text_of(client, "/")
    assert f"<strong>{Session.objects.held().count()}</strong> sessions in our sources" in page
    assert f"<strong>{ProposedActivity.objects.count()}</strong> GMG proposed activities" in page
    assert "Migration in development planning" in page  # a theme
    assert 'role="search"' in page


def test_the_meeting_page_shows_dates_roundtables_and_recommendations(client):
    page = text_of(client, "/meetings/athens-2009/")
    assert "<h1>GFMD 2009, Athens</h1>" in page
    assert "4–5 November 2009" in page.replace("&ndash;", "–")
    assert "2–3 November 2009" in page.replace("&ndash;", "–")
    assert "Civil Society Days" in page
    assert "Integrating Migration Policies into Development Strategies for the Benefit of All" in page
    assert "Take more assertive action, in collaboration with civil society organizations" in page
    assert 'href="/meetings/athens-2009/sessions/csd-1-1/"' in page


def test_the_meeting_page_shows_the_editorial_note(client):
    page = text_of(client, "/meetings/geneva-2011/")
    assert "Editorial note" in page and "Sweden" in page
    assert "Cluster 1" in page


def test_the_session_page_has_breadcrumbs_discussion_recommendations_and_citation(client):
    page = text_of(client, "/meetings/athens-2009/sessions/csd-4-1/")
    assert 'aria-label="Breadcrumb"' in page and 'href="/meetings/athens-2009/"' in page
    session = Session.objects.get(meeting__slug="athens-2009", slug="csd-4-1")
    assert session.title in page.replace("&#x27;", "'").replace("&quot;", '"')
    recommendation = session.recommendations.filter(parent__isnull=True).first()
    assert recommendation.text[:50] in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "Cite this" in page and "@techreport{gfmd2009-csd-4-1" in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert f'Source: <a href="/sources/{session.source.slug}/" lang="en">{session.source.title}</a>' in page


def test_a_planned_session_links_to_the_session_as_held(client):
    page = text_of(client, "/meetings/mauritius-2012/sessions/planned-4-2/")
    held = Session.objects.get(meeting__slug="mauritius-2012", roundtable__stage="held", number="3.3")
    assert "as the Chair's concept paper planned it" in page.replace("&#x27;", "'")
    assert f'href="{held.get_absolute_url()}"' in page
    assert "concept paper planned this session" in text_of(client, held.get_absolute_url())


def test_the_further_sources_an_editor_adds_are_shown_at_once_in_their_order(client, meeting, roundtable, session):
    later = SourceDocument.objects.create(
        slug="later", title="A later report", kind="report", date=datetime.date(2011, 1, 1)
    )
    earlier = SourceDocument.objects.create(
        slug="earlier", title="An earlier one", kind="report", date=datetime.date(2008, 1, 1)
    )
    assert "See also" not in text_of(client, session.get_absolute_url())
    session.other_sources.add(later, earlier)
    roundtable.other_sources.add(later)
    content_changed([session, roundtable])
    page = text_of(client, session.get_absolute_url())
    assert (
        'See also: <a href="/sources/earlier/" lang="en">An earlier one</a>; '
        '<a href="/sources/later/" lang="en">A later report</a>.' in page
    )
    see_also = 'See also: <a href="/sources/later/" lang="en">A later report</a>.'
    assert see_also in text_of(client, meeting.get_absolute_url())


def test_every_record_page_shows_its_further_sources(client, meeting, source, recommendation, activity):
    """Each page citing a record names the documents an editor added to it, the same way."""
    later = SourceDocument.objects.create(slug="later", title="A later report", kind="report")
    event = Event.objects.create(slug="an-event", title="An event", meeting=meeting, source=source)
    passage = Passage.objects.create(meeting=meeting, heading="Quoted", position=1, text="- A line", source=source)
    see_also = 'See also: <a href="/sources/later/" lang="en">A later report</a>.'
    pages = [
        recommendation.get_absolute_url(),
        activity.get_absolute_url(),
        event.get_absolute_url(),
        "/sources/test-source/",
    ]
    assert not any(see_also in text_of(client, url) for url in pages)
    for record in (recommendation, activity, event, passage):
        record.other_sources.add(later)
    content_changed([later, recommendation, activity, event, passage])
    for url in pages:
        assert see_also in text_of(client, url), url


def test_the_theme_pages_list_records_year_by_year(client):
    page = text_of(client, "/themes/")
    assert '<caption id="themes-caption">' in page and 'scope="row"' in page and 'scope="col"' in page
    detail = text_of(client, "/themes/gender-family/")
    assert "<h1>Gender, women and families</h1>" in detail
    assert detail.index("2007, Brussels") < detail.index("2009, Athens") < detail.index("2012, Port Louis")


def test_the_gmg_member_page_lists_its_activities_by_section(client):
    page = text_of(client, "/gmg/UNODC/")
    assert "United Nations Office on Drugs and Crime (UNODC)" in page
    assert page.count('href="/activities/') >= ProposedActivity.objects.filter(gmg_members__acronym="UNODC").count()


def test_the_activity_page_shows_objectives_sub_activities_and_agencies(client):
    activity = ProposedActivity.objects.filter(sub_activities__isnull=False).first()
    page = text_of(client, activity.get_absolute_url())
    assert "Specific activities" in page and "Objective" in page
    for member in activity.gmg_members.all():
        assert f'href="{member.get_absolute_url()}"' in page


def test_the_recommendation_page_shows_its_sub_points(client):
    parent = Recommendation.objects.filter(children__isnull=False).first()
    page = text_of(client, parent.get_absolute_url())
    assert page.count('class="sub-points"') == 1


def test_search_finds_every_kind_of_record(client):
    page = text_of(client, "/search/?q=diaspora")
    assert "result" in page and "<mark>" in page.lower()
    data = client.get("/api/search/", {"q": "diaspora"}).json()
    assert {"session", "recommendation", "activity"} <= {r["type"] for r in data["results"]}
    assert all({"type", "title", "url"} <= set(r) for r in data["results"])


def test_search_without_words_is_a_400_in_the_api(client):
    response = client.get("/api/search/")
    assert response.status_code == 400
    assert "q is required" in response.json()["errors"]["q"][0]


def test_an_unknown_slug_gives_a_helpful_404(client):
    page = text_of(client, "/meetings/athens-2009/sessions/no-such-session/", status=404)
    assert "Page not found" in page and 'href="/"' in page


PAGES = [
    "/",
    "/meetings/brussels-2007/",
    "/meetings/manila-2008/",
    "/meetings/mauritius-2012/",
    "/events/expert-meeting-labour-migration-2008/",
    "/sources/iom-labour-migration-2008/",
    "/meetings/athens-2009/",
    "/meetings/athens-2009/sessions/csd-1-1/",
    "/themes/",
    "/themes/labour-mobility/",
    "/gmg/IOM/",
    "/activities/expertise/",
    "/search/?q=remittances",
]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_runs_few_queries(client, url, django_assert_max_num_queries):
    # The first request of a revision: with what is derived per revision (facet indexes, choices) built.
    # A record page reads its links by editors and its related records besides (one query each); that no
    # count grows with the data is tests/test_query_counts.py's.
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200
