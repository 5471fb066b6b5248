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

    # values_list gives the city in the reader's language with the same fallback a record's field has,
    # without making a model instance of each meeting (hundreds at 100x, once per revision and language).
    return [(slug, f"{city} {year}") for slug, city, year in Meeting.objects.values_list("slug", "city", "year")]


@per_revision
def events():
    """The other events reported beside a meeting, by slug."""
    from sessions.models import Event

    return list(Event.objects.values_list("slug", "title"))
