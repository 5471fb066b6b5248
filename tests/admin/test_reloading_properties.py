"""Whatever editors do in the admin, load_gfmd, load_gfmd --force and export_gfmd all succeed,
and an unforced load leaves every record an editor touched as the editor left it.

Hypothesis draws sequences of admin-level edits on the small made-up content of
tests/small_fixtures; each example is rolled back before the next.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag, TaggedItem

from gfmd.models import SourceDocument
from lib.editing import merge_tags as merge_in_admin
from lib.editing import taggings_of, tags_edited
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Milestone, Roundtable, Session
from themes.models import Theme

pytestmark = pytest.mark.django_db


def pick(queryset, index):
    records = list(queryset.order_by("pk"))
    return records[index % len(records)] if records else None


def free_position(model, index, **scope):
    taken = set(model.objects.filter(**scope).values_list("position", flat=True))
    return next(p for p in range(10 + index % 5, 100) if p not in taken)


def edit_text(index):
    record = pick(Recommendation.objects.all(), index)
    record.text = f"Corrected by an editor ({index})."
    record.save()
    return [record]


def set_kind(index):
    point = pick(Recommendation.objects.exclude(parent=None), index)
    if point is None:
        return []
    point.kind = ["follow-up", "key-message", "outcome-sought"][index % 3]
    point.save()
    return [point]


def set_position(index):
    point = pick(Recommendation.objects.exclude(parent=None), index)
    if point is None:
        return []
    point.position = free_position(Recommendation, index, parent=point.parent)
    point.save()
    return [point]


def move_milestone(index):
    milestone = pick(Milestone.objects.all(), index)
    if milestone is None:
        return []
    milestone.position = free_position(Milestone, index, meeting=milestone.meeting)
    milestone.save()
    return [milestone]


def rename_tag(index):
    tag = pick(Tag.objects.all(), index)
    if tag is None:
        return []
    tagged = [item.content_object for item in TaggedItem.objects.filter(tag=tag)]
    tag.name = f"renamed {index}"
    tag.save()
    tags_edited(taggings_of([tag]))  # as the tag admin does after a rename
    return tagged


def merge_tags(index):
    tags = list(Tag.objects.order_by("pk"))
    if len(tags) < 2:
        return []
    merged, into = tags[index % len(tags)], tags[(index + 1) % len(tags)]
    touched = [item.content_object for item in TaggedItem.objects.filter(tag=merged)]
    merge_in_admin([merged], into.name)  # what the tag admin's "Merge selected tags" does
    return touched


def move_session(index):
    session = pick(Session.objects.filter(roundtable__stage="held"), index)
    if session is None:
        return []
    others = Roundtable.objects.filter(meeting=session.meeting, track=session.roundtable.track, stage="held")
    target = pick(others.exclude(pk=session.roundtable_id), index)
    if target is None:
        return []
    session.roundtable = target
    session.number = f"{target.number}.{9 - index % 5}"
    session.slug = f"moved-{index}"
    session.save()
    return [session]


def move_recommendation(index):
    recommendation = pick(Recommendation.objects.filter(parent=None), index)
    target = pick(Roundtable.objects.filter(meeting=recommendation.meeting, track=recommendation.track), index + 1)
    recommendation.roundtable = target if target != recommendation.roundtable else None
    recommendation.session = None
    recommendation.save()
    return [recommendation]


def retheme(index):
    record = pick(Session.objects.all(), index)
    record.themes.set([pick(Theme.objects.all(), index)])
    record.save()  # the admin form saves the record with its links
    return [record]


def delete(index):
    model = [ProposedActivity, Session, Recommendation, Milestone][index % 4]
    record = pick(model.objects.all(), index)
    if record is None:
        return []
    gone = type(record)(pk=record.pk)
    record.delete()
    return [gone]


def add_sub_point(index):
    parent = pick(Recommendation.objects.filter(parent=None), index)
    added = Recommendation.objects.create(
        meeting=parent.meeting,
        track=parent.track,
        roundtable=parent.roundtable,
        session=parent.session,
        kind=parent.kind,
        parent=parent,
        position=free_position(Recommendation, index, parent=parent),
        number="z",
        text=f"Added by an editor ({index}).",
        source=SourceDocument.objects.order_by("pk").first(),
    )
    return [added]


EDITS = [
    edit_text,
    set_kind,
    set_position,
    move_milestone,
    rename_tag,
    merge_tags,
    move_session,
    move_recommendation,
    retheme,
    delete,
    add_sub_point,
]


def state(record):
    """Everything an editor can see of a record, or None once it is deleted."""
    model = type(record)
    current = model.objects.filter(pk=record.pk).first()
    if current is None:
        return None
    values = {f.attname: getattr(current, f.attname) for f in model._meta.concrete_fields if f.name != "loaded_version"}
    for field in model._meta.many_to_many:
        if field.name == "tags":
            values["tags"] = sorted(current.tags.names())
        else:
            values[field.name] = sorted(getattr(current, field.name).values_list("pk", flat=True))
    return values


def command(*args):
    call_command(*args, stdout=io.StringIO())


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 50)), min_size=1, max_size=4))
# A renamed tag, which a reload once took back, is tried whatever examples the run draws.
@example(edits=[(rename_tag, 0)])
@example(edits=[(merge_tags, 0)])
def test_no_admin_edit_breaks_loading_or_exporting(small_content, tmp_path_factory, edits):
    with transaction.atomic():
        touched = []
        for edit, index in edits:
            touched.extend(edit(index))
        before = {(type(r), r.pk): state(r) for r in touched}

        command("load_gfmd")
        after = {(type(r), r.pk): state(r) for r in touched}
        assert after == before

        command("export_gfmd", str(tmp_path_factory.mktemp("export")), "--from", str(small_content))
        command("load_gfmd", "--force")
        transaction.set_rollback(True)
