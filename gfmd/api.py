"""The API's endpoints, as the OpenAPI description lists them: each read from the declarations its view runs on."""

from gfmd.searching import search_list
from lib.openapi import Endpoint, contract_record, document
from recommendations.views import activities_list, recommendations_list
from sessions.views import sessions_list

TITLE = "GFMD Knowledge Base API"
VERSION = "1.0"
DESCRIPTION = (
    "Read-only JSON of the GFMD Knowledge Base: the meetings of the Global Forum on Migration and Development "
    "2007-2012, their sessions and recommendations, and the activities the Global Migration Group proposed. "
    "No key or login. Every list answers with `count`, `next`, `previous`, `results` and `facets`; a facet "
    "value's count is what choosing it would give with every other filter applied. A list page of the site "
    "takes the same parameters: `/activities/?gmg_member=UNODC` and `/api/activities/?gmg_member=UNODC` show "
    "the same records. A parameter the API cannot read is a 400 that says why."
)

# The fields the API contract promises of each kind of record (docs/api.md); records may carry more.
INTEGER, STRING = {"type": "integer"}, {"type": "string"}
PAGE = {"type": "string", "format": "uri-reference", "description": "The record's page."}
DATE = {"type": "string", "format": "date"}
STRINGS = {"type": "array", "items": STRING}
CONTRACT = {
    "meetings": {
        "id": INTEGER,
        "url": PAGE,
        "slug": STRING,
        "year": INTEGER,
        "city": STRING,
        "country": STRING,
        "start_date": DATE | {"description": "First day of the government meeting."},
        "end_date": DATE | {"description": "Last day of the government meeting."},
    },
    "sessions": {
        "id": INTEGER,
        "url": PAGE,
        "meeting": STRING | {"description": "The meeting's slug."},
        "year": INTEGER,
        "track": STRING,
        "roundtable": INTEGER | {"description": "The roundtable's number."},
        "number": STRING,
        "title": STRING,
    },
    "recommendations": {
        "id": INTEGER,
        "url": PAGE,
        "meeting": STRING | {"description": "The meeting's slug."},
        "year": INTEGER,
        "track": STRING,
        "kind": STRING,
        "number": STRING,
        "text": STRING,
    },
    "activities": {
        "id": INTEGER,
        "url": PAGE,
        "roundtable": INTEGER,
        "section": STRING | {"description": "The section's letter."},
        "text": STRING,
        "objectives": STRINGS,
        "gmg_members": STRINGS | {"description": "Acronyms of the GMG members listed with expertise."},
    },
    "search": {
        "type": STRING | {"description": "session, recommendation, activity or meeting."},
        "title": STRING,
        "url": PAGE,
        "snippet": STRING | {"description": "HTML: the matching words in <mark>."},
        "year": {"type": ["integer", "null"]},
    },
}


def endpoints():
    return [
        Endpoint(
            "/api/meetings/",
            "meetings",
            "The meetings of the Forum, first to last.",
            record=contract_record(CONTRACT["meetings"]),
        ),
        Endpoint.for_list(sessions_list, "sessions", "Sessions of the meetings' roundtables.", CONTRACT["sessions"]),
        Endpoint.for_list(
            recommendations_list,
            "recommendations",
            "Recommendations, follow-up actions, outcomes sought, key messages.",
            CONTRACT["recommendations"],
        ),
        Endpoint.for_list(
            activities_list,
            "activities",
            "The activities the GMG proposed for the 2007 roundtables.",
            CONTRACT["activities"],
        ),
        Endpoint.for_list(
            search_list,
            "search",
            "Records and entities (meetings, agencies, themes, other events, sources), best first.",
            CONTRACT["search"],
        ),
    ]


def openapi(server):
    return document(endpoints(), title=TITLE, version=VERSION, description=DESCRIPTION, server=server)
