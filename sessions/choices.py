"""Facet values for meetings, in their natural order, read from the database when a list is built."""


def meeting_years():
    from sessions.models import Meeting

    return [(year, str(year)) for year in Meeting.objects.values_list("year", flat=True)]


def meetings():
    from sessions.models import Meeting

    return [(m.slug, f"{m.city} {m.year}") for m in Meeting.objects.only("slug", "city", "year")]
