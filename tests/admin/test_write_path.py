"""Every admin write goes through the write path: its pages and its search documents follow in its transaction.

No signal receiver keeps them in step: only django-simple-history listens to the content models.
"""

import functools

import pytest
from django.db.models import signals
from taggit.models import Tag, TaggedItem

from gfmd.models import SearchDocument
from lib import history
from lib.content import content_models
from recommendations.models import Objective
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def found(client, q):
    return {result["url"] for result in client.get("/api/search/", {"q": q}).json()["results"]}


def test_only_the_history_listens_to_the_content_models():
    listening = set()
    for model in [*content_models(), Tag, TaggedItem]:
        senders = [model, *(field.remote_field.through for field in model._meta.many_to_many)]
        for signal in (signals.pre_save, signals.post_save, signals.pre_delete, signals.post_delete):
            for sender in senders:
                sync, asynchronous = signal._live_receivers(sender)
                for receiver in [*sync, *asynchronous]:
                    receiver = receiver.func if isinstance(receiver, functools.partial) else receiver
                    listening.add(receiver.__module__)
        for sender in senders[1:]:
            for receiver in signals.m2m_changed._live_receivers(sender)[0]:
                receiver = receiver.func if isinstance(receiver, functools.partial) else receiver
                listening.add(receiver.__module__)
    assert listening == {"simple_history.models"}


def test_an_admin_deletion_takes_the_record_out_of_search(secretariat_admin, anonymous, session):
    assert session.get_absolute_url() in found(anonymous, "test session")
    url = f"/admin/gfmd_sessions/session/{session.pk}/delete/"
    assert secretariat_admin.post(url, {"post": "yes"}).status_code == 302
    assert session.get_absolute_url() not in found(anonymous, "test session")
    assert not SearchDocument.objects.filter(kind="session", object_id=session.pk).exists()


def test_a_bulk_deletion_in_the_admin_takes_the_records_out_of_search(secretariat_admin, anonymous, session):
    response = secretariat_admin.post(
        "/admin/gfmd_sessions/session/",
        {"action": "delete_selected", "_selected_action": [str(session.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not SearchDocument.objects.filter(kind="session", object_id=session.pk).exists()


def test_an_inline_row_deleted_in_the_admin_leaves_its_record_s_search_document(secretariat_admin, anonymous, activity):
    Objective.objects.create(activity=activity, position=1, text="Count the quokkas.")
    url = f"/admin/recommendations/proposedactivity/{activity.pk}/change/"
    data = form_data(secretariat_admin.get(url))
    data["objectives-0-text"] = "Count the wombats."
    assert secretariat_admin.post(url, data).status_code == 302
    assert activity.get_absolute_url() in found(anonymous, "wombats")
    data = form_data(secretariat_admin.get(url))
    data["objectives-0-DELETE"] = "on"  # a secretariat admin's right, not an editor's
    assert secretariat_admin.post(url, data).status_code == 302
    assert not found(anonymous, "wombats")
    assert activity.get_absolute_url() in found(anonymous, "test something")


def test_a_revert_in_the_admin_shows_in_search(editor, anonymous, session):
    url = f"/admin/gfmd_sessions/session/{session.pk}/change/"
    data = form_data(editor.get(url))
    data["title"] = "Quokka corridors"
    assert editor.post(url, data).status_code == 302
    assert found(anonymous, "quokka") == {session.get_absolute_url()}
    first = session.history.earliest("history_date")
    revert_url = url.replace("/change/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    assert not found(anonymous, "quokka")
    assert session.get_absolute_url() in found(anonymous, "test session")


def test_a_renamed_tag_counts_as_an_edit_of_each_record_it_is_on(editor, session):
    session.tags.add("old subject")
    version = session.version
    tag = Tag.objects.get(name="old subject")
    url = f"/admin/taggit/tag/{tag.pk}/change/"
    data = form_data(editor.get(url))
    data.update(name="new subject", slug="new-subject")
    assert editor.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.version == version + 1
    # A revert to this version gives the record the new name.
    assert [tag.name for tag in history.tags_at(session, session.version)] == ["new subject"]
