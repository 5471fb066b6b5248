"""The Jinja2 environments of the pages a reader renders afresh most often: the faceted lists' bodies,
and the detail pages' bodies.

A list body (its filters, facets and records) is rendered by Jinja2 inside the
site's Django layout: at a hundred facet values and a page of records, Jinja2
renders it in half the time Django's engine takes. Its names match the Django
tags the other pages use: `url`, `static`, and the filters `linebreaksbr`,
`pluralize`; `django_template` gives a passage a Django page shares.

A detail page's body (a meeting's, a session's, a theme's, the themes table) is
rendered the same way by a second environment, `pages` (jinja2/pages/), which
writes what the Django templates of those pages wrote, byte for byte: each
value is escaped as Django escapes it (an apostrophe `&#x27;`, a quote
`&quot;`, where Jinja2 writes `&#39;` and `&#34;`), and the filters are
Django's.
"""

import html
from collections import namedtuple
from itertools import groupby

from django.template.defaultfilters import (
    capfirst,
    date,
    linebreaks_filter,
    linebreaksbr,
    pluralize,
    truncatewords,
    urlencode,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from markupsafe import Markup

from jinja2 import Environment


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def django_template(name, **context):
    """A Django template's text, for a passage the Django pages share (the search help)."""
    return mark_safe(render_to_string(name, context, using="django"))


def environment(**options):
    env = Environment(**options)
    env.globals.update(url=url, static=static, django_template=django_template)
    env.filters.update(linebreaksbr=linebreaksbr, pluralize=pluralize)
    return env


Group = namedtuple("Group", "grouper list")


def regroup(items, attribute):
    """Django's `{% regroup items by attribute %}`: runs of neighbours sharing the attribute's value, in the
    items' order (Jinja2's `groupby` sorts them first). A method, such as `get_kind_display`, is called."""

    def key(item):
        value = getattr(item, attribute)
        return value() if callable(value) else value

    return [Group(grouper, list(run)) for grouper, run in groupby(items, key)]


def escape_as_django(value):
    """A value as Django's templates print it: Django's `conditional_escape`, whose `escape` is the standard
    library's, without the wrapper `escape` has for lazy strings, which cost as much as the escaping."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


def page_environment(**options):
    """The detail pages' environment: Django's escaping of every value printed, and Django's filters."""
    env = environment(finalize=escape_as_django, **options)
    env.filters.update(
        capfirst=capfirst,
        date=date,
        linebreaks=linebreaks_filter,
        regroup=regroup,
        truncatewords=truncatewords,
        urlencode=urlencode,
    )
    return env
