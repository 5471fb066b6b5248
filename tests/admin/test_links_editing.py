"""Links by editors in the admin: added inline on a record's page, changed on their own, with history, through
the write path; a link the rules refuse is a form error that says why."""

import html
import re

import pytest

from gfmd.models import ContentRevision
from recommendations.models import Link
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def links_section(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))
    return page.split("Links by editors", 1)[1].split("Cite this", 1)[0]


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_an_editor_adds_a_link_inline_with_history_through_the_write_path(editor, anonymous, session, recommendation):
    revision = ContentRevision.objects.get(pk=1).number
    data = form_data(editor.get(change_url(recommendation)))
    data |= {
        "links_out-TOTAL_FORMS": "1",
        "links_out-0-type": "restates",
        "links_out-0-to_session": str(session.pk),
        "links_out-0-note": "Checked against the test source.",
        "links_out-0-quote": "Do the test.",
    }
    response = editor.post(change_url(recommendation), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    link = Link.objects.get(from_recommendation=recommendation)
    assert (link.type, link.to_session, link.version) == ("restates", session, 1)
    entry = link.history.get()
    assert entry.history_type == "+" and entry.history_user.username == "anna"
    assert ContentRevision.objects.get(pk=1).number > revision
    section = links_section(anonymous, session.get_absolute_url())
    assert "Restated by:" in section and "Do the test." in section and "Checked against the test source." in section

    data = form_data(editor.get(change_url(link)))
    data["note"] = "Checked again."
    assert editor.post(change_url(link), data).status_code == 302
    assert [h.note for h in link.history.order_by("history_id")] == [
        "Checked against the test source.",
        "Checked again.",
    ]
    history = editor.get(change_url(link).replace("/change/", "/history/")).content.decode()
    assert "Checked again." in history


def test_the_admin_says_why_a_link_is_refused(editor, session):
    data = form_data(editor.get(change_url(session)))
    data |= {"links_out-TOTAL_FORMS": "1", "links_out-0-type": "builds-on", "links_out-0-to_session": str(session.pk)}
    response = editor.post(change_url(session), data)
    assert response.status_code == 200
    assert "A record cannot be linked to itself: choose another record." in response.content.decode()
    assert not Link.objects.filter(from_session=session).exists()
