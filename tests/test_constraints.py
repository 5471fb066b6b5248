"""Each database constraint rejects the data it exists to keep out."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from recommendations.models import Objective, ProposedActivity, Recommendation, Section, SubActivity
from sessions.models import Meeting, Milestone, Roundtable, Session

pytestmark = pytest.mark.django_db


def rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def meeting_values(source, **changes):
    values = {
        "ordinal": 98,
        "year": 2098,
        "slug": "elsewhere-2098",
        "city": "Elsewhere",
        "country": "Nowhere",
        "start_date": datetime.date(2098, 6, 1),
        "end_date": datetime.date(2098, 6, 2),
        "source": source,
    }
    return values | changes


def test_a_year_has_one_meeting(meeting, source):
    rejected(
        lambda: Meeting.objects.create(
            **meeting_values(
                source, year=meeting.year, start_date=datetime.date(2099, 6, 1), end_date=datetime.date(2099, 6, 2)
            )
        )
    )


def test_a_meeting_cannot_end_before_it_starts(source):
    rejected(lambda: Meeting.objects.create(**meeting_values(source, end_date=datetime.date(2098, 5, 31))))


def test_civil_society_days_cannot_end_before_they_start(source):
    rejected(
        lambda: Meeting.objects.create(
            **meeting_values(
                source,
                civil_society_start_date=datetime.date(2098, 5, 30),
                civil_society_end_date=datetime.date(2098, 5, 29),
            )
        )
    )


def test_a_meeting_starts_in_its_own_year(source):
    rejected(lambda: Meeting.objects.create(**meeting_values(source, start_date=datetime.date(2097, 12, 31))))


def test_a_meeting_ordinal_starts_at_one(source):
    rejected(lambda: Meeting.objects.create(**meeting_values(source, ordinal=0)))


def test_a_valid_meeting_is_accepted(source):
    meeting = Meeting.objects.create(**meeting_values(source))
    meeting.full_clean()
    assert str(meeting) == "GFMD 2098, Elsewhere"


def test_a_roundtable_number_is_used_once_per_track(roundtable, source):
    rejected(lambda: Roundtable.objects.create(meeting=roundtable.meeting, number=1, source=source))


def test_the_same_number_may_be_used_by_the_civil_society_days(roundtable, source):
    other = Roundtable.objects.create(meeting=roundtable.meeting, number=1, track="civil-society", source=source)
    assert other.anchor == "csd-roundtable-1"


def test_a_roundtable_number_starts_at_one(meeting, source):
    rejected(lambda: Roundtable.objects.create(meeting=meeting, number=0, source=source))


def test_a_session_number_is_used_once_per_roundtable(session, source):
    rejected(
        lambda: Session.objects.create(
            roundtable=session.roundtable, number="1.1", title="Again", slug="again", source=source
        )
    )


def test_a_session_slug_is_used_once_per_meeting(session, source):
    other_roundtable = Roundtable.objects.create(meeting=session.meeting, number=2, source=source)
    rejected(
        lambda: Session.objects.create(
            roundtable=other_roundtable, number="2.1", slug="1-1", title="Same slug", source=source
        )
    )


def test_a_session_needs_a_slug(roundtable, source):
    rejected(
        lambda: Session.objects.filter(
            pk=Session.objects.create(roundtable=roundtable, number="1.2", title="Slugged", source=source).pk
        ).update(slug="")
    )


def test_a_session_takes_its_meeting_and_slug_from_its_roundtable(session):
    session.refresh_from_db()
    assert session.meeting == session.roundtable.meeting
    assert session.slug == "1-1"
    assert session.get_absolute_url() == "/meetings/testville-2099/sessions/1-1/"


def test_sessions_without_a_number_may_share_a_roundtable(roundtable, source):
    Session.objects.create(roundtable=roundtable, title="First unnumbered", source=source)
    Session.objects.create(roundtable=roundtable, title="Second unnumbered", source=source)
    assert roundtable.sessions.filter(number="").count() == 2


def test_a_recommendation_needs_text(meeting, source):
    rejected(lambda: Recommendation.objects.create(meeting=meeting, position=1, text="", source=source))


def test_a_recommendation_position_starts_at_one(meeting, source):
    rejected(lambda: Recommendation.objects.create(meeting=meeting, position=0, text="x", source=source))


def test_a_recommendation_cannot_be_its_own_parent(recommendation):
    recommendation.parent_id = recommendation.pk
    rejected(recommendation.save)


def test_a_sub_point_position_is_used_once_per_parent(recommendation, source):
    def sub_point(number):
        return Recommendation.objects.create(
            meeting=recommendation.meeting,
            parent=recommendation,
            position=1,
            number=number,
            text=number,
            source=source,
        )

    sub_point("a")
    rejected(lambda: sub_point("b"))


def test_a_section_letter_is_used_once_per_roundtable(section, source):
    rejected(lambda: Section.objects.create(roundtable=section.roundtable, letter="a", title="Again", source=source))


def test_a_section_letter_is_a_lower_case_letter(roundtable, source):
    rejected(lambda: Section.objects.create(roundtable=roundtable, letter="1", title="Digit", source=source))


def test_an_activity_position_is_used_once_per_section(activity, source):
    rejected(lambda: ProposedActivity.objects.create(section=activity.section, position=1, text="x", source=source))


def test_an_activity_needs_text(section, source):
    rejected(lambda: ProposedActivity.objects.create(section=section, position=2, text="", source=source))


@pytest.mark.parametrize("model", [SubActivity, Objective])
def test_activity_items_have_one_position_each_and_text(activity, model):
    model.objects.create(activity=activity, position=1, text="First")
    rejected(lambda: model.objects.create(activity=activity, position=1, text="Again"))
    rejected(lambda: model.objects.create(activity=activity, position=2, text=""))


def test_a_milestone_position_is_used_once_per_meeting(meeting, source):
    Milestone.objects.create(meeting=meeting, position=1, when="May 2099", text="First", source=source)
    rejected(lambda: Milestone.objects.create(meeting=meeting, position=1, when="June 2099", text="x", source=source))


def test_full_clean_reports_a_broken_constraint_in_words(meeting, source):
    from django.core.exceptions import ValidationError

    bad = Meeting(**meeting_values(source, end_date=datetime.date(2098, 5, 1)))
    with pytest.raises(ValidationError, match="meeting_ends_after_it_starts"):
        bad.full_clean()
