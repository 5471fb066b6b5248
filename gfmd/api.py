"""The API's endpoints, as the OpenAPI description lists them: each read from the declarations its view runs on."""

from gfmd import annotations
from gfmd.models import SourceDocument
from gfmd.searching import search_list
from lib.openapi import FORMAT, Endpoint, contract_record, document
from recommendations.views import activities_list, recommendations_list
from sessions.coverage import COVERAGE_WORD
from sessions.views import sessions_list

TITLE = "GFMD Knowledge Base API"
VERSION = "1.0"
DESCRIPTION = (
    "Read-only JSON of the GFMD Knowledge Base: the meetings of the Global Forum on Migration and Development "
    "2007-2012, their sessions and recommendations, and the activities the Global Migration Group proposed. "
    "No key or login. Every list answers with `count`, `next`, `previous`, `results` and `facets`; a facet "
    "value's count is what choosing it would give with every other filter applied. A list page of the site "
    "takes the same parameters: `/activities/?gmg_member=UNODC` and `/api/activities/?gmg_member=UNODC` show "
    "the same records. A parameter the API cannot read is a 400 that says why, and so is any `format` but `json`. "
    "Defaults are declared: without `stage`, the sessions and recommendations lists show what was held, not "
    "plans or drafts; without `event`, the recommendations list shows the meetings' own points, not those of "
    "other events reported beside them. Every answer carries `defaults`, whose `left_out` counts the records "
    "the defaults left out, keyed by the parameter that shows them (`stage=planned`). Unknown is never zero: "
    "a meeting whose records of a kind are not in the sources has a facet `count` of null and `coverage` "
    "`not-in-sources`; `/api/meetings/` gives each meeting's `coverage`. Sessions, recommendations and "
    "activities carry `links`: the links by editors between the record and others, both ways (`direction` "
    "`outgoing` or `incoming`), each with the other record's page, the editor's note and the source's quote."
)

# The meetings' endpoint is not a faceted list: its records are described by the fields the API contract
# promises (docs/api.md). A list's records are described by its columns.
INTEGER, STRING = {"type": "integer"}, {"type": "string"}
DATE = {"type": "string", "format": "date"}
MEETING = {
    "id": INTEGER,
    "url": {"type": "string", "format": "uri-reference", "description": "The record's page."},
    "slug": STRING,
    "year": INTEGER,
    "city": STRING,
    "country": STRING,
    "start_date": DATE | {"description": "First day of the government meeting."},
    "end_date": DATE | {"description": "Last day of the government meeting."},
    "coverage": {
        "type": "object",
        "description": "What the sources give of the meeting's sessions and recommendations: `complete`, "
        "`partial` or `not-in-sources` (a count of none is then unknown, not zero); `held`, how many were "
        "held where a source says; `note`, our words on what the sources cover.",
        "required": ["sessions", "recommendations", "held", "note"],
        "properties": {
            "sessions": COVERAGE_WORD,
            "recommendations": COVERAGE_WORD,
            "held": {
                "type": "object",
                "properties": {
                    "sessions": {"type": ["integer", "null"]},
                    "recommendations": {"type": ["integer", "null"]},
                },
            },
            "note": STRING,
        },
    },
}


SELECTORS = {
    "type": "array",
    "description": "Where in the source's stored text: a TextQuoteSelector (`exact` text, with the `prefix` "
    "and `suffix` around it) and a TextPositionSelector (`start` and `end`, character offsets).",
    "prefixItems": [
        {
            "type": "object",
            "required": ["type", "exact", "prefix", "suffix"],
            "properties": {"type": {"const": "TextQuoteSelector"}, "exact": STRING, "prefix": STRING, "suffix": STRING},
        },
        {
            "type": "object",
            "required": ["type", "start", "end"],
            "properties": {"type": {"const": "TextPositionSelector"}, "start": INTEGER, "end": INTEGER},
        },
    ],
}
URI = {"type": "string", "format": "uri"}
ANNOTATION = {
    "type": "object",
    "required": ["id", "type", "motivation", "body", "target"],
    "properties": {
        "id": URI,
        "type": {"const": "Annotation"},
        "motivation": {"const": annotations.MOTIVATION},
        "body": URI | {"description": "The record's page: the record quoting the span."},
        "target": {
            "type": "object",
            "description": "The span the record quotes: `source`, the source's reader; `selector`, where in it.",
            "required": ["source", "selector"],
            "properties": {"source": URI, "selector": SELECTORS},
        },
    },
}
ANNOTATION_PAGE = {
    "type": "object",
    "description": "A W3C Web Annotation AnnotationPage (JSON-LD), of at most "
    f"{annotations.PAGE_SIZE} annotations; `next` and `prev` link its neighbours.",
    "required": ["@context", "id", "type", "partOf", "startIndex", "items"],
    "properties": {
        "@context": {"const": annotations.CONTEXT},
        "id": URI,
        "type": {"const": "AnnotationPage"},
        "partOf": {
            "type": "object",
            "description": "The collection: every annotation (of the source asked for), and how many.",
            "properties": {"id": URI, "type": {"const": "AnnotationCollection"}, "total": INTEGER},
        },
        "startIndex": INTEGER,
        "next": URI,
        "prev": URI,
        "items": {"type": "array", "items": ANNOTATION},
    },
}


def annotation_parameters():
    """The sources' slugs are read from the database, as the lists' choices are."""
    slugs = list(SourceDocument.objects.order_by("slug").values_list("slug", flat=True))
    return [
        {
            "name": "source",
            "in": "query",
            "description": "A source's slug (`/sources/`): its annotations alone.",
            "schema": {"type": "string", "enum": slugs},
        },
        {
            "name": "page",
            "in": "query",
            "description": "Which page, from 1.",
            "schema": {"type": "integer", "minimum": 1},
        },
        FORMAT,
    ]


def endpoints():
    return [
        Endpoint(
            "/api/meetings/",
            "meetings",
            "The meetings of the Forum, first to last, each with what the sources cover of it.",
            record=contract_record(MEETING),
            parameters=[FORMAT],
            description="Every meeting; nothing is left out.",
        ),
        Endpoint.for_list(sessions_list, "sessions", "Sessions of the meetings' roundtables."),
        Endpoint.for_list(
            recommendations_list,
            "recommendations",
            "Recommendations, follow-up actions, outcomes sought, key messages.",
        ),
        Endpoint.for_list(
            activities_list,
            "activities",
            "The activities the GMG proposed for the 2007 roundtables.",
        ),
        Endpoint(
            "/api/annotations/",
            "annotations",
            "Where each record's quoted text is in its source: W3C Web Annotations, the record the body, the "
            "span of the source's reader the target.",
            record=ANNOTATION,
            parameters=annotation_parameters,
            description="Every source's annotations, source by source, in the order of their place in it.",
            answer=ANNOTATION_PAGE,
            media_type=annotations.MEDIA_TYPE,
        ),
        Endpoint.for_list(
            search_list,
            "search",
            "Records and entities (meetings, agencies, themes, other events, sources), best first.",
        ),
    ]


def openapi(server):
    return document(endpoints(), title=TITLE, version=VERSION, description=DESCRIPTION, server=server)
