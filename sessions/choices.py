"""Facet values for meetings, in their natural order, read from the database once per content revision."""

from lib.caching import per_revision


@per_revision
def meeting_years():
    from sessions.models import Meeting

    return [(year, str(year)) for year in Meeting.objects.values_list("year", flat=True)]


@per_revision
def meetings():
    from sessions.models import Meeting

    return [(m.slug, f"{m.city} {m.year}") for m in Meeting.objects.only("slug", "city", "year")]


@per_revision
def events():
    from sessions.models import Event

    return [(e.slug, e.title) for e in Event.objects.only("slug", "title")]


def uncovered(field):
    """The meetings (by slug, and by year) whose records of one kind, a coverage `field`, our sources do not give."""

    @per_revision(name=f"sessions.choices.uncovered.meetings.{field}")
    def meetings():
        from sessions.models import Coverage, Meeting

        return list(Meeting.objects.filter(**{field: Coverage.NONE}).values_list("slug", flat=True))

    @per_revision(name=f"sessions.choices.uncovered.years.{field}")
    def years():
        from sessions.models import Coverage, Meeting

        return list(Meeting.objects.filter(**{field: Coverage.NONE}).values_list("year", flat=True))

    return meetings, years


sessions_uncovered, session_years_uncovered = uncovered("sessions_coverage")
recommendations_uncovered, recommendation_years_uncovered = uncovered("recommendations_coverage")
