"""Every record anchored in its source's stored text, and each source read with its records beside it
(docs/reader.md): on the real content, which the session's database holds with the texts."""

import html
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gfmd import annotations
from gfmd.models import Anchor, SourceDocument, SourceText, UnrecordedText
from lib import anchoring
from lib.caching import content_changed
from recommendations.models import ProposedActivity, Recommendation
from sessions.models import Event, Session

pytestmark = pytest.mark.django_db

CONTEXT = json.loads((Path(__file__).parent / "anno.jsonld").read_text(encoding="utf-8"))["@context"]
PRIMARY = [
    "mauritius-2012-concept-paper",
    "gfmd-i-follow-up-slides",
    "gmg-matrix-2007",
    "athens-2009-csd-synthesis",
    "iom-labour-migration-2008",
]


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Each primary source's reader page, read once for the module."""
    with django_db_blocker.unblock():
        return {slug: Client().get(f"/sources/{slug}/") for slug in PRIMARY}


# -- anchoring ---------------------------------------------------------------------


def test_every_record_is_anchored_and_none_is_an_orphan():
    problems = [
        (record, message) for model in anchoring.anchored_models() for record, message in anchoring.check(model)
    ]
    assert problems == []
    with_text = set(SourceText.objects.values_list("source_id", flat=True))
    assert with_text == set(SourceDocument.objects.filter(slug__in=PRIMARY).values_list("pk", flat=True))
    for model in anchoring.anchored_models():
        quoting = sum(record.quotes_its_source for record in model.objects.filter(source__in=with_text))
        anchored = (
            Anchor.objects.filter(content_type__model=model._meta.model_name).order_by().values("object_id").distinct()
        )
        assert anchored.count() == quoting, model


def test_each_anchor_is_the_source_s_own_text_at_its_offsets():
    texts = dict(SourceText.objects.values_list("source_id", "text"))
    for anchor in Anchor.objects.all():
        text = texts[anchor.source_id]
        assert text[anchor.start : anchor.end] == anchor.exact
        assert text[: anchor.start].endswith(anchor.prefix)
        assert text[anchor.end :].startswith(anchor.suffix)


def test_a_changed_record_text_is_an_orphan_and_a_changed_source_text_too():
    recommendation = Recommendation.objects.filter(source__slug="athens-2009-csd-synthesis").first()
    Recommendation.objects.filter(pk=recommendation.pk).update(text="Words no source of ours prints anywhere.")
    found = anchoring.check(Recommendation)
    assert [(record.pk, message) for record, message in found] == [
        (recommendation.pk, "its text is not found in the stored text of its source (an orphan).")
    ]
    # The source changes under its records: the matrix loses a sentence.
    activity = ProposedActivity.objects.get(text__startswith="Collect information regarding the skills")
    stored = SourceText.objects.get(source=activity.source)
    stored.text = stored.text.replace("Collect information regarding the skills and knowledge of", "Gather data")
    stored.save()
    assert (activity.pk, "its text is not found in the stored text of its source (an orphan).") in [
        (record.pk, message) for record, message in anchoring.check(ProposedActivity)
    ]


def test_stale_anchors_are_reported_and_anchor_records_writes_them_again():
    anchor = Anchor.objects.filter(content_type__model="recommendation").first()
    Anchor.objects.filter(pk=anchor.pk).update(start=anchor.start + 1)
    assert [message for _, message in anchoring.check(Recommendation)] == [
        "its stored anchors are not where its text is now: run anchor_records."
    ]
    call_command("anchor_records", stdout=io.StringIO())
    assert anchoring.check(Recommendation) == []


def test_a_repair_is_on_the_source_s_span_and_said():
    # The extraction reads "gualifications"; the record mends it.
    recommendation = Recommendation.objects.get(text__contains="measuring the qualifications of skilled workers")
    (anchor,) = Anchor.objects.filter(object_id=recommendation.pk, content_type__model="recommendation")
    assert "gualifications" in anchor.exact
    assert anchor.repairs == "restores “q”; leaves out the extraction’s “g”"


def test_a_text_read_across_the_matrix_s_columns_has_a_span_per_piece():
    activity = ProposedActivity.objects.get(
        text__startswith="Develop information campaigns in countries of destination to provide"
    )
    spans = Anchor.objects.filter(object_id=activity.pk, content_type__model="proposedactivity", field="text")
    assert [span.exact for span in spans.order_by("piece")] == [
        "Develop information campaigns in countries of destination to provide",
        "accurate information to migrants on their rights and obligations.",
    ]


def test_check_content_prints_the_share_each_source_s_text_records_cover():
    out = io.StringIO()
    call_command("check_content", "--coverage", stdout=out)
    lines = out.getvalue().splitlines()
    shares = dict(
        re.fullmatch(r"(\S+): ([\d.]+) % covered by records \(\d+ of \d+ characters\)", line).groups()
        for line in lines[:5]
    )
    assert set(shares) == set(PRIMARY)
    assert all(50 < float(share) <= 100 for share in shares.values())
    assert lines[-1].startswith("No problems found in ")


# -- the reader ---------------------------------------------------------------------


def test_the_reader_shows_the_whole_stored_text_each_passage_with_its_records(pages):
    for slug, response in pages.items():
        assert response.status_code == 200
        page = response.content.decode()
        source = SourceDocument.objects.get(slug=slug)
        text = SourceText.objects.get(source=source).text
        assert shown_text(page) == text
        for fragment, url in Anchor.objects.filter(source=source).values_list("fragment", "url"):
            assert f'id="{fragment}"' in page
            assert f'href="{url}"' in page
        assert 'class="unrecorded"' in page
        assert re.search(r"Records cover <strong>\d+&nbsp;%</strong>", page)
        assert len(response.content) < 300_000


def shown_text(page):
    """The reader's text as a reader sees it, without the links to the records and what only a screen
    reader reads."""
    reader = page.split('<div class="source-text">', 1)[1].split("</div>", 1)[0]
    shown = re.sub(r'<span class="quoting"> \[.*?\]</span>', "", reader, flags=re.S)
    shown = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", shown)
    return html.unescape(re.sub(r"<[^>]+>", "", shown))


def test_every_record_page_links_to_its_place_in_the_reader(client, pages):
    records = [
        Recommendation.objects.filter(source__slug="athens-2009-csd-synthesis").first(),
        Session.objects.filter(source__slug="mauritius-2012-concept-paper").first(),
        ProposedActivity.objects.first(),
        Event.objects.filter(source__slug="iom-labour-migration-2008").first(),
    ]
    for record in records:
        page = client.get(record.get_absolute_url()).content.decode()
        link = f'href="/sources/{record.source.slug}/#{record.reader_fragment}">Read in the source</a>'
        assert link in page
        assert f'id="{record.reader_fragment}"' in pages[record.source.slug].content.decode()


def test_a_web_page_s_records_are_where_their_links_lead(client):
    session = Session.objects.filter(source__kind="web-page").first()
    page = client.get(f"/sources/{session.source.slug}/").content.decode()
    assert f'<li id="{session.reader_fragment}">' in page
    assert "holds no copy of this document's text" in page


def test_the_reader_reads_as_many_queries_whatever_the_number_of_anchors(client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sources/gmg-matrix-2007/").status_code == 200
        return len(queries)

    every = count()
    kept = Anchor.objects.filter(source__slug="gmg-matrix-2007").order_by("pk").first()
    Anchor.objects.filter(source__slug="gmg-matrix-2007").exclude(pk=kept.pk).delete()
    content_changed()  # a new revision: nothing cached is read
    assert count() == every


# -- editors ----------------------------------------------------------------------------


def test_an_editor_s_save_whose_text_no_longer_anchors_is_refused(client):
    from tests.admin.conftest import account, form_data

    editor = Client()
    editor.force_login(account("anna", "Secretariat editor"))
    recommendation = Recommendation.objects.filter(source__slug="athens-2009-csd-synthesis").first()
    url = f"/admin/recommendations/recommendation/{recommendation.pk}/change/"
    data = form_data(editor.get(url))
    data["text"] = "Words no source of ours prints anywhere."
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "This text is not found in the stored text of its source" in response.content.decode()
    # A repair the anchoring reads through is saved, and the anchors follow it.
    data["text"] = recommendation.text.replace(".", "", 1)
    assert editor.post(url, data).status_code == 302
    assert Anchor.objects.filter(object_id=recommendation.pk, content_type__model="recommendation").exists()


# -- annotations --------------------------------------------------------------------------


def terms_used(value, found=None):
    """Every key of the JSON-LD, and every value of `type` and `motivation`, which the context must define."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            if key in ("type", "motivation"):
                found.add(item)
            terms_used(item, found)
    elif isinstance(value, list):
        for item in value:
            terms_used(item, found)
    return found


def test_the_annotations_are_web_annotation_json_ld(client):
    response = client.get("/api/annotations/")
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    page = response.json()
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert page["partOf"]["total"] == Anchor.objects.count()
    undefined = {term for term in terms_used(page) if not term.startswith("@") and term not in CONTEXT}
    assert undefined == set()
    item = page["items"][0]
    selectors = {selector["type"]: selector for selector in item["target"]["selector"]}
    assert set(selectors) == {"TextQuoteSelector", "TextPositionSelector"}
    assert item["target"]["source"].endswith(f"/sources/{PRIMARY[3]}/")
    assert item["body"].startswith("http")
    following = urlsplit(page["next"])
    assert client.get(f"{following.path}?{following.query}").json()["startIndex"] == annotations.PAGE_SIZE


def test_the_annotations_of_one_source_and_bad_requests(client):
    page = client.get("/api/annotations/?source=gfmd-i-follow-up-slides").json()
    assert page["partOf"]["total"] == Anchor.objects.filter(source__slug="gfmd-i-follow-up-slides").count()
    assert all(item["target"]["source"].endswith("/sources/gfmd-i-follow-up-slides/") for item in page["items"])
    response = client.get("/api/annotations/?source=nowhere&page=0")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page": ["page must be a whole number from 1."],
        "source": ["No source has the slug 'nowhere': /sources/ lists them."],
    }
    assert client.get("/api/annotations/?page=99").status_code == 400


# -- search ---------------------------------------------------------------------------------


def test_search_finds_unrecorded_text_in_the_reader_and_quoted_text_as_its_record(client):
    # The presentation's title line, which no record quotes.
    page = client.get("/search/?q=Intergovernmental+Dialogues").content.decode()
    stretch = UnrecordedText.objects.get(text__contains="Intergovernmental Dialogues")
    assert f'href="/sources/iom-labour-migration-2008/#text-{stretch.start}"' in page
    reader = client.get("/sources/iom-labour-migration-2008/").content.decode()
    assert f'id="text-{stretch.start}"' in reader
    # Words inside a record's span: the record, once, and no stretch of text.
    recommendation = Recommendation.objects.get(text__contains="measuring the qualifications of skilled workers")
    page = client.get('/search/?q="measuring the qualifications of skilled workers"').content.decode()
    assert page.count(f'href="{recommendation.get_absolute_url()}"') == 1
    assert "#text-" not in page


def test_words_a_record_stops_quoting_become_unrecorded_text_and_an_edit_elsewhere_keeps_the_stretches():
    recommendation = Recommendation.objects.get(text__contains="measuring the qualifications of skilled workers")
    stretches = set(UnrecordedText.objects.values_list("pk", flat=True))
    recommendation.editorial_note = "Checked against the synthesis."
    recommendation.save()
    content_changed([recommendation])
    assert set(UnrecordedText.objects.values_list("pk", flat=True)) == stretches
    # The point now quotes its first sentence alone: the rest of its paragraph is text no record quotes.
    recommendation.text = recommendation.text.split("; measuring")[0]
    recommendation.save()
    content_changed([recommendation])
    assert not anchoring.problems(recommendation)
    assert UnrecordedText.objects.filter(
        source=recommendation.source, text__contains="2010 cencus/surveys should include migration"
    ).exists()
