import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from gfmd.models import SourceDocument
from lib.content import content_models
from sessions.models import Meeting

pytestmark = pytest.mark.django_db


def snapshot():
    rows = []
    for model in content_models():
        rows.append(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    return rows


def test_the_content_is_loaded():
    assert Meeting.objects.count() == 6
    assert SourceDocument.objects.filter(slug="gmg-matrix-2007").exists()


def test_loading_twice_changes_nothing():
    before = snapshot()
    out = io.StringIO()
    call_command("load_gfmd", stdout=out)
    assert snapshot() == before
    report = out.getvalue()
    assert "meetings: 0 created, 0 updated, 6 unchanged" in report
    assert " 0 created, 0 updated" in report
    assert "updated" in report and all(" 0 created, 0 updated" in line for line in report.splitlines()[1:])


def test_loading_restores_a_changed_record():
    Meeting.objects.filter(slug="athens-2009").update(city="Atlantis")
    out = io.StringIO()
    call_command("load_gfmd", stdout=out)
    assert Meeting.objects.get(slug="athens-2009").city == "Athens"
    assert "meetings: 0 created, 1 updated, 5 unchanged" in out.getvalue()


def test_a_broken_fixture_is_reported_with_its_file(tmp_path, settings):
    (tmp_path / "sources.yaml").write_text("sources:\n  - slug: x\n    title: X\n    kind: not-a-kind\n")
    settings.GFMD_FIXTURES_DIR = tmp_path
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="sources.yaml.*kind"):
        call_command("load_gfmd", stdout=io.StringIO())
