"""Facet values for meetings, in their natural order, read from the database once per content revision."""

from lib import vocabulary
from lib.caching import per_revision


@per_revision
def meeting_years():
    from sessions.models import Meeting

    return [(year, str(year)) for year in Meeting.objects.values_list("year", flat=True)]


@per_revision
def meeting_cities():
    """[(slug, year, {language: city})]: every language's, kept once for all of them."""
    from sessions.models import Meeting

    return [(m.slug, m.year, vocabulary.by_language(m, "city")) for m in Meeting.objects.all()]


def meetings():
    """[(slug, "Manila 2008")], the city in the reader's language (Manille 2008), or the English."""
    return [(slug, f"{vocabulary.pick(cities)} {year}") for slug, year, cities in meeting_cities()]


@per_revision
def events():
    """The other events reported beside a meeting, by slug."""
    from sessions.models import Event

    return [(e.slug, e.title) for e in Event.objects.select_related("meeting")]
