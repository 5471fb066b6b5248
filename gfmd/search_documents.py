"""What a source document puts in its search document (lib.search); each app declares its own kinds."""

from django.utils.translation import gettext_lazy as _

from gfmd.models import SourceDocument, UnrecordedText
from lib import search
from lib.search.registry import joined


def source_document(source):
    return {
        "url": source.get_absolute_url(),
        "label": source.title,
        "names": source.title,
        "body": joined(source.issuer, source.description),
    }


def unrecorded_text(stretch):
    return {
        "url": stretch.get_absolute_url(),
        "label": f"{stretch.source.title}: text no record quotes",
        "body": " ".join(stretch.text.split()),
    }


def register():
    search.register(
        "source",
        priority=1,
        model=SourceDocument,
        label=_("Source document"),
        plural=_("Source documents"),
        queryset=SourceDocument.objects.all,
        build=source_document,
    )
    search.register(
        "text",
        model=UnrecordedText,
        label=_("Text of a source"),
        plural=_("Texts of sources no record quotes"),
        queryset=lambda: UnrecordedText.objects.select_related("source"),
        build=unrecorded_text,
    )
