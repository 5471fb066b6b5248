"""axe-core over the main kinds of page at phone width, and reflow: nothing scrolls sideways."""

import pytest

from tests.e2e.axe import PHONE, axe_findings, restyled_when_narrow

pytestmark = pytest.mark.e2e


def test_axe_finds_nothing_serious_at_phone_width_and_nothing_scrolls_sideways(site, main_pages, page):
    wide = []
    findings = axe_findings(page, site, main_pages, PHONE, too_wide=wide, contrast_within=restyled_when_narrow())
    assert not findings, "\n".join(findings)
    assert not wide, "\n".join(wide)


def test_contrast_at_phone_width_is_checked_where_narrow_widths_restyle_text():
    css = """
    .a { color: #333; }
    @media (max-width: 40rem) { dl.facts, .b { grid-template-columns: 1fr; } h1, .c { font-size: 1.5rem; } }
    @media (max-width: 48rem) { .jump { display: block; } .d { background-color: #fff; margin: 0 } }
    @media (max-width: 30rem) { .f li::before, .g:hover:after { color: #555; } }
    @media print { .e { color: black; } }
    """
    assert restyled_when_narrow(css) == ["h1", ".c", ".jump", ".d", ".f li", ".g:hover"]
