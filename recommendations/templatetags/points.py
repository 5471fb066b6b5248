from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def printed_number(record):
    """A point's number or a sub-point's letter as printed; one the source does not print is bracketed and said
    to be restored. A filter rather than a partial: the pages listing points print a hundred of them."""
    if record.number_restored:
        return format_html(
            '<span class="restored" title="Not printed in the source: restored by counting">[{}]</span>', record.number
        )
    return record.number
