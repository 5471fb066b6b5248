"""Facet values for meetings, in their natural order, read from the database once per content revision."""

from lib.caching import per_revision


@per_revision
def meeting_years():
    from sessions.models import Meeting

    return [(year, str(year)) for year in Meeting.objects.values_list("year", flat=True)]


@per_revision
def meetings():
    """[(slug, "Manila 2008")], the city in the reader's language (Manille 2008), or the English."""
    from sessions.models import Meeting

    return [(m.slug, f"{m.city} {m.year}") for m in Meeting.objects.all()]


@per_revision
def events():
    """The other events reported beside a meeting, by slug."""
    from sessions.models import Event

    return [(e.slug, e.title) for e in Event.objects.select_related("meeting")]
