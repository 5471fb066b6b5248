"""How the pages print a point's number and name: filters of the pages' environment (gfmd/jinja.py)."""

from django.utils.html import format_html
from django.utils.translation import gettext


def printed_number(record):
    """A point's number or a sub-point's letter as printed; one the source does not print is bracketed and said
    to be restored. A filter rather than a partial: the pages listing points print a hundred of them."""
    if record.number_restored:
        return format_html(
            '<span class="restored" title="{}">[{}]</span>',
            gettext("Not printed in the source: restored by counting"),
            record.number,
        )
    return record.number


def permalink_name(record):
    """What a point's permalink is called, so that a page of them reads as a list of different links: its
    kind, number and first words ("Recommendation 8: Improve the regulatory environment…"), a sub-point by
    its parent ("Point b of recommendation 8"). A source numbers some lists again in each session, and a
    theme's page holds every year's recommendation 1: the words tell them apart."""
    # Read from the record's own fields: a page listing top-level points alone does not read `parent`,
    # and asking for it would cost a query a point.
    parent = record.parent if record.__dict__.get("parent_id") else None
    if parent is not None:
        said = {"number": record.number, "kind": parent.get_kind_display().lower(), "parent": parent.number}
        if record.number and parent.number:
            name = gettext("Point %(number)s of %(kind)s %(parent)s") % said
        elif record.number:
            name = gettext("Point %(number)s of %(kind)s") % said
        elif parent.number:
            name = gettext("Point of %(kind)s %(parent)s") % said
        else:
            name = gettext("Point of %(kind)s") % said
    else:
        name = record.get_kind_display() + (f" {record.number}" if record.number else "")
    words = record.text.split()
    return f"{name}: {' '.join(words[:6])}{'…' if len(words) > 6 else ''}"
