"""axe-core over the main kinds of page at phone width, and reflow: nothing scrolls sideways."""

import pytest

from tests.e2e.axe import PHONE, axe_findings

pytestmark = pytest.mark.e2e


def test_axe_finds_nothing_serious_at_phone_width_and_nothing_scrolls_sideways(site, main_pages, page):
    wide = []
    findings = axe_findings(page, site, main_pages, PHONE, too_wide=wide)
    assert not findings, "\n".join(findings)
    assert not wide, "\n".join(wide)
