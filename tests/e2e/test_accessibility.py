"""axe-core over the main kinds of page, at desktop and phone widths; targets, focus ring and reflow."""

import pytest

from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Session

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10: content reflows at 320 CSS px without scrolling sideways.
PHONE = {"width": 320, "height": 640}

# What axe checks: WCAG 2.2 A and AA, and its best practices (unique landmarks among them).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    # WCAG 2.5.3, label in name: axe counts it experimental, so it is asked for by name.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
# Rules that fail the run whatever impact axe gives them: the accessibility findings fixed here must stay fixed.
ALWAYS = {"label-content-name-mismatch", "aria-prohibited-attr", "landmark-unique", "target-size"}


@pytest.fixture
def main_pages(site):
    """One page of each kind the public reads; asked for before `page`, as it reads the database."""
    session = Session.objects.select_related("meeting").get(meeting__slug="athens-2009", slug="csd-4-1")
    recommendation = Recommendation.objects.filter(children__isnull=False).first()
    activity = ProposedActivity.objects.first()
    return [
        "/",
        "/search/?q=migrant+workers",
        "/meetings/",
        "/meetings/athens-2009/",
        session.get_absolute_url(),
        "/sessions/",
        "/recommendations/?year=2009&track=civil-society",
        recommendation.get_absolute_url(),
        "/activities/",
        activity.get_absolute_url(),
        "/activities/expertise/",
        "/gmg/",
        "/gmg/IOM/",
        "/themes/",
        "/themes/labour-mobility/",
        "/sources/",
        "/sources/athens-2009-csd-synthesis/",
        "/data/",
        "/api/",
    ]


def axe_findings(page, site, paths, viewport, *, too_wide=None):
    """What axe finds serious on each page; with `too_wide`, also how far each page scrolls sideways."""
    from axe_playwright_python.sync_playwright import Axe

    # axe comes with every page the browser opens, rather than sent over again for each one.
    page.context.add_init_script(script=Axe().axe_script)
    page.set_viewport_size(viewport)
    findings = []
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        if too_wide is not None:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                too_wide.append(f"{path}: {overflow}px too wide")
        for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]:
            if violation["impact"] in ("serious", "critical") or violation["id"] in ALWAYS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                findings.append(
                    f"{path} [{violation['impact']}] {violation['id']}: {len(violation['nodes'])} {targets}"
                )
    return findings


def test_axe_finds_nothing_serious_at_desktop_width(site, main_pages, page):
    paths = main_pages
    findings = axe_findings(page, site, paths, DESKTOP)
    assert not findings, "\n".join(findings)


def test_axe_finds_nothing_serious_at_phone_width_and_nothing_scrolls_sideways(site, main_pages, page):
    wide = []
    findings = axe_findings(page, site, main_pages, PHONE, too_wide=wide)
    assert not findings, "\n".join(findings)
    assert not wide, "\n".join(wide)


CONTRAST = """([a, b]) => {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def test_the_focus_ring_stands_out_at_3_to_1(site, page):
    page.goto(site + "/sessions/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    style, width, offset, ring, background = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth), parseFloat(s.outlineOffset), s.outlineColor,
                           getComputedStyle(document.body).backgroundColor]; }"""
    )
    assert style != "none" and width >= 2
    # The ring sits on the page around the target, not on the target's own colour.
    assert offset >= 2
    background = "rgb(255, 255, 255)" if background in ("rgba(0, 0, 0, 0)", "transparent") else background
    assert page.evaluate(CONTRAST, [ring, background]) >= 3


def test_section_permalinks_are_at_least_24_px_square(site, page):
    page.goto(site + "/meetings/athens-2009/")
    boxes = page.locator("a.permalink").evaluate_all(
        "links => links.map(l => { const r = l.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert boxes
    assert all(width >= 24 and height >= 24 for width, height in boxes), min(boxes)
