"""The content models, listed once: what the public pages show, editors change and the fixtures hold.

Named by label so that this module imports no app. Parents come before their
children: the order in which records are loaded, and the reverse of the order
in which they can be deleted.
"""

from django.apps import apps

CONTENT_MODEL_LABELS = [
    "gfmd.SourceDocument",
    "themes.Theme",
    "recommendations.GMGMember",
    "gfmd_sessions.Meeting",
    "gfmd_sessions.Event",
    "gfmd_sessions.Roundtable",
    "gfmd_sessions.Session",
    "gfmd_sessions.Milestone",
    "gfmd_sessions.Passage",
    "recommendations.Recommendation",
    "recommendations.Section",
    "recommendations.ProposedActivity",
    "recommendations.SubActivity",
    "recommendations.Objective",
]


def content_models():
    return [apps.get_model(label) for label in CONTENT_MODEL_LABELS]


def sourced_models():
    """The content models that cite a source document."""
    return [model for model in content_models() if any(f.name == "source" for f in model._meta.concrete_fields)]
