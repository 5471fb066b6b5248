"""A reader changes the language of a filtered list in a real browser: the page, its filters and its
results stay; the interface and the facets' vocabulary change."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

FILTERS = "year=2009&track=civil-society"


def results(page):
    """The number of records the list's heading gives, and the addresses of the records on the page."""
    count = re.match(r"\d+", page.locator("h2.result-count").inner_text()).group()
    cards = page.locator("ol.records article.card p.meta a").evaluate_all("links => links.map(a => a.href)")
    return int(count), [re.search(r"/recommendations/\d+/$", card).group() for card in cards]


def active_filters(page, name):
    items = page.get_by_role("list", name=name).get_by_role("listitem").all_inner_texts()
    # Spaces as the reader sees them: a line break or a no-break space is a space.
    return [" ".join(item.split()) for item in items]


def switch_to(page, language):
    page.locator("nav.languages").get_by_role("link", name=language).click()


def test_switching_language_keeps_the_page_and_its_filters(site, page):
    page.goto(f"{site}/recommendations/?{FILTERS}")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    english = results(page)
    assert english[0] > 0 and english[1]
    assert active_filters(page, "Active filters")[:2] == [
        "Year: 2009 × (remove)",
        "Track: Civil Society Days × (remove)",
    ]

    switch_to(page, "Français")
    page.wait_for_url(f"{site}/fr/recommendations/?{FILTERS}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert results(page) == english
    assert active_filters(page, "Filtres actifs")[:2] == [
        "Année : 2009 × (retirer)",
        "Volet : Journées de la société civile × (retirer)",
    ]
    expect(page.locator("header.site-header").get_by_role("button", name="Rechercher")).to_be_visible()
    expect(page.locator("nav.languages a[aria-current]")).to_have_text("Français")

    switch_to(page, "Español")
    page.wait_for_url(f"{site}/es/recommendations/?{FILTERS}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert results(page) == english
    assert active_filters(page, "Filtros activos")[:2] == [
        "Año: 2009 × (quitar)",
        "Vertiente: Jornadas de la Sociedad Civil × (quitar)",
    ]

    # A filter chosen in Spanish is the same parameter in every language.
    page.locator("details#facet-kind").get_by_role("link", name=re.compile(r"^Recomendación \d+$")).click()
    page.wait_for_url(re.compile(r"/es/recommendations/\?.*kind=recommendation"))
    narrowed = results(page)
    assert 0 < narrowed[0] <= english[0]
    switch_to(page, "English")
    page.wait_for_url(re.compile(rf"{site}/recommendations/\?"))
    assert sorted(page.url.split("?")[1].split("&")) == sorted([*FILTERS.split("&"), "kind=recommendation"])
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    assert results(page) == narrowed
