"""Every change an editor can make in the admin survives load_gfmd, is replaced by --force, and is exported.

On the small made-up content of tests/small_fixtures, so that these tests of the
pipeline's mechanics do not depend on what the real content says.
"""

import io

import pytest
from django.core.management import call_command
from taggit.models import Tag, TaggedItem

from lib.caching import current_revision
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Milestone, Roundtable, Session
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_gfmd", *args, stdout=out)
    return out.getvalue()


def export(directory):
    call_command("export_gfmd", str(directory), "--replace", stdout=io.StringIO())


def change(client, record, **values):
    opts = record._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"
    data = form_data(client.get(url))
    for name, value in values.items():
        data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()


def sub_point(number):
    return Recommendation.objects.get(meeting__slug="testville-2099", parent__number="1", number=number)


def test_a_sub_points_kind_set_by_an_editor_is_kept_replaced_and_exported(small_content, editor):
    point = sub_point("b")
    change(editor, point, kind="follow-up")

    report = load()
    assert point.kind == Recommendation.objects.get(pk=point.pk).kind == "follow-up"
    assert f"recommendation {point.pk}: {Recommendation.objects.get(pk=point.pk)}, changed by anna on" in report
    assert "recommendations: 0 created, 0 updated, 4 unchanged, 1 kept as an editor changed them" in report

    export(small_content)
    assert "kind: follow-up" in (small_content / "testville-2099.yaml").read_text()
    assert "kept" not in load("--force")  # the files now say what the editor did
    assert Recommendation.objects.get(pk=point.pk).kind == "follow-up"


def test_a_forced_load_puts_a_sub_point_back_as_the_files_say(small_content, editor):
    point = sub_point("b")
    change(editor, point, kind="follow-up", position=7)
    report = load("--force")
    point.refresh_from_db()
    assert (point.kind, point.position) == ("recommendation", 2)
    assert f"Replaced these records editors had changed:\n  recommendation {point.pk}:" in report


def test_a_position_an_editor_gave_is_kept_and_exported_as_the_order(small_content, editor):
    first, second = sub_point("a"), sub_point("b")
    change(editor, second, position=5)
    change(editor, first, position=6)  # b before a now
    load()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (6, 5)

    export(small_content)
    content = (small_content / "testville-2099.yaml").read_text()
    assert content.index("A second sub-point.") < content.index("A first sub-point.")
    load("--force")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (1, 2)


def test_a_renamed_tag_is_kept_not_retagged(small_content, editor, secretariat_admin):
    tag = Tag.objects.get(name="alpha")
    tagged = {item.content_object for item in TaggedItem.objects.filter(tag=tag)}
    renamed = {
        record: sorted("Alpha" if name == "alpha" else name for name in record.tags.names()) for record in tagged
    }
    url = f"/admin/taggit/tag/{tag.pk}/change/"
    data = form_data(secretariat_admin.get(url)) | {"name": "Alpha"}
    assert secretariat_admin.post(url, data).status_code == 302

    report = load()
    assert (
        "updated" in report
        and " 0 updated" in report
        and not any(
            line.split(": ")[1].split(",")[1].strip() != "0 updated"
            for line in report.splitlines()[1:13]
            if ": " in line
        )
    )
    for record in tagged:
        assert sorted(record.tags.names()) == renamed[record]
        assert f"{record._meta.verbose_name} {record.pk}: " in report
    assert not Tag.objects.filter(name="alpha").exists()

    export(small_content)
    content = (small_content / "testville-2099.yaml").read_text()
    assert "tags: [beta, Alpha]" in content and "alpha" not in content

    load("--force")
    assert all("Alpha" in record.tags.names() for record in tagged)


def test_merged_tags_are_kept(small_content, editor):
    alpha = Tag.objects.get(name="alpha")
    response = editor.post("/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": [str(alpha.pk)]})
    assert response.status_code == 302
    assert editor.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "beta"}).status_code == 302
    assert TaggedItem.objects.filter(tag__name="beta").exists()
    report = load()
    assert "kept as an editor changed them" in report
    assert not TaggedItem.objects.filter(tag__name="alpha").exists()


def test_a_session_moved_to_another_roundtable_is_kept_and_exported_there(small_content, editor):
    session = Session.objects.get(meeting__slug="testville-2099", number="1.2")
    other = Roundtable.objects.get(meeting__slug="testville-2099", stage="held", number=2)
    change(editor, session, roundtable=other.pk, number="2.1")
    assert "kept as an editor changed them" in load()
    session.refresh_from_db()
    assert session.roundtable == other

    export(small_content)
    assert "kept" not in load()
    assert "kept" not in load("--force")
    session.refresh_from_db()
    assert (session.roundtable, session.number) == (other, "2.1")


def test_a_deleted_record_stays_deleted_and_a_forced_load_restores_it_with_its_address(
    small_content, secretariat_admin
):
    # The files carry ids once exported.
    export(small_content)
    activity = ProposedActivity.objects.get(section__letter="a", position=2)
    # Its objective first: a record that others depend on is not deleted (docs/editing.md).
    change_url = f"/admin/recommendations/proposedactivity/{activity.pk}/change/"
    data = form_data(secretariat_admin.get(change_url))
    data["objectives-0-DELETE"] = "on"
    assert secretariat_admin.post(change_url, data).status_code == 302
    url = f"/admin/recommendations/proposedactivity/{activity.pk}/delete/"
    assert secretariat_admin.post(url, {"post": "yes"}).status_code == 302

    report = load()
    assert not ProposedActivity.objects.filter(pk=activity.pk).exists()
    assert f"proposed activity {activity.pk}: " in report and "deleted by carla on" in report

    report = load("--force")
    restored = ProposedActivity.objects.get(pk=activity.pk)
    assert restored.text == "Do a second thing." and restored.objectives.count() == 1
    assert f"proposed activity {activity.pk}: " in report


def test_a_record_added_in_the_admin_is_kept_and_exported(small_content, editor):
    parent = Recommendation.objects.get(meeting__slug="testville-2099", number="1", parent=None)
    added = Recommendation.objects.create(
        meeting=parent.meeting,
        roundtable=parent.roundtable,
        kind=parent.kind,
        parent=parent,
        position=3,
        number="c",
        text="An editor's sub-point.",
        source=parent.source,
    )
    report = load()
    assert Recommendation.objects.filter(pk=added.pk).exists()
    assert f"recommendation {added.pk}: " in report and "not in the files" in report

    export(small_content)
    assert f"id: {added.pk}" in (small_content / "testville-2099.yaml").read_text()
    assert "kept" not in load()
    assert Recommendation.objects.get(pk=added.pk).text == "An editor's sub-point."


def test_an_item_written_without_an_id_is_created_and_exported_with_its_id(small_content):
    path = small_content / "testville-2099.yaml"
    path.write_text(
        path.read_text()
        + '  - when: "July 2099"\n    text: "A step added to the files by hand."\n    source_location: "Timeline"\n'
    )
    assert "milestones: 1 created, 0 updated, 2 unchanged" in load()
    added = Milestone.objects.get(text="A step added to the files by hand.")
    assert added.position == 3
    assert "milestones: 0 created, 0 updated, 3 unchanged" in load()
    export(small_content)
    assert f'  - id: {added.pk}\n    when: "July 2099"\n' in path.read_text()


def test_a_record_the_files_no_longer_hold_is_removed(small_content):
    path = small_content / "testville-2099.yaml"
    export(small_content)
    milestone_text = '    text: "A preparatory meeting."\n'
    content = path.read_text()
    assert milestone_text in content
    start = content.rindex("  - id:", 0, content.index(milestone_text))
    path.write_text(
        content[:start]
        + content[content.index(milestone_text) + len(milestone_text) + len('    source_location: "Timeline"\n') :]
    )
    report = load()
    assert "milestones: 0 created, 1 updated, 0 unchanged, 1 deleted as the files no longer hold them" in report


def test_a_load_bumps_the_content_revision_once_and_only_if_it_wrote(small_content):
    revision = current_revision()
    Session.objects.update(title="Not as the files say")
    Recommendation.objects.update(text="Nor this.")
    load()
    assert current_revision() == revision + 1
    load()
    assert current_revision() == revision + 1
