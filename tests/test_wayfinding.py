"""Long pages a reader can find their way in: a meeting page's contents, a group heading once per group, a list's
results before its filters with a skip link, permalinks named by their record, "Cite this" kept with its record
in print (real content)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from recommendations.models import Recommendation
from sessions.models import Meeting, Roundtable
from themes.models import Theme

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def contents_of(html):
    start = html.index('<nav class="contents"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("slug", [m for m in ("brussels-2007", "athens-2009", "mauritius-2012", "geneva-2011")])
def test_a_meeting_pages_contents_link_every_roundtable_and_session_to_its_place(client, slug):
    html = html_of(client, f"/meetings/{slug}/")
    contents = contents_of(html)
    targets = re.findall(r'href="#([^"]+)"', contents)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert targets and all(ids[target] == 1 for target in targets), [t for t in targets if ids[t] != 1]
    meeting = Meeting.objects.get(slug=slug)
    for roundtable in Roundtable.objects.filter(meeting=meeting):
        assert f'href="#{roundtable.anchor}"' in contents
        for session in roundtable.sessions.all():
            assert f'href="#session-{session.slug}"' in contents
    if meeting.roundtables.filter(stage="planned").exists():
        assert 'href="#plans"' in contents
    assert 'href="#cite"' in contents


def test_a_group_heading_is_printed_once_for_its_group(client):
    html = html_of(client, "/meetings/athens-2009/")
    headings = re.findall(r'<p class="group-heading">([^<]+)</p>', html)
    assert headings and len(headings) == len(set(headings)), Counter(headings).most_common(3)
    grouped = Recommendation.objects.filter(meeting__slug="athens-2009", parent=None).exclude(group_heading="")
    assert grouped.values("group_heading").distinct().count() <= len(headings) < grouped.count()


@pytest.mark.parametrize("url", ["/meetings/athens-2009/", "/meetings/manila-2008/", "/themes/labour-mobility/"])
def test_permalinks_are_named_each_by_its_record(client, url):
    names = re.findall(r'aria-label="Permalink: ([^"]+)"', html_of(client, url))
    assert len(names) > 5 and len(names) == len(set(names)), Counter(names).most_common(2)
    assert all(name != "Recommendation" for name in names)


def test_every_themes_permalinks_are_told_apart(client):
    for theme in Theme.objects.all():
        names = re.findall(r'aria-label="Permalink: ([^"]+)"', html_of(client, theme.get_absolute_url()))
        assert len(names) == len(set(names)), theme.slug


def test_a_numbered_permalink_starts_with_its_kind_and_number(client):
    point = Recommendation.objects.filter(number="8", parent=None, stage="held", event=None).first()
    html = html_of(client, point.meeting.get_absolute_url())
    assert f'aria-label="Permalink: {point.get_kind_display()} 8: {" ".join(point.text.split()[:3])}' in html


@pytest.mark.parametrize("url", ["/recommendations/", "/sessions/?year=2009", "/activities/", "/search/?q=migration"])
def test_a_list_offers_a_skip_to_its_results_which_come_before_its_filters(client, url):
    html = html_of(client, url)
    skip = html.index('href="#results"')
    results = html.index('id="results"')
    first_result = html.index("<li", results)
    assert skip < html.index('class="list-controls"') < results < first_result < html.index('id="filters"')


def test_in_print_cite_this_stays_with_its_record_and_headings_with_what_they_head():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    cite = re.search(r"\.cite \{([^}]*)\}", css).group(1)
    assert "break-inside: avoid" in cite and "break-before: avoid" in cite
    assert re.search(r"h2, h3[^{]*\{ break-after: avoid; \}", css)


def test_the_meeting_page_keeps_its_contents_without_more_queries(client, django_assert_max_num_queries):
    html_of(client, "/meetings/athens-2009/")  # what is kept per revision is read once
    with django_assert_max_num_queries(16):
        html_of(client, "/meetings/brussels-2007/")
