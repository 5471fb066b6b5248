"""axe-core over the main kinds of page at desktop width (the phone width has a module of its own, so that
the two can run side by side); targets and the focus ring."""

import pytest

from tests.e2e.axe import DESKTOP, axe_findings

pytestmark = pytest.mark.e2e


def test_axe_finds_nothing_serious_at_desktop_width(site, main_pages, page):
    paths = main_pages
    findings = axe_findings(page, site, paths, DESKTOP)
    assert not findings, "\n".join(findings)


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
