"""Every record can be cited: as text on its page, as BibTeX, RIS and CSL-JSON, and as citation_* meta tags."""

import datetime
import html
import json
import re
from dataclasses import dataclass

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.utils import timezone

from lib.citation import DateSpan, span_of
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Session

pytestmark = pytest.mark.django_db

# The shape of a CSL-JSON item as the CSL data schema defines the fields we write.
DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
        }
    },
    "required": ["date-parts"],
}
CSL_ITEM = {
    "type": "object",
    "required": ["id", "type", "title", "genre", "publisher", "URL", "accessed", "note"],
    "properties": {
        "id": {"type": "string"},
        # Zotero maps CSL's report to its report; never a journal article.
        "type": {"const": "report"},
        "title": {"type": "string", "minLength": 1},
        "genre": {"type": "string", "minLength": 1},
        "author": {
            "type": "array",
            "items": {"type": "object", "required": ["literal"], "properties": {"literal": {"type": "string"}}},
        },
        "container-title": {"type": "string"},
        "event-title": {"type": "string"},
        "event-place": {"type": "string"},
        "event-date": DATE,
        "publisher": {"type": "string"},
        "publisher-place": {"type": "string"},
        "URL": {"type": "string", "pattern": "^https?://"},
        "note": {"type": "string"},
        "issued": DATE,
        "accessed": DATE,
    },
    "additionalProperties": False,
}
CSL_JSON = {"type": "array", "minItems": 1, "items": CSL_ITEM}

FORUM = "Global Forum on Migration and Development"
MAURITIUS_CHAIR = "Government of Mauritius, Chair of the GFMD 2012"
IOM = "International Organization for Migration (IOM)"
IOM_PRESENTATION = (
    f"In {IOM}, “Current Priorities in Intergovernmental Dialogues on Labour Migration,” presentation, "
    "New York, 3 October 2008"
)
D = datetime.date


@dataclass
class Expected:
    """How one kind of record is cited: who, what, of what event (with its dates) and from which document."""

    url: str
    author: str
    genre: str
    issued: tuple  # (first day, last day), or () where no source dates it
    says: tuple  # what the "Cite this" text says, in this order
    never: tuple = ()  # what it must not say


def kinds():
    """One record of each kind, on the real content; the first ones are the examples of issue 21."""
    return {
        **drafts_and_other_events_points(),
        **plans_civil_society_days_and_the_matrix(),
        **sources_and_points_as_held(),
        **feedback_outcomes_meetings_and_events(),
    }


def drafts_and_other_events_points():
    return {
        "draft key message": Expected(
            "/recommendations/105/",
            "",
            "Draft key message",
            (),
            (
                "Draft key message, GFMD 2008, Manila, government meeting, Roundtable 1 (draft, undated [late 2007]).",
                "In “GFMD I follow-up and preparation of GFMD II (slide deck),” presentation, undated [late 2007]",
            ),
            ("2008-10-29", "29 October", FORUM),
        ),
        "point of the expert meeting": Expected(
            "/recommendations/146/",
            "",
            "Point reported from another event",
            (),
            (
                "Point reported from another event, Expert Meeting labour migration: protection, gender and "
                "development (undated), organiser not named; reported beside GFMD 2008, Manila.",
                IOM_PRESENTATION,
            ),
            ("October 2008)", FORUM, "Key message"),
        ),
        "point of the EC workshop": Expected(
            "/recommendations/130/",
            "European Commission",
            "Point reported from another event",
            (D(2008, 9, 8), D(2008, 9, 9)),
            (
                "European Commission. “Point reported from another event: CM benefiting the migrants.”",
                "European Commission's Workshop on Creating Development Benefits through Circular Migration, Mauritius "
                "(8-9 September 2008), organiser: European Commission; reported beside GFMD 2008, Manila.",
                IOM_PRESENTATION,
            ),
            (FORUM, "Key message"),
        ),
    }


def plans_civil_society_days_and_the_matrix():
    activity = ProposedActivity.objects.order_by("section__roundtable__number", "section__letter", "position").first()
    csd_point = Recommendation.objects.get(track="civil-society", roundtable__number=1, number="1", parent=None)
    return {
        "planned session": Expected(
            "/meetings/mauritius-2012/sessions/planned-4-1/",
            MAURITIUS_CHAIR,
            "Planned session",
            (D(2012, 1, 26), D(2012, 1, 26)),
            (
                "Planned session, GFMD 2012, Port Louis, government meeting, Roundtable 4 (planned, 26 January 2012).",
                "“GFMD 2012 Mauritius: Chair's concept paper (fragment),” concept paper, 26 January 2012, Session 4.1.",
            ),
            ("November 2012", FORUM),
        ),
        "point of the Civil Society Days": Expected(
            csd_point.get_absolute_url(),
            FORUM,
            "Recommendation",
            (D(2009, 11, 2), D(2009, 11, 3)),
            (
                "Recommendation, GFMD 2009, Athens, Civil Society Days, Roundtable 1 (2-3 November 2009).",
                "In “CSD Athens 2009,” report, Athens, 5 November 2009, Roundtable 1, recommendation 1.",
            ),
            ("4 November", "government meeting"),
        ),
        "session of the Civil Society Days": Expected(
            "/meetings/athens-2009/sessions/csd-4-1/",
            FORUM,
            "Session",
            (D(2009, 11, 2), D(2009, 11, 3)),
            ("Session, GFMD 2009, Athens, Civil Society Days, Roundtable 4 (2-3 November 2009).",),
        ),
        "GMG proposed activity": Expected(
            activity.get_absolute_url(),
            "Global Migration Group",
            "Proposed activity",
            (),
            (
                "Proposed activity, GFMD 2007, Brussels, government meeting, Roundtable 1, section a "
                "(proposed, undated).",
                "for the GFMD 2007 roundtables,” matrix of proposed activities, undated, Theme 1, Roundtable 1, "
                "section a",
            ),
            ("2007-07-10", "10 July", "July 2007)"),
        ),
    }


def sources_and_points_as_held():
    restored = Recommendation.objects.filter(number_restored=True, parent__isnull=True, track="civil-society").first()
    held_point = Recommendation.objects.filter(
        meeting__slug="brussels-2007", roundtable__number=1, kind="recommendation"
    ).first()
    return {
        "source document": Expected(
            "/sources/iom-labour-migration-2008/",
            IOM,
            "Presentation",
            (D(2008, 10, 3), D(2008, 10, 3)),
            (
                f"{IOM}. “Current Priorities in Intergovernmental Dialogues on Labour Migration.” Presentation, "
                "New York, 3 October 2008. GFMD Knowledge Base",
            ),
        ),
        "undated source without an issuer": Expected(
            "/sources/gfmd-i-follow-up-slides/",
            "",
            "Presentation",
            (),
            ("“GFMD I follow-up and preparation of GFMD II (slide deck).” Presentation, undated [late 2007].",),
            (FORUM,),
        ),
        "restored number": Expected(
            restored.get_absolute_url(),
            FORUM,
            "Recommendation",
            (D(2009, 11, 2), D(2009, 11, 3)),
            (f"“Recommendation [{restored.number}]: ",),
        ),
        "point of a government meeting": Expected(
            held_point.get_absolute_url(),
            FORUM,
            "Recommendation",
            (D(2007, 7, 10), D(2007, 7, 11)),
            (
                "Recommendation, GFMD 2007, Brussels, government meeting, Roundtable 1 (10-11 July 2007).",
                IOM_PRESENTATION,
            ),
        ),
    }


def feedback_outcomes_meetings_and_events():
    feedback = Recommendation.objects.filter(kind="feedback").order_by("position").first()
    return {
        "feedback on the drafts": Expected(
            feedback.get_absolute_url(),
            "",
            "Feedback on the drafts",
            (),
            ("Feedback on the drafts, GFMD 2008, Manila, government meeting (draft, undated [late 2007]).",),
        ),
        "planned outcome sought": Expected(
            Recommendation.objects.filter(kind="outcome-sought").first().get_absolute_url(),
            MAURITIUS_CHAIR,
            "Planned outcome sought",
            (D(2012, 1, 26), D(2012, 1, 26)),
            ("(planned, 26 January 2012).",),
        ),
        "meeting": Expected(
            "/meetings/manila-2008/",
            FORUM,
            "Meeting",
            (D(2008, 10, 27), D(2008, 10, 30)),
            (
                "Meeting, GFMD 2008, Manila, Philippines (27-30 October 2008).",
                "In Global Forum on Migration and Development, “GFMD 2008 Philippines,” web page, undated, "
                "https://www.gfmd.org/meetings/philippines2008, Meeting page",
            ),
        ),
        "other event": Expected(
            "/events/ec-circular-migration-workshop-2008/",
            "European Commission",
            "Other event reported beside a meeting",
            (D(2008, 9, 8), D(2008, 9, 9)),
            ("(8-9 September 2008), organiser: European Commission; reported beside GFMD 2008, Manila.",),
        ),
    }


def meta_tags(page):
    return {
        name: html.unescape(value) for name, value in re.findall(r'<meta name="(citation_\w+)" content="([^"]*)"', page)
    }


def cite_this(page):
    section = re.search(r'<section class="cite".*?<p>(.*?)</p>', page, re.S).group(1)
    return html.unescape(" ".join(section.split()))


def download(client, url, fmt, media_type, extension):
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200, (url, fmt)
    assert response["Content-Type"].split(";")[0] == media_type
    assert re.fullmatch(rf'attachment; filename="[\w.-]+\.{extension}"', response["Content-Disposition"])
    return response.content.decode()


def ordered(text, parts):
    """Whether the parts are in the text in this order."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


KINDS = [
    "draft key message",
    "point of the expert meeting",
    "point of the EC workshop",
    "planned session",
    "point of the Civil Society Days",
    "session of the Civil Society Days",
    "GMG proposed activity",
    "source document",
    "undated source without an issuer",
    "restored number",
    "point of a government meeting",
    "feedback on the drafts",
    "planned outcome sought",
    "meeting",
    "other event",
]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_record_is_cited_on_one_model_in_every_format(client, kind):
    expected = kinds()[kind]
    today = timezone.localdate()
    absolute = "http://testserver" + expected.url
    page = client.get(expected.url).content.decode()
    text = cite_this(page)
    assert ordered(text, expected.says), text
    assert not [word for word in expected.never if word in text], text
    assert text.endswith(f"GFMD Knowledge Base, {absolute} (accessed {today.day} {today:%B %Y}).")
    first, last = expected.issued or (None, None)

    tags = meta_tags(page)
    # An institution, and no journal: Zotero's embedded-metadata translator imports a report.
    assert tags["citation_technical_report_institution"] == tags["citation_publisher"]
    assert not {"citation_journal_title", "citation_conference_title", "citation_book_title"} & tags.keys()
    assert tags.get("citation_author", "") == expected.author
    assert tags["citation_public_url"] == absolute
    assert tags.get("citation_date") == (f"{first:%Y/%m/%d}" if first else None)
    title = tags["citation_title"]

    [entry] = bibtexparser.parse_string(
        download(client, expected.url, "bibtex", "application/x-bibtex", "bib"),
        append_middleware=[LatexDecodingMiddleware()],
    ).entries
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert entry.entry_type == "techreport"
    assert fields["title"] == title and fields.get("author", "") == expected.author
    assert fields["type"] == expected.genre and fields["institution"] == tags["citation_publisher"]
    assert fields["url"] == absolute and fields["urldate"] == today.isoformat()
    assert fields.get("year") == (str(first.year) if first else None)
    if first:
        assert fields["date"] == (first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}")
    note = " ".join(fields["note"].split())

    [ris] = rispy.loads(download(client, expected.url, "ris", "application/x-research-info-systems", "ris"))
    assert ris["type_of_reference"] == "RPRT" and ris["type_of_work"] == expected.genre
    assert ris["title"] == title and ris.get("authors", []) == ([expected.author] if expected.author else [])
    assert ris["urls"] == [absolute] and ris["access_date"] == f"{today:%Y/%m/%d}"
    assert ris.get("date") == (f"{first:%Y/%m/%d}" if first else None)

    items = json.loads(download(client, expected.url, "csl-json", "application/vnd.citationstyles.csl+json", "json"))
    jsonschema.validate(items, CSL_JSON)
    [item] = items
    assert item["title"] == title and item["URL"] == absolute and item["id"] == entry.key
    assert item["genre"] == expected.genre and item["publisher"] == tags["citation_publisher"]
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    days = [first] if first == last else [first, last]
    assert item.get("issued") == ({"date-parts": [[d.year, d.month, d.day] for d in days]} if first else None)
    # The event and the container, which a report has no field for, in the note of every format.
    assert item["note"] == note == " ".join(ris["notes"][0].split()) and note in text


def test_every_civil_society_days_record_names_the_days_and_their_own_dates():
    """The 84 records of the Athens Civil Society Days: the Days named, dated 2-3 November 2009 (the
    government meeting began on 4 November)."""
    records = [
        *Session.objects.filter(roundtable__track="civil-society").select_related("meeting", "roundtable", "source"),
        *Recommendation.objects.filter(track="civil-society").select_related(
            "meeting", "roundtable", "parent", "source"
        ),
    ]
    assert len(records) == 84
    for record in records:
        cited = record.citation()
        assert cited["occasion"].name.startswith("GFMD 2009, Athens, Civil Society Days, Roundtable ")
        assert (cited["issued"].start, cited["issued"].end) == (D(2009, 11, 2), D(2009, 11, 3))


def test_no_gmg_activity_is_dated_as_the_matrix_bears_no_date():
    activities = ProposedActivity.objects.select_related("section__roundtable__meeting", "source")
    assert activities.count() == 63
    for activity in activities:
        cited = activity.citation()
        assert cited["issued"].start is None and cited["issued"].text == "undated"
        assert cited["author"] == "Global Migration Group"


def test_other_events_points_are_cited_as_their_events_before_iom_reported_them():
    """The 21 points IOM reported on 3 October 2008: the events' (the workshop of 8-9 September 2008, the
    undated expert meeting), never the Forum's, nor dated after IOM's report."""
    points = Recommendation.objects.filter(event__isnull=False).select_related("event__meeting", "parent", "source")
    assert points.count() == 21
    for point in points:
        cited = point.citation()
        assert cited["author"] in ("European Commission", "")
        assert cited["occasion"].name == point.event.title and cited["occasion"].reported_beside == "GFMD 2008, Manila"
        assert cited["issued"].start is None or cited["issued"].last < D(2008, 10, 3)


def test_the_days_a_source_gives_are_read_and_nothing_else():
    assert span_of("8-9 September 2008") == DateSpan(D(2008, 9, 8), D(2008, 9, 9))
    assert span_of("29 November - 2 December 2011") == DateSpan(D(2011, 11, 29), D(2011, 12, 2))
    assert span_of("9 July 2007") == DateSpan(D(2007, 7, 9))
    assert span_of("") == span_of("September 2008") == span_of("9-8 July 2007") == DateSpan()
    assert DateSpan(D(2011, 11, 29), D(2011, 12, 2)).text == "29 November - 2 December 2011"
    assert DateSpan(supplied="late 2007").text == "undated [late 2007]"


def test_latex_characters_in_a_title_survive_bibtex(client, meeting, roundtable):
    session = Session.objects.create(
        roundtable=roundtable, number="1.2", title="Costs & fees: 5% {or} $10_000 ~ #1", source=meeting.source
    )
    text = client.get(session.get_absolute_url(), {"format": "bibtex"}).content.decode()
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    assert library.entries[0].fields_dict["title"].value == "Session 1.2: Costs & fees: 5% {or} $10_000 ~ #1"


def test_an_unknown_citation_format_is_a_400_naming_the_formats(client):
    response = client.get("/meetings/athens-2009/", {"format": "endnote"})
    assert response.status_code == 400
    assert "bibtex, ris, csl-json" in response.content.decode()


def test_a_citation_download_reads_only_the_record(client, django_assert_max_num_queries):
    url = Session.objects.get(meeting__slug="athens-2009", slug="csd-4-1").get_absolute_url()
    with django_assert_max_num_queries(6):
        client.get(url, {"format": "ris"})


def test_a_source_page_gives_the_place_it_bears_and_our_reading_of_an_undated_one(client):
    page = " ".join(client.get("/sources/iom-labour-migration-2008/").content.decode().split())
    assert "<dt>Place</dt><dd>New York</dd>" in page
    page = " ".join(client.get("/sources/gfmd-i-follow-up-slides/").content.decode().split())
    assert "The document bears no date; by its content, [late 2007]" in page
