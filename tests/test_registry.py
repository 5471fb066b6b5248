"""What the apps declare of their records, and how lib/ reads it without naming them."""

import pytest
from django.apps import apps

from gfmd.models import SourceDocument
from lib import search
from lib.content import content_models, parents, sourced_models
from lib.counting import has_stages, held
from lib.models import Sourced, Versioned, configured_model
from recommendations.models import GMGMember, ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Milestone, Passage, Roundtable, Session
from themes.models import Theme


def test_the_content_models_are_the_models_an_editor_versions():
    assert set(content_models()) == {model for model in apps.get_models() if issubclass(model, Versioned)}
    assert {Meeting, Session, Recommendation, ProposedActivity, GMGMember, Theme, SourceDocument} <= set(
        content_models()
    )


def test_each_content_model_comes_after_the_models_it_points_to():
    order = {model: position for position, model in enumerate(content_models())}
    for model in content_models():
        for parent in parents(model):
            if parent in order and parent is not model:
                assert order[parent] < order[model], f"{model.__name__} before its parent {parent.__name__}"


def test_the_sourced_models_are_the_content_models_citing_a_source():
    assert set(sourced_models()) == {model for model in content_models() if issubclass(model, Sourced)}
    assert Theme not in sourced_models()


def test_the_models_lib_works_with_are_named_by_settings():
    assert configured_model("SOURCE_DOCUMENT_MODEL") is SourceDocument
    assert Session._meta.get_field("source").related_model is SourceDocument
    assert search.index_model()._meta.app_label == "gfmd"


@pytest.mark.parametrize("model", [Session, Roundtable, Recommendation])
def test_held_narrows_the_records_of_a_model_with_stages(model):
    assert has_stages(model)
    everything = model.objects.all()
    assert str(held(everything).query) == str(everything.held().query) != str(everything.query)


@pytest.mark.parametrize("model", [Meeting, Event, Milestone, Passage, Section, Theme, SourceDocument])
def test_held_keeps_every_record_of_a_model_without_stages(model):
    assert not has_stages(model)
    everything = model.objects.all()
    assert held(everything) is everything


def test_the_kinds_of_search_document_put_entities_first_by_priority_then_records_as_registered():
    assert list(search.KINDS) == [
        "meeting",
        "gmg_member",
        "theme",
        "event",
        "source",
        "text",
        "roundtable",
        "session",
        "passage",
        "milestone",
        "recommendation",
        "activity",
    ]
    assert search.kind_of(ProposedActivity) == "activity"
    with pytest.raises(LookupError):
        search.kind_of(Section)


def test_the_documents_showing_a_record_are_those_every_app_declared(monkeypatch):
    """The sessions app declares that a meeting's sessions show it, the recommendations app its points and
    activities: both are asked."""
    monkeypatch.setattr("sessions.search_documents.sessions", lambda **lookup: [("session", 1)])
    monkeypatch.setattr("recommendations.search_documents.points", lambda **lookup: [("recommendation", 2)])
    monkeypatch.setattr("recommendations.search_documents.activities", lambda **lookup: [("activity", 3)])
    monkeypatch.setattr("sessions.search_documents.of_kind", lambda kind, model, **lookup: [(kind, 4)])
    meeting = Meeting(pk=7)
    assert sorted(search.DEPENDENTS[Meeting._meta.label](meeting)) == [
        ("activity", 3),
        ("milestone", 4),
        ("passage", 4),
        ("recommendation", 2),
        ("roundtable", 4),
        ("session", 1),
    ]
