"""Counts a reader sees count records as held at a meeting, never plans, drafts or other events."""


def held(queryset):
    """Only what was held. Every count on the indexes goes through here, so that the models'
    own `held()` is used as soon as they have one."""
    if hasattr(queryset, "held"):
        return queryset.held()
    label = queryset.model._meta.label
    if label == "gfmd_sessions.Session":
        return queryset.filter(roundtable__stage="held")
    if label == "gfmd_sessions.Roundtable":
        return queryset.filter(stage="held")
    return queryset
