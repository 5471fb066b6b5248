"""The Jinja2 environment every public page is rendered in (templates/); the admin keeps Django's templates
(gfmd/templates/).

A page prints what a Django template would: each value localized and escaped as Django does it (an
apostrophe `&#x27;`, a quote `&quot;`), the translation tags written as Django's (lib/jinja_i18n.py), and
Django's own filters under their names. A method is called with `()`, as in Python.
"""

import html
from itertools import groupby
from types import SimpleNamespace

from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context, pass_eval_context
from markupsafe import Markup

from gfmd.printing import english, english_lang, takes_plural, translation_note
from lib.jinja_i18n import TranslationTags, translate
from recommendations.printing import permalink_name, printed_number


@pass_eval_context
def printed(eval_context, value):
    """A value as Django's templates print it (`render_value_in_context`): localized, then escaped as Django
    escapes (`html.escape`) unless it is marked safe or the page is not HTML (`{% autoescape false %}`).
    Django's `escape` is the standard library's behind a wrapper for lazy strings, which costs as much as
    the escaping: a page prints some thousands of values."""
    if hasattr(value, "__html__"):
        return value
    if type(value) is not str:
        # An integer prints as it is: the site does not group thousands (USE_THOUSAND_SEPARATOR).
        value = str(value) if type(value) is int else str(localize(template_localtime(value)))
    return Markup(html.escape(value)) if eval_context.autoescape else value


def url(name, /, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


@pass_context
def querystring(context, **changes):
    """Django's `{% querystring %}`: the request's query string with `changes` made (None removes a key)."""
    return defaulttags.querystring(SimpleNamespace(request=context["request"]), **changes)


def regroup(items, path):
    """Django's `{% regroup items by path %}`: runs of neighbours sharing the value at `path` (dotted; a key
    or an attribute; a method, such as `get_kind_display`, is called), in the items' order (Jinja2's
    `groupby` sorts them first)."""

    def key(item):
        for name in path.split("."):
            item = item[name] if isinstance(item, dict) else getattr(item, name)
            if callable(item):
                item = item()
        return item

    return [{"grouper": grouper, "list": list(run)} for grouper, run in groupby(items, key)]


def widthratio(value, max_value, max_width):
    """Django's `{% widthratio %}`: `value` of `max_value` as a share of `max_width`, rounded."""
    try:
        return round(value / max_value * max_width)
    except ZeroDivisionError:
        return 0


def escaping(function):
    """A Django filter that escapes its input itself, told whether the page escapes, as Django tells it."""

    @pass_eval_context
    def filtered(eval_context, value, *args):
        return function(value, *args, autoescape=eval_context.autoescape)

    return filtered


def environment(**options):
    # A template's last line ends with its newline, and a value a page lacks prints as nothing, whatever is
    # asked of it, as in Django's.
    options["undefined"] = ChainableUndefined
    env = Environment(extensions=[TranslationTags], finalize=printed, keep_trailing_newline=True, **options)
    env.globals.update(
        # Django's `_("…")`: a literal's translation, as a value.
        _=translate,
        url=url,
        static=static,
        querystring=querystring,
        get_language=translation.get_language,
        translation_note=translation_note,
        widthratio=widthratio,
    )
    env.filters.update(
        add=defaultfilters.add,
        capfirst=defaultfilters.capfirst,
        date=defaultfilters.date,
        force_escape=defaultfilters.force_escape,
        default=defaultfilters.default,
        join=escaping(defaultfilters.join),
        linebreaks=escaping(defaultfilters.linebreaks_filter),
        linebreaksbr=escaping(defaultfilters.linebreaksbr),
        lower=defaultfilters.lower,
        pluralize=defaultfilters.pluralize,
        regroup=regroup,
        truncatechars=defaultfilters.truncatechars,
        truncatewords=defaultfilters.truncatewords,
        urlencode=defaultfilters.urlencode,
        # The project's own.
        english=english,
        english_lang=english_lang,
        permalink_name=permalink_name,
        printed_number=printed_number,
        takes_plural=takes_plural,
    )
    return env
