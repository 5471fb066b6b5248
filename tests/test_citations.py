"""Every record can be cited: as text on its page, as BibTeX, RIS and CSL-JSON, and as citation_* meta tags."""

import html
import json
import re

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.utils import timezone

from gfmd.models import SourceDocument
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Meeting, Session

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
    "required": ["id", "type", "title"],
    "properties": {
        "id": {"type": "string"},
        "type": {"enum": ["webpage", "document", "report", "speech"]},
        "title": {"type": "string", "minLength": 1},
        "author": {
            "type": "array",
            "items": {"type": "object", "required": ["literal"], "properties": {"literal": {"type": "string"}}},
        },
        "container-title": {"type": "string"},
        "publisher": {"type": "string"},
        "URL": {"type": "string", "pattern": "^https?://"},
        "note": {"type": "string"},
        "issued": DATE,
        "accessed": DATE,
    },
    "additionalProperties": False,
}
CSL_JSON = {"type": "array", "minItems": 1, "items": CSL_ITEM}


def record_urls():
    """One record of each kind, with the publication date its citation must carry."""
    session = Session.objects.select_related("meeting").get(meeting__slug="athens-2009", slug="csd-4-1")
    recommendation = Recommendation.objects.select_related("meeting").filter(meeting__year=2009, number="1").first()
    activity = ProposedActivity.objects.select_related("source").first()
    meeting = Meeting.objects.get(slug="manila-2008")
    source = SourceDocument.objects.get(slug="athens-2009-csd-synthesis")
    return [
        (session.get_absolute_url(), session.meeting.start_date),
        (recommendation.get_absolute_url(), recommendation.meeting.start_date),
        (activity.get_absolute_url(), activity.source.date or activity.section.roundtable.meeting.start_date),
        (meeting.get_absolute_url(), meeting.start_date),
        (source.get_absolute_url(), source.date),
    ]


def meta_tags(page):
    return {
        name: html.unescape(value) for name, value in re.findall(r'<meta name="(citation_\w+)" content="([^"]*)"', page)
    }


def download(client, url, fmt, media_type, extension):
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200, (url, fmt)
    assert response["Content-Type"].split(";")[0] == media_type
    assert re.fullmatch(rf'attachment; filename="[\w.-]+\.{extension}"', response["Content-Disposition"])
    return response.content.decode()


def test_every_kind_of_record_is_cited_alike_in_text_meta_tags_bibtex_ris_and_csl_json(client):
    today = timezone.localdate()
    for url, issued in record_urls():
        page = client.get(url).content.decode()
        tags = meta_tags(page)
        absolute = "http://testserver" + url
        assert tags["citation_public_url"] == absolute
        assert tags["citation_publisher"] == "GFMD Knowledge Base"
        assert tags["citation_author"] in ("Global Forum on Migration and Development", "Global Migration Group") or (
            url.startswith("/sources/")
        )
        title = tags["citation_title"]
        assert title
        if issued:
            assert tags["citation_publication_date"] == f"{issued:%Y/%m/%d}"
        assert "Cite this" in page and f"Accessed {today.day} {today:%B %Y}" in page

        [entry] = bibtexparser.parse_string(
            download(client, url, "bibtex", "application/x-bibtex", "bib"),
            append_middleware=[LatexDecodingMiddleware()],
        ).entries
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        assert entry.entry_type == "misc"
        assert fields["title"] == title and fields["author"] == tags["citation_author"]
        assert fields["url"] == absolute and fields["urldate"] == today.isoformat()
        if issued:
            assert fields["year"] == str(issued.year)

        [ris] = rispy.loads(download(client, url, "ris", "application/x-research-info-systems", "ris"))
        assert ris["title"] == title and ris["authors"] == [tags["citation_author"]]
        assert ris["urls"] == [absolute] and ris["access_date"] == f"{today:%Y/%m/%d}"
        assert ris["publisher"] == "GFMD Knowledge Base"
        if issued:
            assert ris["date"] == f"{issued:%Y/%m/%d}"

        items = json.loads(download(client, url, "csl-json", "application/vnd.citationstyles.csl+json", "json"))
        jsonschema.validate(items, CSL_JSON)
        assert items[0]["title"] == title and items[0]["URL"] == absolute
        assert items[0]["id"] == entry.key
        assert items[0]["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
        if issued:
            assert items[0]["issued"] == {"date-parts": [[issued.year, issued.month, issued.day]]}


def test_the_text_citation_names_the_author_title_source_and_access_date(client):
    page = client.get("/meetings/athens-2009/sessions/csd-4-1/").content.decode()
    cite = html.unescape(re.search(r'<section class="cite".*?</section>', page, re.S).group())
    today = timezone.localdate()
    assert "Global Forum on Migration and Development. 2009." in cite
    assert "GFMD 2009, Athens" in cite and "Source: CSD Athens 2009" in cite
    assert f"http://testserver/meetings/athens-2009/sessions/csd-4-1/ (accessed {today.day} {today:%B %Y})" in cite
    assert 'href="?format=ris"' in cite and 'href="?format=csl-json"' in cite


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
