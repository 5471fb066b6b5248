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


def not_held(queryset):
    """What `held` leaves out: plans, drafts, other events."""
    return queryset.exclude(pk__in=held(queryset.model._default_manager.all()).values("pk"))


def has_stages(model):
    """Whether some records of this kind may be other than held: `held` narrows their queryset."""
    everything = model._default_manager.all()
    return held(everything) is not everything
