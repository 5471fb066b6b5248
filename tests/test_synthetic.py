"""generate_synthetic copies every record for the benchmark's larger scales, and clears them again.

On the small made-up content of tests/small_fixtures: the copies are the mechanism, not the content.
"""

import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db.models import F
from taggit.models import TaggedItem

from gfmd.models import SourceDocument
from recommendations.models import Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Meeting, Milestone, Roundtable, Session

pytestmark = pytest.mark.usefixtures("small_content")

COPIED = [Meeting, Milestone, Roundtable, Session, Recommendation, Section, ProposedActivity, SubActivity, Objective]
LINKS = [
    Roundtable.themes.through,
    Session.themes.through,
    Recommendation.themes.through,
    ProposedActivity.themes.through,
    ProposedActivity.gmg_members.through,
    TaggedItem,
]


def generate(*args):
    call_command("generate_synthetic", *args, stdout=io.StringIO())


def counts():
    return {model: model._default_manager.count() for model in COPIED + LINKS}


def snapshot(ids=None):
    """Every copied record, its links included, serialized; only the given pks of each model if ids is given."""
    rows = {}
    for model in COPIED:
        records = model._default_manager.order_by("pk")
        if ids is not None:
            records = records.filter(pk__in=ids[model])
        rows[model] = json.loads(serializers.serialize("json", records))
    rows[TaggedItem] = sorted(TaggedItem.objects.values_list("content_type", "object_id", "tag"))
    return rows


def test_scale_two_adds_two_copies_of_every_record_and_link():
    before = counts()
    generate("--scale", "2")
    after = counts()
    for model, n in before.items():
        assert n > 0, model
        assert after[model] == 3 * n, model


def test_synthetic_records_are_marked_and_leave_the_real_content_alone():
    real_ids = {model: set(model._default_manager.values_list("pk", flat=True)) for model in COPIED}
    real_tags = snapshot()[TaggedItem]
    before = snapshot()
    generate("--scale", "2")
    after = snapshot(real_ids)
    for model in COPIED:
        assert after[model] == before[model], model
    assert set(real_tags) <= set(snapshot()[TaggedItem])

    source = SourceDocument.objects.get(slug="synthetic-benchmark-data")
    assert source.kind == "report" and "synthetic" in source.title.lower()
    synthetic_meetings = Meeting.objects.exclude(pk__in=real_ids[Meeting])
    assert all(m.year >= 2100 and m.slug.startswith("synthetic-") for m in synthetic_meetings)
    for model in COPIED:
        new = model._default_manager.exclude(pk__in=real_ids[model])
        path = "activity__source" if model in (SubActivity, Objective) else "source"
        assert new.exclude(**{path: source}).count() == 0, model
    # Sub-points hang from synthetic parents of the same copy, never from real ones.
    children = Recommendation.objects.filter(source=source, parent__isnull=False)
    assert children.exists()
    assert not children.exclude(parent__source=source).exists()
    assert not children.exclude(parent__meeting=F("meeting")).exists()


def test_clear_removes_exactly_the_synthetic_records():
    before_counts, before = counts(), snapshot()
    sources = set(SourceDocument.objects.values_list("slug", flat=True))
    generate("--scale", "2")
    generate("--clear")
    assert counts() == before_counts
    assert snapshot() == before
    assert set(SourceDocument.objects.values_list("slug", flat=True)) == sources


def test_running_it_again_replaces_the_earlier_synthetic_records():
    before = counts()
    generate("--scale", "1")
    generate("--scale", "1")
    assert counts() == {model: 2 * n for model, n in before.items()}


def test_pages_cached_before_show_the_synthetic_records_after(client):
    meetings = Meeting.objects.count()
    assert client.get("/api/meetings/").json()["count"] == meetings
    generate("--scale", "1")
    assert client.get("/api/meetings/").json()["count"] == 2 * meetings
    generate("--clear")
    assert client.get("/api/meetings/").json()["count"] == meetings
