"""The tables researchers read at a glance: each number leads to a list of exactly that many records."""

import re
from html import unescape

import pytest

from lib.caching import content_changed
from recommendations.models import GMGMember, ProposedActivity, Section
from sessions.models import Session
from themes.models import Theme

pytestmark = pytest.mark.django_db

LINKED_NUMBER = re.compile(
    # The number, then what it counts: shortened on screen, in words for a screen reader.
    r'<a href="(/(?:sessions|recommendations|activities)/\?[^"]*)"[^>]*>(\d+)(?:&nbsp;[sr])?'
    r"(?:<span[^>]*>[^<]*</span>)*</a>"
)


def linked_numbers(client, url):
    page = client.get(url).content.decode()
    return [(unescape(href), int(number)) for href, number in LINKED_NUMBER.findall(page)]


def api_count(client, href):
    response = client.get("/api" + href)
    assert response.status_code == 200, href
    return response.json()["count"]


@pytest.mark.parametrize("url", ["/themes/", "/activities/expertise/"])
def test_every_number_in_the_table_is_the_count_of_the_list_it_links_to(client, url):
    numbers = linked_numbers(client, url)
    assert len(numbers) > 20
    for href, number in numbers:
        assert api_count(client, href) == number, href


def test_the_expertise_matrix_has_row_and_column_totals(client):
    page = client.get("/activities/expertise/").content.decode()
    assert '<caption id="matrix-caption">' in page and "<tfoot>" in page
    unodc = GMGMember.objects.get(acronym="UNODC")
    assert f'<a href="/activities/?gmg_member=UNODC">{unodc.activities.count()}</a>' in page
    assert f'<a href="/activities/">{ProposedActivity.objects.count()}</a>' in page
    assert page.count('<th scope="col"') == Section.objects.count() + 2


def test_the_tables_stay_right_when_an_editor_adds_a_record(client, source):
    theme = Theme.objects.get(slug="climate-change")
    roundtable = Session.objects.filter(meeting__year=2009).first().roundtable
    before = dict(linked_numbers(client, "/themes/"))
    added = Session.objects.create(roundtable=roundtable, number="9.9", title="Added by an editor", source=source)
    added.themes.add(theme)
    content_changed([added])
    after = dict(linked_numbers(client, "/themes/"))
    href = f"/sessions/?theme=climate-change&year={roundtable.meeting.year}"
    assert after[href] == before.get(href, 0) + 1
    for href, number in after.items():
        assert api_count(client, href) == number

    section = Section.objects.get(roundtable__number=2, letter="a")
    activity = ProposedActivity.objects.create(section=section, position=99, text="Added", source=source)
    activity.gmg_members.add(GMGMember.objects.get(acronym="UNODC"))
    content_changed([activity])
    for href, number in linked_numbers(client, "/activities/expertise/"):
        assert api_count(client, href) == number


def test_the_home_timeline_links_each_meeting_with_its_counts(client):
    page = client.get("/").content.decode()
    assert page.count('href="/meetings/') >= 6
    athens = Session.objects.filter(meeting__year=2009).count()
    assert f"{athens} sessions" in page
