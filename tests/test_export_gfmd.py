"""export_gfmd gives back the files it was loaded from, and writes an edit where the files have it.

A fresh load of the real content exports byte for byte; the edits are made on the small made-up content
of tests/small_fixtures, whose files are a tenth of the size to write and compare.
"""

import difflib
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from lib.content import content_models
from pipeline.structure import all_nodes
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Roundtable, Session

pytestmark = pytest.mark.django_db

FIXTURES = settings.GFMD_FIXTURES_DIR


def export(directory):
    call_command("export_gfmd", str(directory), stdout=io.StringIO())
    return directory


def changed_lines(directory, fixtures):
    """The lines a `git diff` of the export against the files loaded would show, per file."""
    changes = {}
    for path in sorted(fixtures.glob("*.yaml")):
        old = path.read_text(encoding="utf-8").splitlines()
        new = (directory / path.name).read_text(encoding="utf-8").splitlines()
        lines = [
            line
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if lines:
            changes[path.name] = lines
    return changes


def test_exporting_a_fresh_load_gives_back_the_files_byte_for_byte(tmp_path):
    out = export(tmp_path / "export")
    names = sorted(p.name for p in FIXTURES.glob("*.yaml"))
    assert sorted(p.name for p in out.glob("*.yaml")) == names
    assert len(names) >= 13
    for name in names:
        assert (out / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    comments = sum(
        1 for p in out.glob("*.yaml") for line in p.read_text().splitlines() if line.lstrip().startswith("#")
    )
    assert comments >= 134


def test_an_edit_shows_in_the_diff_as_exactly_that_edit(tmp_path, small_content):
    session = Session.objects.get(meeting__slug="testville-2099", slug="1-1")
    old_title = session.title
    session.title = "A corrected title"
    session.save()
    changes = changed_lines(export(tmp_path / "export"), small_content)
    assert changes == {
        "testville-2099.yaml": [
            f'-        title: "{old_title}"',
            '+        title: "A corrected title"',
        ]
    }


def test_a_new_paragraph_and_a_new_field_are_written_in_place(tmp_path, small_content):
    roundtable = Roundtable.objects.get(meeting__slug="testville-2099", stage="held", number=1)
    roundtable.editorial_note = "A note an editor added.\n\nIn two paragraphs."
    roundtable.save()
    roundtable.tags.add("a new tag")
    changes = changed_lines(export(tmp_path / "export"), small_content)
    assert list(changes) == ["testville-2099.yaml"]
    assert changes["testville-2099.yaml"] == [
        "+    editorial_note: |",
        "+      A note an editor added.",
        "+",
        "+      In two paragraphs.",
        "-    tags: [alpha, beta]",
        "+    tags: [alpha, beta, a new tag]",
    ]


def test_a_record_added_in_the_admin_goes_where_its_parent_is(tmp_path, small_content):
    parent = Recommendation.objects.get(meeting__slug="testville-2099", parent=None, number="1")
    last = parent.children.order_by("-position").first()
    new = Recommendation.objects.create(
        meeting=parent.meeting,
        track=parent.track,
        roundtable=parent.roundtable,
        session=parent.session,
        kind=parent.kind,
        parent=parent,
        position=last.position + 1,
        number="z",
        text="A sub-point an editor added.",
        group_heading=parent.group_heading,
        source=parent.source,
    )
    new.themes.set(parent.themes.all())
    out = export(tmp_path / "export")
    changes = changed_lines(out, small_content)
    assert len(changes) == 1
    (lines,) = changes.values()
    assert [line.replace(" ", "") for line in lines] == [
        f"+-id:{new.pk}",
        "+number:z",
        "+text:Asub-pointaneditoradded.",
    ]
    # Below its siblings, indented as they are.
    sibling = f"- id: {last.pk}"
    assert any(line.endswith(sibling) and line.index("-") == lines[0][1:].index("-") for line in out_lines(out))


def out_lines(directory):
    return [line for path in directory.glob("*.yaml") for line in path.read_text().splitlines()]


def test_a_deleted_record_leaves_the_files(tmp_path, small_content):
    activity = ProposedActivity.objects.order_by("pk").last()
    text_start = activity.text.split()[0:4]
    activity.delete()
    changes = changed_lines(export(tmp_path / "export"), small_content)
    assert list(changes) == ["testville-2099.yaml"]
    removed = changes["testville-2099.yaml"]
    assert all(line.startswith("-") for line in removed)
    assert any(" ".join(text_start) in line for line in removed)


def test_every_field_an_editor_can_change_is_in_the_files():
    """A field the declaration of the files leaves out would be lost by an export and a restore."""
    covered = {}
    for node in all_nodes():
        covered.setdefault(node.model, set()).update(attr for f in node.fields for attr in f.attrs)
    missing = {
        f"{model.__name__}.{field.name}"
        for model in content_models()
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created and field.editable
        if field.name not in covered.get(model, set()) | {"version", "loaded_version"}
    }
    assert not missing
