"""Pins the content of the 2009 government, 2010, 2011 and 2012 fixtures.

fixtures/mauritius-2012-concept-paper.yaml (source mauritius-2012-concept-paper, the Chair's concept
paper of 26 January 2012, as planned), fixtures/mauritius-2012.yaml (as held),
fixtures/puerto-vallarta-2010.yaml, fixtures/geneva-2011.yaml and
fixtures/athens-2009-government.yaml (the GFMD's meeting pages). Counts were made from
the sources.
"""

import pytest

from recommendations.models import Recommendation
from sessions.models import Milestone, Roundtable, Session

pytestmark = pytest.mark.django_db

MAURITIUS = "mauritius-2012"


def planned_session(number):
    return Session.objects.get(
        meeting__slug=MAURITIUS, roundtable__track="government", roundtable__stage="planned", number=number
    )


def held_session(number):
    return Session.objects.get(
        meeting__slug=MAURITIUS, roundtable__track="government", roundtable__stage="held", number=number
    )


def outcomes(**filters):
    return Recommendation.objects.filter(
        meeting__slug=MAURITIUS, kind="outcome-sought", roundtable__stage="planned", **filters
    )


# -- Mauritius 2012, as planned ---------------------------------------------


def test_concept_paper_planned_four_roundtables_without_titles_in_the_fragment():
    planned = Roundtable.objects.filter(meeting__slug=MAURITIUS, track="government", stage="planned")
    assert list(planned.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert set(planned.values_list("title", flat=True)) == {""}
    assert set(planned.values_list("source__slug", flat=True)) == {"mauritius-2012-concept-paper"}


def test_planned_sessions_per_roundtable_are_those_the_fragment_describes():
    counts = {
        number: Session.objects.filter(
            meeting__slug=MAURITIUS, roundtable__stage="planned", roundtable__number=number
        ).count()
        for number in (1, 2, 3, 4)
    }
    assert counts == {1: 1, 2: 1, 3: 2, 4: 2}
    numbers = Session.objects.filter(meeting__slug=MAURITIUS, roundtable__stage="planned").values_list(
        "number", flat=True
    )
    assert sorted(numbers) == ["", "", "2.1", "3.2", "4.1", "4.2"]


def test_the_sessions_the_fragment_prints_without_number_or_title_are_kept():
    corridor = Session.objects.get(meeting__slug=MAURITIUS, slug="planned-1-untitled")
    assert (corridor.number, corridor.title, corridor.heading) == ("", "", "Untitled session")
    assert corridor.discussion.startswith("The session could rehearse the challenges and solutions for skills")
    perceptions = Session.objects.get(meeting__slug=MAURITIUS, slug="planned-3-untitled")
    assert perceptions.discussion == "" and perceptions.recommendations.count() == 4


def test_planned_session_titles_are_quoted():
    assert planned_session("2.1").title == (
        "Supporting National Development through Migration Mainstreaming Processes, "
        "Extended Migration Profiles and Poverty Reduction Strategies"
    )
    assert planned_session("3.2").title == "Migrant Protection as Integral to Migration Management"
    assert planned_session("4.1").title == (
        "Enhancing legal, social and financial protection of women migrants and their families"
    )
    assert planned_session("4.2").title == (
        "Protecting Migrant Domestic Workers: Enhancing their Development Potential"
    )


def test_planned_session_discussions_keep_their_paragraphs():
    assert planned_session("2.1").discussion.count("\n\n") == 2
    assert planned_session("4.1").discussion.count("\n\n") == 1
    assert "\n\n" not in planned_session("4.2").discussion
    assert planned_session("2.1").discussion.startswith(
        "This session would take further the GFMD discussion on the tools available to governments"
    )
    assert planned_session("4.2").discussion.endswith(
        "to break their very low career ceiling and improve their access to alternative job opportunities."
    )


def test_planned_session_3_2_keeps_only_what_the_fragment_prints():
    session = planned_session("3.2")
    assert session.discussion.endswith("including in the context of mixed flows of migrants,")
    assert session.editorial_note


def test_planned_roundtable_summaries_are_quoted_where_the_fragment_has_them():
    summaries = dict(
        Roundtable.objects.filter(meeting__slug=MAURITIUS, stage="planned").values_list("number", "summary")
    )
    assert summaries[1] == "" and summaries[3] == ""
    assert summaries[2].startswith("Particular attention would be given to South-South migration")
    assert summaries[4].startswith("persist in countries of origin and destination")
    assert summaries[4].endswith("to build on work commenced in 2011 on this issue.")


def test_outcomes_sought_per_planned_session():
    counts = {number: outcomes(session__number=number).count() for number in ("2.1", "3.2", "4.1", "4.2")}
    assert counts == {"2.1": 2, "3.2": 0, "4.1": 6, "4.2": 4}


def test_roundtable_3_outcomes_belong_to_its_untitled_session():
    rt3 = outcomes(roundtable__number=3, session__slug="planned-3-untitled")
    assert rt3.count() == 4
    assert list(rt3.order_by("position").values_list("text", flat=True))[2] == (
        "shared understanding of the critical role that political leaders play in framing debates "
        "about migrants and migration"
    )


def test_mauritius_has_sixteen_outcomes_sought_in_all():
    assert Recommendation.objects.filter(meeting__slug=MAURITIUS, kind="outcome-sought").count() == 16


def test_session_4_1_outcomes_are_numbered_i_to_vi_and_quoted():
    items = outcomes(session__number="4.1").order_by("position")
    assert list(items.values_list("number", flat=True)) == ["i", "ii", "iii", "iv", "v", "vi"]
    assert items[3].text == (
        "cooperation initiatives by country of origin and destination to prevent abuse of women, "
        "e.g. mandatory pre-departure training"
    )


def test_session_4_2_outcomes_are_lettered_a_to_d_and_quoted():
    items = outcomes(session__number="4.2").order_by("position")
    assert list(items.values_list("number", flat=True)) == ["a", "b", "c", "d"]
    assert items[2].text == "factoring international domestic workers into country and regional Migration Profiles"
    assert items[3].text == "country reports on legal and social protections for domestic workers"


def test_session_2_1_cut_off_outcome_carries_a_note():
    items = outcomes(session__number="2.1").order_by("position")
    assert items[0].text.startswith("models of effective programs that factor migration into development planning")
    assert items[1].text.endswith("the concepts underlying these tools and the")
    assert items[1].editorial_note


def test_planned_sessions_link_to_the_sessions_as_held():
    def held_as(number):
        return Session.objects.with_held_as().get(pk=planned_session(number).pk).held_as_id

    assert held_as("2.1") == held_session("2.1").pk
    assert held_as("3.2") == held_session("3.2").pk
    assert held_as("4.2") == held_session("3.3").pk
    assert held_as("4.1") is None


def test_assessment_phase_ii_timeline_has_six_milestones():
    milestones = Milestone.objects.filter(meeting__slug=MAURITIUS).order_by("position")
    assert list(milestones.values_list("when", flat=True)) == [
        "02 December 2011",
        "Between January and May 2012",
        "June 2012",
        "August 2012",
        "21-22 November 2012",
        "Before 31 December 2012",
    ]
    assert milestones[2].text == (
        "In June 2012, the Assessment Team will present a consolidated paper on the possible options "
        "for the Forum's future to the Steering Group and Friends of the Forum."
    )
    assert milestones[5].text == (
        "The final assessment report would be prepared by the Mauritian Chair before 31 December 2012."
    )


# -- Mauritius 2012, as held -------------------------------------------------


def test_mauritius_held_three_roundtables_with_established_titles():
    titles = dict(
        Roundtable.objects.filter(meeting__slug=MAURITIUS, track="government", stage="held").values_list(
            "number", "title"
        )
    )
    assert titles == {
        1: "Circulating Labour for Inclusive Development",
        2: "Factoring Migration into Development Planning",
        3: "Managing Migration and Perceptions of Migration for Development Outcomes",
    }


def test_mauritius_held_sessions_per_roundtable():
    counts = {
        number: Session.objects.filter(
            meeting__slug=MAURITIUS, roundtable__stage="held", roundtable__number=number
        ).count()
        for number in (1, 2, 3)
    }
    assert counts == {1: 2, 2: 2, 3: 3}


def test_mauritius_held_co_chairs_where_known():
    assert held_session("1.2").co_chairs == "France, Kenya, Morocco"
    assert held_session("3.3").co_chairs == "Philippines, Turkey"
    assert held_session("3.3").title == ("Protecting Migrant Domestic Workers - Enhancing their Development Potential")
    assert held_session("1.1").co_chairs == ""


def test_held_roundtable_3_notes_the_planned_fourth_roundtable():
    rt3 = Roundtable.objects.get(meeting__slug=MAURITIUS, stage="held", number=3)
    assert "fourth roundtable" in rt3.editorial_note
    assert set(rt3.other_sources.values_list("slug", flat=True)) == {
        "unesco-6th-gfmd",
        "mauritius-2012-concept-paper",
    }


# -- Puerto Vallarta 2010, Geneva 2011, Athens 2009 --------------------------


def test_puerto_vallarta_has_three_roundtables_and_four_known_sessions():
    assert Roundtable.objects.filter(meeting__slug="puerto-vallarta-2010", track="government").count() == 3
    sessions = Session.objects.filter(meeting__slug="puerto-vallarta-2010", roundtable__track="government")
    assert sorted(sessions.values_list("number", flat=True)) == ["1.1", "1.2", "2.2", "3.2"]
    assert sessions.get(number="1.1").co_chairs == "Brazil, France"
    assert sessions.get(number="3.2").title == (
        "Assessing the relevance and impact of climate change on migration and development"
    )


def test_geneva_has_two_clusters_and_no_roundtables():
    clusters = Roundtable.objects.filter(meeting__slug="geneva-2011", track="government")
    assert set(clusters.values_list("kind", flat=True)) == {"cluster"}
    assert dict(clusters.values_list("number", "title")) == {
        1: "Labour mobility and development",
        2: "Addressing irregular migration through coherent migration and development strategies",
    }


def test_athens_government_roundtable_2_title_and_diaspora_session():
    rt2 = Roundtable.objects.get(meeting__slug="athens-2009", track="government", number=2)
    assert rt2.title == "Migrant integration, reintegration and circulation for development"
    session = Session.objects.get(
        meeting__slug="athens-2009", roundtable__track="government", co_chairs="Mexico, Netherlands"
    )
    assert session.title == (
        "Engaging diasporas and migrants in development policies and programs: Their role? Their constraints?"
    )
    assert session.co_chairs == "Mexico, Netherlands"
    assert session.number == ""
    assert session.source.slug == "icmc-mexico-presidency"
