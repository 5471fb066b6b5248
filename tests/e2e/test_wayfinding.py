"""Finding one's way in long pages, in a real browser: a meeting page by its contents list, a list by keyboard."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


def test_a_meeting_page_is_walked_by_its_contents_list(site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/meetings/athens-2009/")
    contents = page.get_by_role("navigation", name="On this page")
    links = contents.get_by_role("link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(targets) > 10 and all(target.startswith("#") for target in targets)
    for target in targets:
        # Every entry leads to a part of this page.
        assert page.locator(f"[id='{target[1:]}']").count() == 1, target
    contents.get_by_role("link", name=re.compile(r"^Roundtable 3: Policy and Institutional Coherence")).click()
    assert page.url.endswith("#csd-roundtable-3")
    heading = page.locator("#csd-roundtable-3-heading")
    expect(heading).to_be_in_viewport()
    contents.get_by_role("link", name=re.compile(r"^4\.2 The Future of the Forum")).click()
    expect(page.locator("#session-csd-4-2")).to_be_in_viewport()
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Cite this").click()
    expect(page.get_by_role("heading", name="Cite this")).to_be_in_viewport()


@pytest.mark.parametrize(
    "path, viewport",
    [("/recommendations/?year=2009&track=civil-society", DESKTOP), ("/search/?q=migrant+workers", PHONE)],
    ids=["list-at-desktop", "search-at-phone"],
)
def test_a_list_is_walked_by_keyboard_to_its_first_result(site, page, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(site + path)
    first_result = page.locator("#results a").first
    first_href = first_result.get_attribute("href")
    # From the top of the page, Tab reaches the skip link within the site's header and the page's own start.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Skip to the results":
            break
    else:
        pytest.fail("no skip link within twenty Tab stops")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_href
    expect(first_result).to_be_in_viewport()
    expect(first_result).to_be_focused()


def test_without_the_skip_link_the_results_still_come_before_the_filters(site, page):
    page.set_viewport_size(PHONE)
    page.goto(site + "/recommendations/")
    order = page.evaluate(
        "document.querySelector('#results').compareDocumentPosition(document.querySelector('#filters'))"
    )
    assert order & 4  # DOCUMENT_POSITION_FOLLOWING: the filters come after the results
