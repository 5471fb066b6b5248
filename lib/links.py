"""Links to many records of one kind from a single reverse().

A page listing a hundred points reversed a hundred URLs, each walking the
URL patterns again. A pattern's URL for a slug or an id is the same text
around the value whatever the value: a slug's and an int's converters give
the value as it is, and reverse() quotes nothing of `[-a-zA-Z0-9_]`. So one
reverse() with a placeholder gives that text, and each link is a format.
"""

from django.urls import reverse

# Valid for the int and the slug converters alike, and in no URL of the site.
PLACEHOLDER = "0000000000"


def link_to(viewname, argument, **fixed):
    """A function of a value (an id, a slug) giving reverse(viewname, kwargs={argument: value, **fixed})."""
    head, tail = reverse(viewname, kwargs={argument: PLACEHOLDER, **fixed}).split(PLACEHOLDER)
    return lambda value: f"{head}{value}{tail}"
