"""Pages whose body Jinja2 renders inside their Django template (see gfmd/jinja.py)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def render_with_body(request, template, body, context):
    """The Django template `template` (the layout, its title and the parts it shares with other pages), given
    as `body` what the Jinja2 template `body` (jinja2/pages/) makes of the same context."""
    context["body"] = mark_safe(render_to_string(body, context, request, using="pages"))
    return render(request, template, context)
