"""An agency's page is a hub: the sources it issued and the records citing them, the records naming it, its
activities; the GMG matrix is reached from its meeting and says what it is; the activities list sorts, titles
its sections and names its downloads after its filters (real content)."""

import csv
import io
import re

import pytest

from gfmd import citing
from gfmd.models import SourceDocument
from recommendations.models import Section
from tests.conftest import written

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_agencys_page_shows_the_source_it_issued_and_how_many_records_cite_it(client, django_assert_max_num_queries):
    presentation = SourceDocument.objects.get(slug="iom-labour-migration-2008")
    held = sum(group.count for group in citing.groups_of(presentation) if group.is_held)
    assert held == 35
    page(client, "/gmg/UNDP/")  # what is kept per revision (the counts of citing records) is read once
    with django_assert_max_num_queries(8):
        html = page(client, "/gmg/IOM/")
    issued = html[html.index('id="issued"') :][:2000]
    assert presentation.get_absolute_url() in issued
    assert f"{presentation.title}" in issued and "35 records cite it" in words(issued)
    # An agency that issued none says nothing of it.
    assert 'id="issued"' not in page(client, "/gmg/UNDP/")


def test_an_agencys_page_lists_the_records_naming_it_as_the_search_finds_them(client):
    html = page(client, "/gmg/ILO/")
    naming = html[html.index('id="naming"') :][:6000]
    link = re.search(r'href="(/search/\?[^"]+)">All of them in the search', naming).group(1).replace("&amp;", "&")
    api = client.get(link.replace("/search/", "/api/search/", 1)).json()
    assert api["count"] >= 1
    assert f"{api['count']} record" in words(naming)
    shown = set(re.findall(r'<li><a href="([^"]+)"', naming))
    assert shown and shown <= {result["url"] for result in api["results"]}
    assert all(result["type"] not in ("meeting", "gmg_member", "theme", "source", "event") for result in api["results"])


def test_an_agencys_page_keeps_its_activities_with_a_spreadsheet_ready_download(client):
    html = page(client, "/gmg/IOM/")
    assert "62 proposed activities" in words(html)
    assert "/activities/?gmg_member=IOM&amp;format=csv&amp;bom=1" in html


def test_the_brussels_meeting_links_the_matrix_and_a_meeting_without_one_does_not(client):
    brussels = page(client, "/meetings/brussels-2007/")
    matrix = brussels[brussels.index('id="gmg-matrix"') :][:1500]
    assert 'href="/activities/expertise/"' in matrix and "63 activities" in matrix
    assert 'id="gmg-matrix"' not in page(client, "/meetings/manila-2008/")


@pytest.mark.parametrize("url", ["/activities/", "/gmg/", "/gmg/UNHCR/", "/activities/expertise/"])
def test_the_gmg_pages_say_they_are_the_brussels_2007_matrix(client, url):
    text = words(page(client, url))
    assert re.search(r"Brussels 2007|GFMD 2007, Brussels", text)


def test_the_section_facet_shows_the_sections_titles(client):
    facets = client.get("/api/activities/").json()["facets"]["section"]
    label = next(v["label"] for v in facets if v["value"] == "a")
    assert "Matching Labour Supply and Labour Demand" in label and "Improving Remittance Services" in label
    facets = client.get("/api/activities/", {"roundtable": 2}).json()["facets"]["section"]
    assert next(v["label"] for v in facets if v["value"] == "a") == "a. Improving Remittance Services"
    html = page(client, "/activities/", roundtable=2)
    assert "a. Improving Remittance Services" in html and "Section a<" not in html


def test_a_section_title_repeated_by_another_matrix_is_named_once(client, roundtable, source):
    title = Section.objects.get(roundtable__meeting__year=2007, roundtable__number=1, letter="a").title
    written(Section.objects.create(roundtable=roundtable, letter="a", title=title, source=source))
    label = next(v["label"] for v in client.get("/api/activities/").json()["facets"]["section"] if v["value"] == "a")
    assert label.count(title) == 1


def test_the_activities_list_sorts_and_says_which_sorts_it_takes(client):
    results = client.get("/api/activities/", {"sort": "section", "page_size": 200}).json()["results"]
    titles = [r["section_title"] if "section_title" in r else None for r in results]
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/activities/", {"sort": "section", "format": "csv"}).getvalue().decode())
        )
    )
    assert [row["section_title"] for row in rows] == sorted(row["section_title"] for row in rows)
    assert len(results) == len(rows) == 63 and titles
    for url in ("/api/activities/", "/activities/"):
        response = client.get(url, {"sort": "colour"})
        assert response.status_code == 400
        assert (
            "sort must be one of roundtable, -roundtable, section, -section, text, -text" in response.content.decode()
        )


def test_a_download_is_named_after_its_filters(client):
    for params, name in (
        ({"gmg_member": "IOM", "section": ["b", "a"]}, "activities_gmg_member-IOM_section-a+b.csv"),
        ({"q": "café remittances"}, "search_q-cafe-remittances.csv"),
        ({}, "recommendations.csv"),
    ):
        path = "/activities/" if "gmg_member" in params else "/search/" if "q" in params else "/recommendations/"
        response = client.get(path, {**params, "format": "csv"})
        b"".join(response.streaming_content)  # read to its end, as a server sends it: its slot is freed
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_every_list_offers_its_spreadsheet_ready_csv_where_the_csv_is(client):
    for url in ("/activities/", "/recommendations/", "/sessions/"):
        html = page(client, url, theme="labour-mobility")
        downloads = html[html.index('class="downloads"') :][:600]
        bom_url = re.search(r'href="([^"]*bom=1[^"]*)">CSV for Excel', downloads).group(1).replace("&amp;", "&")
        body = b"".join(client.get(bom_url).streaming_content)
        assert body.startswith("\ufeff".encode())
