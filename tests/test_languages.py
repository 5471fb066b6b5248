"""The interface in English, French and Spanish: English where it always was, French under /fr/, Spanish
under /es/, the same pages with the same paths, slugs and filter values; what stays English stays outside."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from lib.caching import per_revision, request_revision, request_values
from lib.facet_index import FacetIndex

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/sessions/?year=2009&track=government",
    "/meetings/athens-2009/sessions/csd-1-1/",
    "/search/?q=migration",
]


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switcher(response):
    """{language code: (address, aria-current)} of the language switcher's links."""
    nav = re.search(r'<nav class="languages".*?</nav>', response.content.decode(), re.S).group(0)
    links = re.findall(r'<a href="([^"]*)" lang="([^"]+)" hreflang="\2"( aria-current="true")?>', nav)
    return {code: (unescape(href), bool(current)) for href, code, current in links}


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(("prefix", "language"), [("", "en-gb"), ("/fr", "fr"), ("/es", "es")])
def test_every_page_type_answers_in_each_language(client, url, prefix, language):
    response = client.get(prefix + url)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language


def test_an_unprefixed_address_stays_english_whatever_the_browser_asks(client):
    response = client.get("/sessions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang(response) == "en-gb"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/meetings/",
        "/meetings/athens-2009/",
        "/sessions/?year=2009",
        "/recommendations/",
        "/activities/",
        "/activities/expertise/",
        "/gmg/IOM/",
        "/themes/",
        "/sources/",
        "/search/?q=migration",
        "/api/",
        "/api/sessions/",
        "/api/openapi.json",
        "/data/",
        "/sessions/?format=csv",
        "/sessions/?format=atom",
        "/meetings/athens-2009/sessions/csd-1-1/?format=bibtex",
        "/sitemap.xml",
        "/robots.txt",
        "/admin/login/",
    ],
)
def test_every_english_address_answers_as_before(client, url):
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert html_lang(response) == "en-gb"


@pytest.mark.parametrize(
    "url", ["/fr/api/", "/fr/api/sessions/", "/es/api/recommendations/", "/fr/data/", "/fr/sitemap.xml", "/fr/admin/"]
)
def test_what_stays_english_has_no_french_or_spanish_address(client, url):
    assert client.get(url).status_code == 404


def test_the_api_is_english_on_a_french_page(client):
    """Links from a French page to the API and the downloads go to their one, English, address."""
    page = client.get("/fr/sessions/").content.decode()
    assert 'href="/api/sessions/' in page or 'href="/api/"' in page
    assert "/fr/api/" not in page and "/fr/data/" not in page


def test_the_switcher_keeps_the_page_and_its_filters(client):
    response = client.get("/fr/sessions/?year=2009&track=government")
    assert switcher(response) == {
        "en-gb": ("/sessions/?year=2009&track=government", False),
        "fr": ("/fr/sessions/?year=2009&track=government", True),
        "es": ("/es/sessions/?year=2009&track=government", False),
    }


def test_a_page_outside_the_languages_switches_to_each_home_page(client):
    assert switcher(client.get("/api/")) == {"en-gb": ("/", True), "fr": ("/fr/", False), "es": ("/es/", False)}


def test_each_page_names_its_alternates_in_every_language(client):
    page = client.get("/es/meetings/athens-2009/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert alternates == {
        "en-gb": "http://testserver/meetings/athens-2009/",
        "fr": "http://testserver/fr/meetings/athens-2009/",
        "es": "http://testserver/es/meetings/athens-2009/",
        "x-default": "http://testserver/meetings/athens-2009/",
    }
    assert '<link rel="canonical" href="http://testserver/es/meetings/athens-2009/">' in page


def test_the_sitemap_lists_every_page_in_the_three_languages(client):
    sitemap = client.get("/sitemap-meetings.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "http://testserver/meetings/athens-2009/" in locations
    assert "http://testserver/fr/meetings/athens-2009/" in locations
    assert "http://testserver/es/meetings/athens-2009/" in locations
    assert 'hreflang="x-default" href="http://testserver/meetings/athens-2009/"' in sitemap
    assert 'hreflang="fr" href="http://testserver/fr/meetings/athens-2009/"' in sitemap


def test_the_cache_gives_each_language_its_own_page(client):
    """Both cached, each address still gives its own language: the page cache and everything kept per
    revision (facet labels, charts, derived values) are keyed by the language."""
    for _ in range(2):
        french = client.get("/fr/sessions/?year=2009").content.decode()
        english = client.get("/sessions/?year=2009").content.decode()
        spanish = client.get("/es/sessions/?year=2009").content.decode()
        assert '<button type="submit">Rechercher</button>' in french
        assert '<button type="submit">Buscar</button>' in spanish
        assert '<button type="submit">Search</button>' in english
        assert "Rechercher" not in english and "Buscar" not in english


def test_what_is_kept_per_revision_is_kept_per_language(db):
    """A value derived once per revision may hold interface text (a facet's labels, a chart's title): what
    one language derived is never served to another."""
    calls = []

    @per_revision(name="test_languages.label")
    def label():
        calls.append(translation.get_language())
        return gettext("Search")

    token, values = request_revision.set(1), request_values.set({})
    try:
        for _ in range(2):
            with translation.override("fr"):
                assert label() == "Rechercher"
            with translation.override("en-gb"):
                assert label() == "Search"
            with translation.override("es"):
                assert label() == "Buscar"
    finally:
        request_revision.reset(token)
        request_values.reset(values)
    assert calls == ["fr", "en-gb", "es"]


def test_a_facet_index_gives_its_labels_in_the_active_language():
    """The bitsets are shared by the languages, the labels are each language's own."""
    index = FacetIndex.__new__(FacetIndex)
    index.facets = {"kind": SimpleNamespace(extra={"choices": lambda: [("search", gettext_lazy("Search"))]})}
    index.labels_by_language = {}
    with translation.override("fr"):
        assert index.labels == {"kind": [("search", "Rechercher")]}
    with translation.override("en-gb"):
        assert index.labels == {"kind": [("search", "Search")]}
    with translation.override("fr"):
        assert index.labels == {"kind": [("search", "Rechercher")]}


def test_the_etag_names_the_language(client):
    etags = {client.get(prefix + "/sessions/")["ETag"] for prefix in ("", "/fr", "/es")}
    assert len(etags) == 3
    english = client.get("/sessions/")["ETag"]
    assert client.get("/fr/sessions/", HTTP_IF_NONE_MATCH=english).status_code == 200
    assert client.get("/sessions/", HTTP_IF_NONE_MATCH=english).status_code == 304


def test_the_admin_speaks_the_editors_language(client):
    french = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in french and "Nom d’utilisateur" in french
    assert "Vary" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").headers
    client.post("/language/", {"language": "es", "next": "/admin/login/"})
    spanish = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="es"' in spanish and "Nombre de usuario" in spanish


def test_the_public_pages_keep_the_address_language_whatever_the_editor_chose(client):
    client.post("/language/", {"language": "es", "next": "/admin/"})
    assert html_lang(client.get("/sessions/")) == "en-gb"
    assert html_lang(client.get("/fr/sessions/")) == "fr"


def test_a_french_record_page_says_its_quotations_are_in_english(client):
    french = client.get("/fr/meetings/athens-2009/sessions/csd-1-1/").content.decode()
    assert 'class="meta quoted-in-english"' in french
    assert '<section class="cite" lang="en"' in french
    english = client.get("/meetings/athens-2009/sessions/csd-1-1/").content.decode()
    assert 'class="meta quoted-in-english"' not in english


def test_a_csv_from_a_french_page_is_the_english_one(client):
    french, english = client.get("/fr/sessions/?format=csv"), client.get("/sessions/?format=csv")
    assert b"".join(french.streaming_content if french.streaming else [french.content]) == b"".join(
        english.streaming_content if english.streaming else [english.content]
    )
    french.close()
    english.close()


def test_a_citation_on_a_french_page_cites_the_english_address(client):
    page = client.get("/fr/meetings/athens-2009/sessions/csd-1-1/").content.decode()
    assert 'content="http://testserver/meetings/athens-2009/sessions/csd-1-1/"' in page


@pytest.mark.parametrize(("language", "plural"), [("en-gb", [True, False, True]), ("fr", [False, False, True])])
def test_a_count_takes_the_noun_its_language_gives_it(language, plural):
    # French writes "0 séance", English "0 sessions".
    from gfmd.printing import takes_plural

    with translation.override(language):
        assert [takes_plural(count) for count in (0, 1, 2)] == plural
