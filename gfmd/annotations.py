"""The anchors as W3C Web Annotations (JSON-LD): a page of annotations, each linking a record (its body)
to the span of its source's reader it quotes (its target), with a TextQuoteSelector and a
TextPositionSelector. `/api/annotations/`, `?source=<slug>` for one source (docs/reader.md)."""

from django.core.paginator import Paginator
from django.urls import reverse

from gfmd.models import Anchor, SourceDocument
from lib.links import absolute
from lib.listing import parse_paging

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'
PAGE_SIZE = 100
# The body is a record related to the span it quotes: W3C's "linking" motivation.
MOTIVATION = "linking"


def annotation_page(params):
    """(JSON-LD, None) of the page the parameters ask for, or (None, {parameter: [message]})."""
    number, _, errors = parse_paging(params)
    errors = {name: messages for name, messages in errors.items() if name == "page"}
    anchors = Anchor.objects.order_by("source__slug", "start", "end", "pk")
    slug = params.get("source", "")
    if slug:
        source = SourceDocument.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if source is None:
            errors["source"] = [f"No source has the slug {slug!r}: /sources/ lists them."]
        anchors = anchors.filter(source=source)
    if errors:
        return None, errors
    rows = anchors.values_list("source__slug", "start", "end", "exact", "prefix", "suffix", "url", "fragment")
    paginator = Paginator(rows, PAGE_SIZE)
    last = paginator.num_pages
    if number > last:
        return None, {"page": [f"There is no page {number}: there are {last}."]}
    found = paginator.page(number)
    items = [annotation(*row) for row in found.object_list]
    return page(slug, number, last, paginator.count, (number - 1) * PAGE_SIZE, items), None


def page_url(slug, number=None):
    query = [f"source={slug}"] if slug else []
    if number is not None:
        query.append(f"page={number}")
    return absolute(reverse("gfmd:annotations")) + ("?" + "&".join(query) if query else "")


def page(slug, number, last, total, start, items):
    found = {
        "@context": CONTEXT,
        "id": page_url(slug, number),
        "type": "AnnotationPage",
        "partOf": {"id": page_url(slug), "type": "AnnotationCollection", "total": total},
        "startIndex": start,
        "items": items,
    }
    if number > 1:
        found["prev"] = page_url(slug, number - 1)
    if number < last:
        found["next"] = page_url(slug, number + 1)
    return found


def annotation(slug, start, end, exact, prefix, suffix, url, fragment):
    reader = absolute(reverse("gfmd:source", kwargs={"slug": slug}))
    return {
        "id": f"{page_url(slug)}#{fragment}",
        "type": "Annotation",
        "motivation": MOTIVATION,
        "body": absolute(url),
        "target": {
            "source": reader,
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }
