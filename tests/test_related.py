"""Records related by their wording: kept in step by the write path, shown on every record page in a fixed
number of queries. Their quality on the real content: test_related_precision.py."""

import datetime
import io
import math
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gfmd.models import RelatedRecord, WordingVocabulary
from lib import related, search
from lib.caching import content_changed
from recommendations.models import ProposedActivity, Recommendation, Section
from sessions.models import Meeting, Roundtable, Session, Track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_content")]

RECRUITMENT = "Ethical recruitment of migrant domestic workers: codes of conduct for recruitment agencies."
# Points on other subjects: a word more than half of the records use is left out, as "migration" is.
OTHER_SUBJECTS = (
    "climate change and displacement",
    "diaspora investment funds",
    "data on labour markets",
    "health workers and brain drain",
    "integration courses for newcomers",
    "return and reintegration assistance",
    "visa regimes for students",
    "trafficking in persons",
    "gender and family reunification",
    "regional consultative processes",
    "public perceptions in the media",
    "social security portability",
)


def written(record):
    content_changed([record])
    return record


def other_meeting(source, n):
    return Meeting.objects.create(
        ordinal=100 + n,
        year=2100 + n,
        slug=f"otherville-{2100 + n}",
        city="Otherville",
        country="Otherland",
        start_date=datetime.date(2100 + n, 5, 3),
        end_date=datetime.date(2100 + n, 5, 4),
        source=source,
    )


def point(roundtable, position, text, track=Track.GOVERNMENT):
    return written(
        Recommendation.objects.create(
            meeting=roundtable.meeting,
            roundtable=roundtable,
            track=track,
            position=position,
            text=text,
            source=roundtable.source,
        )
    )


@pytest.fixture
def world(meeting, roundtable, source):
    """A session, a point of its own roundtable, one of its meeting's other track, and an activity and an
    unrelated point of another meeting, all but the last on ethical recruitment."""
    civil = Roundtable.objects.create(meeting=meeting, number=1, track=Track.CIVIL_SOCIETY, source=source)
    elsewhere = Roundtable.objects.create(meeting=other_meeting(source, 0), number=1, source=source)
    section = Section.objects.create(roundtable=elsewhere, letter="a", title="Recruitment", source=source)
    world = SimpleNamespace(
        session=written(Session.objects.create(roundtable=roundtable, number="1.1", title=RECRUITMENT, source=source)),
        same_place=point(roundtable, 1, "Adopt codes of conduct for the ethical recruitment of domestic workers."),
        other_track=point(
            civil, 1, "Recruitment agencies should follow codes of ethical recruitment.", Track.CIVIL_SOCIETY
        ),
        activity=written(
            ProposedActivity.objects.create(
                section=section, position=1, text="Develop ethical recruitment practices for agencies.", source=source
            )
        ),
        unrelated=point(elsewhere, 1, "Lower the cost of sending remittances through banks."),
        elsewhere=elsewhere,
    )
    others = [
        Recommendation.objects.create(
            meeting=elsewhere.meeting,
            roundtable=elsewhere,
            position=2 + n,
            text=f"Cooperate on {subject}.",
            source=source,
        )
        for n, subject in enumerate(OTHER_SUBJECTS)
    ]
    content_changed(others)
    related.rebuild()
    return world


def listed(record):
    return [
        (row.related_kind, row.related_object_id)
        for row in RelatedRecord.objects.filter(kind=search.kind_of(type(record)), object_id=record.pk).order_by("rank")
    ]


def key(record):
    return (search.kind_of(type(record)), record.pk)


def test_a_record_lists_records_of_other_meetings_and_of_its_meetings_other_track_never_its_own(world):
    found = listed(world.session)
    assert key(world.other_track) in found and key(world.activity) in found
    assert key(world.same_place) not in found
    assert key(world.unrelated) not in found  # it shares no word with the session
    row = RelatedRecord.objects.get(kind="session", object_id=world.session.pk, related_object_id=world.activity.pk)
    assert "recruitment" in row.terms.split(", ") and 0 < row.score <= 1


def test_a_saved_record_takes_its_place_in_the_lists_it_now_belongs_to_without_a_rebuild(world):
    vocabulary = WordingVocabulary.objects.get()
    world.unrelated.text = "Ethical recruitment agencies must follow codes of conduct."
    world.unrelated.save()
    written(world.unrelated)
    assert key(world.session) in listed(world.unrelated)
    assert key(world.unrelated) in listed(world.session)
    assert WordingVocabulary.objects.get().pk == vocabulary.pk  # compared with the stored vectors, not rebuilt


def test_a_record_whose_words_change_leaves_the_lists_it_no_longer_belongs_to(world):
    world.other_track.text = "Lower the cost of remittances."
    world.other_track.save()
    written(world.other_track)
    assert key(world.other_track) not in listed(world.session)
    assert key(world.unrelated) in listed(world.other_track)


def test_a_deleted_record_leaves_every_list(world):
    gone = search.documents_of([world.activity])
    world.activity.delete()
    content_changed(documents=gone)
    assert key(world.activity) not in listed(world.session)
    assert not RelatedRecord.objects.filter(kind="activity", object_id=gone.pop()[1]).exists()


def test_the_page_shows_the_related_records_with_their_shared_words_as_wording_not_judgement(client, world):
    page = client.get(world.session.get_absolute_url()).content.decode()
    panel = page[page.index('<section class="related"') :]
    panel = panel[: panel.index("</section>")]
    assert '<h2 id="related">Related by their wording</h2>' in panel
    assert "related by their wording, not an editorial judgement" in panel
    assert f'href="{world.activity.get_absolute_url()}"' in panel
    assert "GFMD 2099, Testville, Civil Society Days" in panel  # the meeting's other track, said as such
    assert '<span lang="en">GFMD 2100, Otherville</span>.' in panel  # another meeting's record: its meeting is enough
    assert "Shared words: " in panel and "recruitment" in panel
    assert f'href="{world.same_place.get_absolute_url()}"' not in panel


@pytest.mark.parametrize("which", ["session", "other_track", "activity"])
def test_a_record_page_makes_as_many_queries_with_five_related_records_as_with_one(client, world, which):
    record = getattr(world, which)
    before = queries_for(client, record.get_absolute_url())
    for n in range(1, 9):
        roundtable = Roundtable.objects.create(
            meeting=other_meeting(world.elsewhere.source, n), number=1, source=world.elsewhere.source
        )
        point(roundtable, 1, f"Codes of ethical recruitment for agencies, {n}.")
    assert len(related.shown_for(record)) == related.SHOWN
    assert queries_for(client, record.get_absolute_url()) == before


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_command_computes_every_list_again_and_says_how_many(world):
    RelatedRecord.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_related", stdout=out)
    assert f"{5 + len(OTHER_SUBJECTS)} records" in out.getvalue()
    assert key(world.activity) in listed(world.session)


def test_a_vector_weighs_each_term_by_its_count_and_its_rarity_and_has_unit_length():
    from lib import wording

    texts = [["recruitment", "recruitment", "agencies"], ["agencies"], ["codes"]]
    matrix, terms, idf = wording.fitted(texts, most=2)
    assert terms == sorted(wording.stems(["recruitment", "agencies", "codes"]))
    column = {term: i for i, term in enumerate(terms)}
    recruitment, agencies = column[wording.stems(["recruitment"])[0]], column[wording.stems(["agencies"])[0]]
    # ln((1 + texts) / (1 + texts with it)) + 1: the term of two texts weighs less than a term of one.
    assert idf[agencies] == pytest.approx(1 + math.log(4 / 3)) and idf[recruitment] == pytest.approx(1 + math.log(2))
    first = matrix.toarray()[0]
    counted = (1 + math.log(2)) * idf[recruitment]  # twice: 1 + ln(2)
    length = math.hypot(counted, idf[agencies])
    assert first[recruitment] == pytest.approx(counted / length)
    assert first[agencies] == pytest.approx(idf[agencies] / length)
    assert matrix.toarray()[1].tolist() == pytest.approx([1.0 if i == agencies else 0.0 for i in range(len(terms))])
    # A term of more than `most` texts is left out; a text without a kept term is a row of zeros.
    matrix, terms, _ = wording.fitted(texts, most=1)
    assert wording.stems(["agencies"])[0] not in terms and not matrix.toarray()[1].any()
    # A save's vectors read the stored vocabulary and weights, and give a rebuild's.
    stored = [[term, float(weight)] for term, weight in zip(*wording.fitted(texts, most=2)[1:], strict=True)]
    again = wording.vectorize(texts[:1], stored).toarray()[0]
    assert again == pytest.approx(first)
