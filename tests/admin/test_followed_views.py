"""A reader following a view (`?format=atom`) sees an editor's correction of one of its records first."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from sessions.models import Session
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/sessions/?meeting=athens-2009&format=atom"


def first_entry(client, url):
    feed = ET.fromstring(client.get(url).content)
    entry = feed.find(f"{ATOM}entry")
    return {
        "link": entry.find(f"{ATOM}link").get("href"),
        "id": entry.find(f"{ATOM}id").text,
        "summary": entry.find(f"{ATOM}summary").text,
        "title": entry.find(f"{ATOM}title").text,
    }


def test_a_record_corrected_in_the_admin_comes_first_in_the_feeds_of_its_views(editor, anonymous):
    session = Session.objects.filter(meeting__slug="athens-2009").order_by("number").last()
    before = first_entry(anonymous, FEED)
    change = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    data = form_data(editor.get(change))
    data["co_chairs"] = "Corrected co-chairs, as the report names them"
    assert editor.post(change, data).status_code == 302
    after = first_entry(anonymous, FEED)
    assert after["link"] == settings.SITE_URL + session.get_absolute_url()
    assert after["summary"] == "Version 2 changed: co chairs."
    assert after["id"] != before["id"]  # a new entry, which a feed reader shows as new
    # The whole list's feed, and a search finding it, say so too; a view without it does not.
    assert first_entry(anonymous, "/sessions/?format=atom")["link"] == after["link"]
    assert (
        first_entry(anonymous, f"/search/?q={max(session.title.split(), key=len)}&type=session&format=atom")["link"]
        == after["link"]
    )
    assert first_entry(anonymous, "/sessions/?meeting=manila-2008&format=atom")["link"] != after["link"]
