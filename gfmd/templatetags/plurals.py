"""A count's noun in the reader's language, by that language's own rule: French counts 0 as one."""

from django import template
from django.utils.translation import trans_real

register = template.Library()


@register.filter
def takes_plural(count):
    """Whether the active language writes `count` with a plural noun (the catalogue's Plural-Forms rule)."""
    rule = getattr(trans_real.catalog(), "plural", None)
    return bool(rule(count)) if rule else count != 1
