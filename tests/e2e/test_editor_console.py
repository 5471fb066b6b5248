"""The editor's console as a new editor meets it: every admin page they use passes axe, titles are not cut off."""

import re

import pytest
from django.contrib.auth.models import Group, User
from taggit.models import Tag

from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Session
from tests.conftest import create_roles
from tests.e2e.axe import AXE_OPTIONS, DESKTOP, PHONE

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough test password"


@pytest.fixture
def editor_pages(content, settings):
    """The pages an editor uses, and their account; read before the browser opens."""
    # The live server speaks plain HTTP, where a browser drops cookies marked secure.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    if not Group.objects.filter(name="Secretariat editor").exists():
        create_roles()  # a transactional test before this one emptied the tables
    user = User.objects.create_user("erin", "erin@example.org", PASSWORD, is_staff=True, first_name="Erin")
    user.groups.add(Group.objects.get(name="Secretariat editor"))
    session = Session.objects.filter(recommendations__isnull=False).order_by("-title").first()
    longest = max(Session.objects.all(), key=lambda s: len(s.title))
    recommendation = Recommendation.objects.filter(children__isnull=False).first()
    activity = ProposedActivity.objects.filter(objectives__isnull=False).first()
    tag = Tag.objects.first()
    first = session.history.earliest("history_id")
    return {
        "longest": longest.pk,
        "paths": [
            "/admin/",
            "/admin/gfmd_sessions/session/",
            "/admin/gfmd_sessions/session/?q=migrant",
            f"/admin/gfmd_sessions/session/{session.pk}/change/",
            f"/admin/gfmd_sessions/session/{session.pk}/history/",
            f"/admin/gfmd_sessions/session/{session.pk}/history/{first.history_id}/",
            "/admin/gfmd_sessions/session/add/",
            f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
            f"/admin/gfmd_sessions/meeting/{session.meeting_id}/change/",
            f"/admin/gfmd_sessions/roundtable/{session.roundtable_id}/change/",
            f"/admin/recommendations/proposedactivity/{activity.pk}/change/",
            "/admin/taggit/tag/",
            f"/admin/taggit/tag/{tag.pk}/change/",
            "/admin/password_change/",
        ],
    }


def sign_in(page, site):
    page.goto(site + "/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")


def axe_violations(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [f"{url} {v['id']}: {len(v['nodes'])} {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def merge_page(page, site):
    """The form of "Merge selected tags": two tags ticked in the list, then the action."""
    page.goto(site + "/admin/taggit/tag/")
    page.locator("input.action-select").nth(0).check()
    page.locator("input.action-select").nth(1).check()
    page.locator("select[name=action]").select_option("render_tag_form")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(re.compile(r"/merge-tags/$"))
    return page.url


def title_cut_off(page, site, pk):
    """How many pixels of a session's title its field hides, across and down, and how far it stops short of its row."""
    page.goto(f"{site}/admin/gfmd_sessions/session/{pk}/change/")
    return page.locator("#id_title").evaluate(
        """field => [
            field.scrollWidth - field.clientWidth,
            field.scrollHeight - field.clientHeight,
            field.closest('.form-row').getBoundingClientRect().right - field.getBoundingClientRect().right,
        ]"""
    )


def test_the_pages_an_editor_uses_pass_axe_and_show_a_title_whole(live_server, editor_pages, page):
    # Two violations of one rule are two findings: the session's change form had 8 (issue 23).
    from axe_playwright_python.sync_playwright import Axe

    page.context.add_init_script(script=Axe().axe_script)
    page.set_viewport_size(DESKTOP)
    site = live_server.url
    findings = axe_violations(page, site + "/admin/login/")
    sign_in(page, site)
    for path in editor_pages["paths"]:
        findings += axe_violations(page, site + path)
    findings += axe_violations(page, merge_page(page, site))
    across, down, short = title_cut_off(page, site, editor_pages["longest"])
    assert across <= 0 and down <= 0, f"{across} px across and {down} px down of the title are hidden"
    assert short < 40, "the title's field takes its row's width"
    # At a phone's width the boxes wrap and the targets shrink: the pages whose layout changes most.
    page.set_viewport_size(PHONE)
    for path in editor_pages["paths"][1:4]:
        findings += axe_violations(page, site + path)
    assert findings == [], "\n".join(findings)
