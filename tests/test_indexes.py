"""The indexes of meetings, agencies and sources, and a source's page with every record citing it."""

import re

import pytest

from gfmd import views as gfmd_views
from gfmd.models import SourceDocument
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions.models import Meeting, Roundtable, Session

pytestmark = pytest.mark.django_db


def text_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def row_of(page, link_text):
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if f">{link_text}</a>" in row)


def cells(row):
    """The text of a row's cells."""
    return [re.sub(r"<[^>]*>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def numbers(row):
    return [int(n) for n in re.findall(r'<td class="number">(?:<a [^>]*>)?(\d+)', row)]


def test_the_meetings_index_lists_the_six_meetings_with_dates_places_and_counts_as_held(client):
    page = text_of(client, "/meetings/")
    for meeting in Meeting.objects.all():
        assert f'href="/meetings/{meeting.slug}/"' in page
    row = row_of(page, "GFMD 2012")
    assert cells(row)[0] == "Port Louis, Mauritius"
    mauritius = Meeting.objects.get(year=2012)
    held_sessions = Session.objects.filter(meeting=mauritius, roundtable__stage="held").count()
    assert Session.objects.filter(meeting=mauritius).count() > held_sessions, "2012 has planned sessions too"
    held_roundtables = Roundtable.objects.filter(meeting=mauritius, stage="held").count()
    assert cells(row)[3] == f"Government meeting: {held_roundtables} roundtables"
    assert cells(row)[4].startswith(f"{held_sessions} sessions of GFMD 2012 in our sources")
    # 2012's points in our sources are all plans: its outcomes are not in our sources, which is not zero.
    assert not Recommendation.objects.held().filter(meeting=mauritius).exists()
    assert cells(row)[5] == "Not in our sources"
    athens = Meeting.objects.get(year=2009)
    held_points = Recommendation.objects.held().filter(meeting=athens).count()
    assert f"Civil Society Days: {held_points} recommendations of GFMD 2009" in cells(row_of(page, "GFMD 2009"))[5]
    assert cells(row_of(page, "GFMD 2007"))[:3] == ["Brussels, Belgium", "10&ndash;11 July 2007", "9 July 2007"]


def test_the_agencies_index_counts_each_agencys_activities(client):
    page = text_of(client, "/gmg/")
    for member in GMGMember.objects.all():
        row = row_of(page, member.acronym)
        assert member.name in row.replace("&#x27;", "'")
        assert numbers(row) == [ProposedActivity.objects.filter(gmg_members=member).count()]


def test_the_sources_index_gives_issuer_date_kind_and_how_many_records_cite_each(client, source, meeting, roundtable):
    Session.objects.create(roundtable=roundtable, number="1.1", title="Cites it", source=source)
    other = Session.objects.create(roundtable=roundtable, number="1.2", title="Cites it twice", source=source)
    other.other_sources.add(source)  # named twice, counted once
    page = text_of(client, "/sources/")
    row = row_of(page, "A test source")
    # the meeting, its roundtable and two sessions
    assert numbers(row) == [4]
    assert "Report" in row and "Undated" in row and "Not printed" in row
    synthesis = row_of(page, "CSD Athens 2009")
    assert "5 November 2009" in synthesis


def test_a_source_page_lists_every_record_citing_it_by_kind(client):
    source = SourceDocument.objects.get(slug="athens-2009-csd-synthesis")
    page = text_of(client, "/sources/athens-2009-csd-synthesis/")
    assert "<dt>Kind</dt><dd>Report</dd>" in page and "5 November 2009" in page
    citing = Recommendation.objects.filter(source=source)
    assert citing.exists()
    assert '<h3 id="group-' in page and "Recommendations and other points" in page
    for recommendation in citing[:10]:
        assert f'href="{recommendation.get_absolute_url()}"' in page


def test_a_source_page_pages_through_each_kind_of_record(client, monkeypatch, source, meeting, roundtable):
    monkeypatch.setattr(gfmd_views, "CITING_PAGE_SIZE", 2)
    for n in range(1, 6):
        Session.objects.create(roundtable=roundtable, number=f"1.{n}", title=f"Session {n}", source=source)
    first = text_of(client, "/sources/test-source/")
    # The meeting and its roundtable fit on one page; the five sessions take three.
    assert 'href="/meetings/testville-2099/"' in first and "Roundtables and clusters <span" in first
    assert "Session 1<" in first and "Session 2<" in first and "Session 3<" not in first
    assert "Page 1 of 3" in first and 'href="?sessions_page=2"' in first
    second = text_of(client, "/sources/test-source/?sessions_page=2")
    assert "Session 3<" in second and "Session 4<" in second and "Session 1<" not in second
    assert "3 to 4 here" in second
    third = text_of(client, "/sources/test-source/?sessions_page=3")
    assert "Session 5<" in third and 'rel="next"' not in third and 'href="?sessions_page=2"' in third
    assert "from 1 to 3" in text_of(client, "/sources/test-source/?sessions_page=4", status=400)
    assert "sessions_page must be" in text_of(client, "/sources/test-source/?sessions_page=x", status=400)


def test_the_indexes_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, source, roundtable):
    for url in ("/meetings/", "/gmg/", "/sources/", "/sources/athens-2009-csd-synthesis/"):
        with django_assert_max_num_queries(20):
            client.get(url)
    for n in range(1, 30):
        Session.objects.create(roundtable=roundtable, number=f"1.{n}", title=f"Session {n}", source=source)
    with django_assert_max_num_queries(20):
        assert client.get("/sources/test-source/").status_code == 200


def test_the_navigation_leads_to_the_indexes_and_the_expertise_matrix(client):
    nav = re.search(r'<nav aria-label="Main">.*?</nav>', text_of(client, "/"), re.S).group()
    for url in ("/meetings/", "/gmg/", "/sources/", "/activities/expertise/"):
        assert f'href="{url}"' in nav


def test_a_source_page_counts_what_was_held_and_lists_what_was_planned_apart(client):
    paper = SourceDocument.objects.get(slug="mauritius-2012-concept-paper")
    planned = Session.objects.filter(roundtable__stage="planned", source=paper)
    assert planned.exists()
    page = text_of(client, "/sources/mauritius-2012-concept-paper/")
    planned_roundtables = Roundtable.objects.filter(stage="planned", source=paper).count()
    planned_points = Recommendation.objects.filter(source=paper).exclude(pk__in=Recommendation.objects.held())
    assert f"{planned.count() + planned_roundtables + planned_points.count()} more describe" in page
    assert "Sessions as planned" in page
    for session in planned:
        assert f'href="{session.get_absolute_url()}"' in page
    held_count = re.search(r"(\d+) records? of what was held", page).group(1)
    row = row_of(text_of(client, "/sources/"), paper.title.replace("'", "&#x27;"))
    assert numbers(row) == [int(held_count)]
