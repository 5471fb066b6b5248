"""A good citizen of the web: sitemap, robots, canonical links, titles, accessible markup."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/meetings/manila-2008/",
    "/meetings/athens-2009/sessions/csd-2-1/",
    "/sessions/",
    "/recommendations/?year=2009",
    "/activities/?gmg_member=UNHCR",
    "/activities/expertise/",
    "/themes/",
    "/themes/remittances-diaspora/",
    "/gmg/UNHCR/",
    "/search/?q=remittances",
]


class Outline(HTMLParser):
    """Collects what an accessibility review looks at first."""

    def __init__(self):
        super().__init__()
        self.headings, self.controls, self.labels, self.landmarks = [], [], set(), set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append(attrs.get("id"))
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"main", "nav", "header", "footer"}:
            self.landmarks.add(tag)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False


@pytest.mark.parametrize("url", PAGES)
def test_each_page_has_one_h1_ordered_headings_labels_and_landmarks(client, url):
    page = client.get(url).content.decode()
    outline = Outline()
    outline.feed(page)
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1, f"{url}: h{before} followed by h{after}"
    assert all(control in outline.labels for control in outline.controls), url
    assert {"main", "nav", "header", "footer"} <= outline.landmarks
    assert 'class="skip-link" href="#main"' in page
    assert outline.title.strip() and "GFMD" in outline.title
    assert '<meta name="description" content="' in page
    assert '<link rel="canonical" href="http://testserver' in page
    assert '<meta property="og:title"' in page


def read(response):
    return response.content.decode()


def test_the_sitemap_lists_every_meeting_and_session(client):
    from sessions.models import Session

    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"] == "application/xml"
    sections = re.findall(r"<loc>http://testserver(/sitemap-[\w-]+\.xml(?:\?p=\d+)?)</loc>", read(index))
    assert "/sitemap-sessions.xml" in sections and "/sitemap-meetings.xml" in sections
    body = "".join(read(client.get(section)) for section in sections)
    assert "http://testserver/meetings/brussels-2007/" in body
    assert body.count("/sessions/") >= Session.objects.count()


def test_robots_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


def test_every_asset_is_served_by_the_site_itself(client):
    page = client.get("/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//(?!testserver)', page.replace('itemtype="https://schema.org', ""))
