"""A source's reader: the whole text the knowledge base holds of it, each passage a record quotes marked
and linked to the records quoting it, the rest marked as not (yet) recorded (docs/reader.md).

For a primary document, the stored text (`SourceText`) and the anchors in it (`lib.anchoring`); for a
source of which no text is stored (a web page), the texts the records taken from it quote, with its
address, each under the id its records' links name.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gfmd.models import Anchor, SourceText
from lib import anchoring
from lib.caching import per_revision


def reading_of(source):
    """The share of the stored text the records cover, with the text's HTML as its reader shows it (a few
    hundred passages: rendered once per revision, not at each request); None for a source of which no text
    is stored (a web page)."""
    return rendered(source.pk)


@per_revision
def rendered(source_pk):
    reading = read(source_pk)
    if reading is None:
        return None
    html = render_to_string("gfmd/source_text_parts.html", {"parts": reading.pop("parts")})
    return reading | {"html": mark_safe(html)}  # noqa: S308 -- a template's output, escaped by it


def read(source_pk):
    text = SourceText.objects.filter(source=source_pk).values_list("text", flat=True).first()
    if text is None:
        return None
    anchors = (
        Anchor.objects.filter(source=source_pk)
        .order_by("start", "end", "pk")
        .values_list("start", "end", "fragment", "url", "label", "repairs")
    )
    return anchoring.reading(text, anchors)


def coverage_by_source():
    """{source: reading} of every source holding a stored text: what check_content and the docs report."""
    return {stored.source: read(stored.source_id) for stored in SourceText.objects.select_related("source")}
