"""A researcher's paths through the site, clicked in a real browser."""

import csv
import io
import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def saved(download, directory):
    """The downloaded file, copied here: the browser runs in a server process of its own, whose files a test
    reads only through Playwright."""
    path = directory / download.suggested_filename
    download.save_as(path)
    return path


def result_count(page):
    """The number the list's heading gives, e.g. 75 in "75 recommendations and other points"."""
    return int(re.match(r"\d+", page.locator("h2.result-count").inner_text()).group())


def test_a_theme_filtered_by_agency_leads_to_an_activity_with_its_objectives_and_agencies(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Irregular migration, smuggling and trafficking").click()
    page.wait_for_url("**/themes/irregular-migration/")
    assert page.get_by_role("heading", level=1).inner_text() == "Irregular migration, smuggling and trafficking"

    page.get_by_role("link", name="GMG activities", exact=True).last.click()
    page.wait_for_url(re.compile(r"/activities/\?theme=irregular-migration$"))
    on_theme = result_count(page)
    assert on_theme > 0

    agencies = page.locator("details.facet", has=page.get_by_role("heading", name="GMG member"))
    agencies.get_by_role("link", name=re.compile(r"^United Nations Office on Drugs and Crime \d+$")).click()
    page.wait_for_url(re.compile(r"gmg_member=UNODC"))
    assert "theme=irregular-migration" in page.url
    on_theme_and_agency = result_count(page)
    assert 0 < on_theme_and_agency <= on_theme
    active = page.get_by_role("list", name="Active filters")
    expect(
        active.get_by_role("link", name=re.compile("GMG member: United Nations Office on Drugs and Crime"))
    ).to_be_visible()

    cards = page.locator("ol.records article.card")
    assert cards.count() == min(on_theme_and_agency, 25)
    for i in range(cards.count()):
        assert "UNODC" in cards.nth(i).locator("p.meta").last.inner_text()
    cards.first.locator("p.meta a").first.click()

    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("GMG proposed activity ")
    objectives = page.locator("h2:text-matches('^Objectives?$') + ul > li")
    assert objectives.count() >= 1 and objectives.first.inner_text().strip()
    agencies = page.locator("h2:text-is('GMG members with expertise') + ul > li")
    assert "United Nations Office on Drugs and Crime (UNODC)" in agencies.all_inner_texts()


def test_a_search_from_the_header_leads_to_a_session_to_cite(site, page, tmp_path):
    page.goto(site + "/themes/")
    header = page.locator("header.site-header")
    header.get_by_role("searchbox", name="Search the knowledge base").fill("domestic workers")
    header.get_by_role("button", name="Search").click()

    page.wait_for_url(re.compile(r"/search/\?q=domestic\+workers$"))
    assert re.match(r"\d+ results? for “domestic workers”", page.locator("main h2.result-count").inner_text())
    session_result = page.locator("ol.records li.card", has=page.locator("p.meta", has_text=re.compile("^Session")))
    title = session_result.first.get_by_role("link").inner_text()
    session_result.first.get_by_role("link").click()

    page.wait_for_url(re.compile(r"/meetings/[\w-]+/sessions/[\w-]+/$"))
    session_url = page.url
    heading = page.get_by_role("heading", level=1).inner_text()
    assert " ".join(heading.split()) == " ".join(title.split())

    cite = page.locator("section.cite")
    cite.scroll_into_view_if_needed()
    expect(cite.get_by_role("heading", name="Cite this")).to_be_visible()
    plain = cite.locator("p").first.inner_text()
    assert f"GFMD Knowledge Base, {session_url} (accessed " in plain
    # The session, of its meeting's track, in its source document.
    assert "Session, GFMD 20" in plain and ". In " in plain
    with page.expect_download() as arrival:
        cite.get_by_role("link", name="RIS").click()
    assert arrival.value.suggested_filename.endswith(".ris")
    assert f"UR  - {session_url}" in saved(arrival.value, tmp_path).read_text(encoding="utf-8")

    bibtex = cite.locator("details pre")
    expect(bibtex).to_be_hidden()
    cite.get_by_text("BibTeX entry").click()
    expect(bibtex).to_be_visible()
    entry = bibtex.inner_text()
    assert re.match(r"@techreport\{gfmd20\d\d-[\w-]+,\n", entry)
    assert f"  url = {{{session_url}}},\n" in entry
    assert entry.rstrip().endswith("}")


def test_a_filtered_list_downloads_as_csv_with_every_record_it_counts(site, page, tmp_path):
    page.goto(site + "/recommendations/?year=2009&track=civil-society")
    count = result_count(page)
    assert count > 25, "the download must hold more than the first page"

    with page.expect_download() as arrival:
        page.locator("p.downloads").get_by_role("link", name="CSV", exact=True).click()
    download = arrival.value
    assert download.suggested_filename == "recommendations_track-civil-society_year-2009.csv"
    rows = list(csv.reader(io.StringIO(saved(download, tmp_path).read_text(encoding="utf-8"))))

    header, records = rows[0], rows[1:]
    assert header[:3] == ["url", "id", "meeting_id"]
    assert {"year", "track", "text", "themes", "theme_labels"} <= set(header)
    assert len(records) == count
    year, track = header.index("year"), header.index("track")
    assert {(row[year], row[track]) for row in records} == {("2009", "civil-society")}
    assert all(row[0].startswith(site + "/recommendations/") for row in records)
