"""Links to many records of one kind from a single reverse().

A page listing a hundred points reversed a hundred URLs, each walking the
URL patterns again. A pattern's URL for a slug or an id is the same text
around the value whatever the value: a slug's and an int's converters give
the value as it is, and reverse() quotes nothing of `[-a-zA-Z0-9_]`. So one
reverse() with a placeholder for each value gives that text, and each link
is a format.
"""

from django.conf import settings
from django.urls import reverse


def absolute(path):
    """The address readers use for a path of the site: SITE_URL's, never the Host header a request chose."""
    return settings.SITE_URL + path


def placeholder(position):
    """Valid for the int and the slug converters alike, and in no URL of the site."""
    return f"{position:010d}"


def link_to(viewname, *arguments, **fixed):
    """A function of values (an id, a slug...) giving reverse(viewname, kwargs={argument: value, ..., **fixed})
    for the arguments named, in their order."""
    url = reverse(viewname, kwargs={**fixed, **{name: placeholder(i) for i, name in enumerate(arguments)}})
    template = url.replace("{", "{{").replace("}", "}}")
    for i in range(len(arguments)):
        template = template.replace(placeholder(i), f"{{{i}}}")
    return template.format
