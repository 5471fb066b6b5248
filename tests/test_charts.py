"""Every list and the search chart their view by meeting, and a theme's page its theme across the meetings: bars
drawn by the server, their numbers as a table, and a hatched gap where our sources are silent, never a bar of 0."""

import re

import pytest

from lib.charts import MAX_BARS, bar_chart, largest

pytestmark = pytest.mark.django_db

NOT_IN_SOURCES = "not in our sources"


def charts(client, url):
    """[{label: count or NOT_IN_SOURCES}] of each chart's table on the page, and the page's text."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    tables = re.findall(r'<div class="chart-numbers"><table>.*?<tbody>(.*?)</tbody>', html, re.S)
    rows = [dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)) for table in tables]
    return [
        {label: value if value == NOT_IN_SOURCES else int(value) for label, value in row.items()} for row in rows
    ], html


def api_meeting_counts(client, url):
    """The API's counts of the meeting facet, labelled as the chart labels them; None where not in our sources."""
    facets = client.get(url).json()["facets"]["meeting"]
    return {value["label"]: NOT_IN_SOURCES if value["count"] is None else value["count"] for value in facets}


@pytest.mark.parametrize("path", ["/sessions/", "/recommendations/"])
def test_a_list_charts_its_records_by_meeting_as_its_facet_counts_them(client, path):
    (chart,), html = charts(client, path)
    assert chart == api_meeting_counts(client, f"/api{path}")
    assert len(chart) == 6  # the six meetings, each a year
    assert NOT_IN_SOURCES in chart.values()
    assert '<svg class="chart-bars" role="img" aria-labelledby="chart-meeting-title"' in html


def test_silence_is_a_hatched_gap_and_never_a_bar_of_zero(client):
    _, html = charts(client, "/sessions/")
    svg = re.search(r'<svg class="chart-bars".*?</svg>', html, re.S).group(0)
    # Brussels 2007's sessions are not in our sources: its row is the hatched marker and the words, no bar.
    row = re.search(r"Brussels 2007</text>(.*?)\n", svg).group(1)
    assert 'fill="url(#chart-meeting-hatch)"' in row
    assert f">{NOT_IN_SOURCES}</text>" in row
    assert 'class="chart-bar"' not in row
    assert ">0</text>" not in svg


def test_the_chart_follows_every_filter(client):
    (chart,), html = charts(client, "/recommendations/?year=2008&year=2009&kind=recommendation")
    # The other years' meetings are out of the view; Manila 2008's recommendations are not in our sources.
    count = int(re.search(r'class="result-count">(\d+) ', html).group(1))
    assert chart == {"Manila 2008": NOT_IN_SOURCES, "Athens 2009": count}
    (chart,), _ = charts(client, "/sessions/?meeting=athens-2009")
    assert list(chart) == ["Athens 2009"]


def test_a_view_of_a_meeting_the_sources_are_silent_on_charts_the_silence(client):
    (chart,), _ = charts(client, "/sessions/?year=2007")
    assert chart == {"Brussels 2007": NOT_IN_SOURCES}


def test_the_search_charts_its_results_by_meeting(client):
    (chart,), html = charts(client, "/search/?q=migration&type=session")
    count = int(re.search(r'class="result-count">(\d+) result', html).group(1))
    assert sum(chart.values()) <= count and chart["Athens 2009"] > 0
    assert chart == api_meeting_counts(client, "/api/search/?q=migration&type=session")


def test_an_empty_view_has_no_chart_of_zeros(client):
    assert charts(client, "/search/?q=quokka")[0] == []


def test_the_activities_are_charted_by_roundtable_and_say_why(client):
    (chart,), html = charts(client, "/activities/")
    assert (
        "Charted by roundtable, not by year or meeting: every activity here is of the GMG's matrix for "
        "GFMD 2007, Brussels." in html
    )
    assert list(chart) == ["Roundtable 1", "Roundtable 2", "Roundtable 3"] and sum(chart.values()) == 63
    (narrowed,), html = charts(client, "/activities/?gmg_member=UNODC")
    facet = client.get("/api/activities/?gmg_member=UNODC").json()
    assert sum(narrowed.values()) == facet["count"] < 63
    # A roundtable where the matrix lists no activity of UNODC's is a zero the sources give, not silence.
    assert {label: n for label, n in narrowed.items() if n} == {
        v["label"]: v["count"] for v in facet["facets"]["roundtable"] if v["count"]
    }


def test_a_theme_page_charts_its_sessions_and_points_across_the_meetings(client):
    (sessions, points), html = charts(client, "/themes/labour-mobility/")
    assert (
        list(sessions)
        == list(points)
        == [
            "Brussels 2007",
            "Manila 2008",
            "Athens 2009",
            "Puerto Vallarta 2010",
            "Geneva 2011",
            "Port Louis 2012",
        ]
    )
    assert sessions["Brussels 2007"] == NOT_IN_SOURCES and points["Manila 2008"] == NOT_IN_SOURCES
    # The numbers are those of the lists the page links to.
    assert sessions == api_meeting_counts(client, "/api/sessions/?theme=labour-mobility")
    assert points == api_meeting_counts(client, "/api/recommendations/?theme=labour-mobility")
    athens = re.search(r'<section aria-labelledby="year-2009">.*?</section>', html, re.S).group(0)
    assert f'<h3>Sessions held <span class="count">({sessions["Athens 2009"]})</span>' in athens


def test_the_bars_are_measured_against_the_largest_and_zero_draws_no_bar():
    chart = bar_chart(
        [
            {"label": "a", "count": 10},
            {"label": "b", "count": 0},
            {"label": "c", "count": None},
            {"label": "d", "count": 5},
        ],
        slug="test",
        title="Test",
        heading="Meeting",
    )
    widths = [bar["width"] for bar in chart["bars"]]
    assert widths[0] == 2 * widths[3] and widths[1] == 0
    assert [bar["silent"] for bar in chart["bars"]] == [False, False, True, False]
    assert bar_chart([{"label": "a", "count": 0}], slug="t", title="T", heading="Meeting") is None


def test_a_long_facet_charts_its_largest_values_in_their_order():
    values = [{"label": str(n), "count": n % 7 or None} for n in range(200)]
    kept = largest(values)
    assert len(kept) == MAX_BARS
    assert [v["label"] for v in kept] == sorted((v["label"] for v in kept), key=int)
    # 28 values of 6 records, then the first two of 5: none of those our sources are silent on while they fill it.
    assert sorted(v["count"] for v in kept) == [5, 5] + [6] * 28


@pytest.mark.parametrize("path", ["/sessions/?year=2009&year=2010", "/recommendations/?meeting=athens-2009"])
def test_a_chart_costs_no_query(client, django_assert_num_queries, path):
    client.get(path + "&page_size=5")  # the list's facet index and what is read per revision, once a revision
    # The revision and the page's records, as without a chart: the chart is counted in the facet index.
    with django_assert_num_queries(2):
        assert "chart-numbers" in client.get(path).content.decode()
