"""Counts a reader sees count records as held at a meeting, never plans, drafts or other events.

A model whose records may be other than held says what `held` means for it with a
`held()` method on its QuerySet; the records of any other model are all held.
"""


def held(queryset):
    """Only what was held. Every count on the indexes goes through here."""
    return queryset.held() if hasattr(queryset, "held") else queryset


def not_held(queryset):
    """What `held` leaves out: plans, drafts, other events."""
    return queryset.exclude(pk__in=held(queryset.model._default_manager.all()).values("pk"))


def has_stages(model):
    """Whether some records of this kind may be other than held: `held` narrows their queryset."""
    return hasattr(model._default_manager.all(), "held")
