"""check_content names each problem planted in a database without content (tests/test_content_check.py
runs it on the real content)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gfmd.models import SourceDocument
from pipeline.checks import find_problems
from recommendations.models import Objective, Recommendation, Section
from sessions.models import Milestone, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_content")]


def problems_of(record):
    """The report lines that name this record."""
    problems, _ = find_problems()
    return [str(p) for p in problems if p.record._meta.model is record._meta.model and p.record.pk == record.pk]


def messages(record):
    return [line.split("): ", 1)[1] for line in problems_of(record)]


def recommendation(roundtable, position, number, **values):
    return Recommendation.objects.create(
        meeting=roundtable.meeting,
        roundtable=roundtable,
        position=position,
        number=number,
        text=values.pop("text", "Do the test."),
        source=roundtable.source,
        source_location=f"Recommendation {number}",
        **values,
    )


def test_it_exits_with_the_count_and_prints_one_line_per_problem(roundtable):
    roundtable.meeting.source_location = "Meeting page"
    roundtable.meeting.save()
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^2 problems found in \d+ records\.$"):
        call_command("check_content", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        f"Roundtable “{roundtable}” (/admin/gfmd_sessions/roundtable/{roundtable.pk}/change/): "
        "does not say where in its source it comes from (source location is empty).",
        f"Roundtable “{roundtable}” (/admin/gfmd_sessions/roundtable/{roundtable.pk}/change/): is linked to no theme.",
    ]


# -- provenance, activities, themes -----------------------------------------


def test_it_names_a_session_without_a_source_location_or_a_theme(session, theme):
    assert problems_of(session) == [
        f"Session “{session}” (/admin/gfmd_sessions/session/{session.pk}/change/): "
        "does not say where in its source it comes from (source location is empty).",
        f"Session “{session}” (/admin/gfmd_sessions/session/{session.pk}/change/): is linked to no theme.",
    ]
    Session.objects.filter(pk=session.pk).update(source_location="Session 1.1")
    session.themes.add(theme)
    assert problems_of(session) == []


def test_it_names_an_activity_without_objectives_or_gmg_members(activity, theme):
    activity.themes.add(theme)
    assert messages(activity) == [
        "does not say where in its source it comes from (source location is empty).",
        "has no objective.",
    ]
    activity.gmg_members.clear()
    assert "names no GMG member with expertise." in messages(activity)


def test_sub_points_need_no_theme_of_their_own(roundtable, theme):
    parent = recommendation(roundtable, 1, "1")
    parent.themes.add(theme)
    child = recommendation(roundtable, 1, "a", parent=parent)
    assert problems_of(parent) == problems_of(child) == []


# -- numbering --------------------------------------------------------------


def test_it_names_a_gap_in_numbered_recommendations(roundtable, theme):
    first, third = recommendation(roundtable, 1, "1"), recommendation(roundtable, 2, "3")
    for rec in (first, third):
        rec.themes.add(theme)
    assert problems_of(first) == []
    assert problems_of(third) == [
        f"Recommendation “{third}” (/admin/recommendations/recommendation/{third.pk}/change/): "
        "numbers in its list run 1, 3; expected 1, 2."
    ]


def test_it_names_a_duplicate_letter_among_sub_points(roundtable):
    parent = recommendation(roundtable, 1, "1")
    recommendation(roundtable, 1, "a", parent=parent)
    second = recommendation(roundtable, 2, "a", parent=parent)
    assert "numbers in its list run a, a: a duplicate; expected a, b." in messages(second)


def test_letters_may_restart_under_each_heading_but_not_skip(roundtable):
    parent = recommendation(roundtable, 1, "1")
    for position, (number, heading) in enumerate([("a", "On process"), ("b", "On process"), ("a", "Other")], 1):
        recommendation(roundtable, position, number, parent=parent, group_heading=heading)
    assert not any("numbers in its list" in p for p in map(str, find_problems()[0]))
    skipped = recommendation(roundtable, 4, "c", parent=parent, group_heading="Other")
    assert messages(skipped) == ["numbers under its heading run a, c; expected a, b."]


def test_roman_numbers_run_i_ii_iii(roundtable):
    parent = recommendation(roundtable, 1, "1")
    recommendation(roundtable, 1, "i", parent=parent)
    recommendation(roundtable, 2, "ii", parent=parent)
    fourth = recommendation(roundtable, 3, "iv", parent=parent)
    assert messages(fourth) == ["numbers in its list run i, ii, iv; expected i, ii, iii."]


def test_it_names_an_unnumbered_item_in_a_numbered_list(roundtable):
    recommendation(roundtable, 1, "1")
    bullet = recommendation(roundtable, 2, "")
    assert "has no number, but other items of its list are numbered." in messages(bullet)


def test_it_names_a_gap_in_sessions_from_a_document_transcribed_in_full(roundtable, source):
    Session.objects.create(roundtable=roundtable, number="1.1", title="First", source=source)
    third = Session.objects.create(roundtable=roundtable, number="1.3", title="Third", source=source)
    assert "numbers in its list run 1.1, 1.3; expected 1.1, 1.2." in messages(third)


def test_sessions_from_a_web_page_may_skip(roundtable):
    page = SourceDocument.objects.create(slug="test-page", title="A page", kind="web-page")
    second = Session.objects.create(roundtable=roundtable, number="1.2", title="Second", source=page)
    assert not any(m.startswith("numbers") for m in messages(second))


def test_it_names_a_session_numbered_for_another_roundtable(roundtable, source):
    stray = Session.objects.create(roundtable=roundtable, number="2.1", title="Stray", source=source)
    assert "number 2.1 is not of the form 1.n of its roundtable." in messages(stray)


def test_it_names_a_gap_in_section_letters(roundtable, source):
    Section.objects.create(roundtable=roundtable, letter="a", title="First", source=source)
    third = Section.objects.create(roundtable=roundtable, letter="c", title="Third", source=source)
    assert problems_of(third) == [
        f"Section “{third}” (/admin/recommendations/section/{third.pk}/change/): "
        "does not say where in its source it comes from (source location is empty).",
        f"Section “{third}” (/admin/recommendations/section/{third.pk}/change/): "
        "numbers in its list run a, c; expected a, b.",
    ]


def test_it_names_a_gap_in_objective_positions(activity):
    Objective.objects.create(activity=activity, position=1, text="First.")
    third = Objective.objects.create(activity=activity, position=3, text="Third.")
    assert problems_of(third) == [
        f"Objective “Third.” (/admin/recommendations/proposedactivity/{activity.pk}/change/, objective 3): "
        "positions in its list run 1, 3; expected 1, 2."
    ]


def test_it_names_a_gap_in_milestone_positions(meeting, source):
    Milestone.objects.create(
        meeting=meeting, position=2, when="May 2099", text="Late.", source=source, source_location="Timeline"
    )
    milestone = Milestone.objects.get(meeting=meeting)
    assert problems_of(milestone) == [
        f"Milestone “{milestone}” (/admin/gfmd_sessions/milestone/{milestone.pk}/change/): "
        "positions in its list run 2; expected 1."
    ]


# -- extraction damage ------------------------------------------------------


@pytest.mark.parametrize(
    "text, damage",
    [
        ("Enhancing Foreign Employment Policies in Countri es of Origin", "a word split by the extraction"),
        ("Recognition of Qualif  ications", "a word split by the extraction"),
        ("Protect  migrant workers.", "a doubled space"),
        ("Protect migrant workers , and families.", "a space before punctuation"),
        ("( e.g. domestic workers)", "a space before punctuation"),
        ("regular intra-\ngovernmental discussions", "a hyphen at a line end"),
        ("regular intra- governmental discussions", "a hyphen followed by a space"),
        ("monitor recruitment\n12\npractices", "a stray page number"),
        ("the rights of migrants3 and their families", "a footnote marker glued to a word"),
        ("• Protect migrant workers.", "a bullet character"),
        ("\uf0b7 Protect migrant workers.", "a bullet character"),
        ("the conditions and ~~pects~~ of people", "a PDF artefact"),
        ("page one\x0cpage two", "a PDF artefact"),
        ("Protect migrant workers. \nAnd families.", "a trailing space on a line"),
        (" Protect migrant workers.", "leading or trailing whitespace"),
    ],
)
def test_it_names_extraction_damage(recommendation, text, damage):
    Recommendation.objects.filter(pk=recommendation.pk).update(text=text)
    recommendation.refresh_from_db()
    assert any(m.startswith(f"text has {damage}") for m in messages(recommendation)), messages(recommendation)


@pytest.mark.parametrize(
    "text",
    [
        "Both low- and high-skilled workers.",
        "In line with ILO C189 and with the G20 countries.",
        "Strengthening data (MDGs), e.g. in 2009.",
    ],
)
def test_it_leaves_sound_text_alone(recommendation, text):
    Recommendation.objects.filter(pk=recommendation.pk).update(text=text)
    assert not any(m.startswith("text has ") for m in messages(recommendation))
