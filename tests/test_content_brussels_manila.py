"""Pins the content of fixtures/brussels-2007.yaml and fixtures/manila-2008.yaml.

Counts were made from the sources: 001 (slide deck on GFMD I follow-up and the
preparation of GFMD II) and 004 (IOM presentation of 3 October 2008).
"""

import pytest
from django.db.models import Q

from recommendations.models import Recommendation
from sessions.models import Milestone, Roundtable, Session

pytestmark = pytest.mark.django_db


def recs(meeting, kind, roundtable=None, top_level=True):
    qs = Recommendation.objects.filter(meeting__slug=meeting, kind=kind, track="government")
    qs = qs.filter(roundtable__isnull=True) if roundtable is None else qs.filter(roundtable__number=roundtable)
    if top_level:
        qs = qs.filter(parent__isnull=True)
    return qs


# -- Brussels 2007 --------------------------------------------------------


def test_brussels_has_three_government_roundtables_with_established_titles():
    titles = dict(
        Roundtable.objects.filter(meeting__slug="brussels-2007", track="government", stage="held").values_list(
            "number", "title"
        )
    )
    assert titles == {
        1: "Human capital development and labour mobility",
        2: "Remittances and other diaspora resources",
        3: "Enhancing institutional and policy coherence and promoting partnerships",
    }


def test_brussels_roundtables_sit_under_the_gmg_matrix_theme_headings():
    headings = dict(
        Roundtable.objects.filter(meeting__slug="brussels-2007", track="government").values_list(
            "number", "group_heading"
        )
    )
    assert headings[1] == headings[2] == "Theme 1: Migration and socio-economic development"
    assert headings[3] == (
        "Theme 2: Best ways to strengthen the links between migration policies and development policies"
    )


def test_brussels_roundtable_3_notes_the_other_wording_and_cites_the_sources():
    rt = Roundtable.objects.get(meeting__slug="brussels-2007", track="government", stage="held", number=3)
    assert rt.source.slug == "gfmd-org-node-229"
    assert {"gfmd-i-follow-up-slides", "iom-labour-migration-2008"} <= set(
        rt.other_sources.values_list("slug", flat=True)
    )
    assert "Enhancing policy and institutional coherence" in rt.editorial_note


@pytest.mark.parametrize("number, count", [(1, 6), (2, 4), (3, 4)])
def test_brussels_recommendations_per_roundtable_from_iom_presentation(number, count):
    qs = recs("brussels-2007", "recommendation", number)
    assert qs.count() == count
    assert set(qs.values_list("source__slug", flat=True)) == {"iom-labour-migration-2008"}


def test_brussels_has_four_cross_cutting_recommendations():
    qs = recs("brussels-2007", "recommendation")
    assert qs.count() == 4
    assert set(qs.values_list("group_heading", flat=True)) == {
        "Cross-cutting issues: root causes of migration, human rights and gender"
    }


@pytest.mark.parametrize("number, count", [(1, 5), (2, 0), (3, 6)])
def test_brussels_follow_up_actions_per_roundtable_from_slide_deck(number, count):
    qs = recs("brussels-2007", "follow-up", number)
    assert qs.count() == count
    if count:
        assert set(qs.values_list("source__slug", flat=True)) == {"gfmd-i-follow-up-slides"}


def test_brussels_has_no_sessions_because_their_titles_are_unknown():
    assert not Session.objects.filter(meeting__slug="brussels-2007").exists()


def test_brussels_roundtable_1_recommendations_in_source_order():
    texts = list(recs("brussels-2007", "recommendation", 1).order_by("position").values_list("text", flat=True))
    assert texts[0] == "Establish a matrix of good practices"
    assert texts[4] == "Develop a seasonal workers model (e.g., Guatemala/Canada)"
    assert texts[5] == "Organize a workshop on circular migration"


def test_brussels_cross_cutting_third_recommendation_fights_trafficking():
    rec = recs("brussels-2007", "recommendation").get(position=3)
    assert rec.text == "Fight against human trafficking"
    assert "trafficking" in rec.tags.names()


def test_brussels_roundtable_3_last_follow_up_is_rcp_focal_points_network():
    rec = recs("brussels-2007", "follow-up", 3).get(position=6)
    assert rec.text == "Network of GFMD Focal Points among Regional Consultative Processes (RCPs)"


def test_brussels_roundtable_1_first_follow_up_is_health_sector_matrix():
    rec = recs("brussels-2007", "follow-up", 1).get(position=1)
    assert rec.text == "Matrix of Good Practices Health Sector"


# -- Manila 2008 ----------------------------------------------------------


def test_manila_has_three_government_roundtables_with_established_titles():
    titles = dict(
        Roundtable.objects.filter(meeting__slug="manila-2008", track="government", stage="held").values_list(
            "number", "title"
        )
    )
    assert titles == {
        1: "Migration, Development and Human Rights",
        2: "Secure, Regular Migration Can Achieve Stronger Development Impacts",
        3: "Policy and Institutional Coherence and Partnerships",
    }


def test_manila_roundtable_2_notes_the_draft_wording():
    rt = Roundtable.objects.get(meeting__slug="manila-2008", track="government", stage="held", number=2)
    assert "Promoting Safer, Legal Migration in Order to Strengthen Development Impact of Migration" in (
        rt.editorial_note
    )
    assert "Secure, legal migration can achieve stronger development impacts" in rt.editorial_note


@pytest.mark.parametrize("number, count", [(1, 2), (2, 2), (3, 3)])
def test_manila_sessions_per_roundtable(number, count):
    qs = Session.objects.filter(meeting__slug="manila-2008", roundtable__track="government", roundtable__number=number)
    assert qs.count() == count


def test_manila_session_titles_as_printed_in_iom_presentation():
    titles = dict(Session.objects.filter(meeting__slug="manila-2008").values_list("number", "title"))
    assert titles["1.1"] == "Protecting the rights of the migrants – a shared responsibility"
    assert titles["2.1"] == "Fostering more opportunities for legal migration"
    assert titles["3.3"] == "Regional consultative processes at the interface of migration and development"


@pytest.mark.parametrize("number, count", [(1, 5), (2, 4), (3, 5)])
def test_manila_key_messages_per_roundtable(number, count):
    qs = recs("manila-2008", "key-message", number)
    assert qs.count() == count
    assert set(qs.values_list("source__slug", flat=True)) == {"gfmd-i-follow-up-slides"}


def test_manila_roundtable_1_first_key_message():
    rec = recs("manila-2008", "key-message", 1).get(position=1)
    assert rec.text.startswith(
        "Migrants are best able to contribute to development in both the home country and the host country, "
        "when they are protected and supported socially, economically, politically, and in terms of their basic "
        "human rights."
    )


def test_manila_roundtable_2_key_message_on_trafficking_and_smuggling():
    rec = recs("manila-2008", "key-message", 2).get(position=3)
    assert rec.text == (
        "Defining multi-stakeholders' role in combating the negative consequences of migration such as "
        "trafficking in persons, migrant smuggling, and others;"
    )


def test_manila_has_eleven_feedback_points_on_draft_roundtables():
    qs = recs("manila-2008", "feedback")
    assert qs.count() == 11
    assert qs.get(position=1).text == "Need to Focus and Streamline RTDs"
    assert qs.get(position=11).text == "Maximize use of ICT / Internet / Web"


def reported_beside_manila():
    """The points of the two other events IOM's presentation reports beside Manila: the events', not Manila's."""
    return Recommendation.objects.filter(event__meeting__slug="manila-2008", parent__isnull=True)


def test_manila_has_nineteen_points_reported_from_the_workshop_and_the_expert_meeting():
    qs = reported_beside_manila()
    assert qs.count() == 19 and set(qs.values_list("kind", flat=True)) == {"reported-point"}
    assert set(qs.values_list("source__slug", flat=True)) == {"iom-labour-migration-2008"}
    circular = qs.filter(group_heading__startswith="Circular Migration")
    assert circular.count() == 4
    assert qs.filter(group_heading__startswith="Expert Meeting").count() == 15


def test_manila_expert_meeting_policy_coherence_point_has_two_sub_points():
    parent = reported_beside_manila().get(
        text="Need more policy coherence in the field of migration in order to maximize the development "
        "benefits of migration"
    )
    assert list(parent.children.order_by("position").values_list("text", flat=True)) == [
        "At global institutional level",
        "At country level (Ministry of finance, health, labour, trade,etc)",
    ]


def test_manila_gender_point_keeps_its_dash():
    assert (
        reported_beside_manila()
        .filter(text="Migration is not gender neutral – it has different implications for men and women")
        .exists()
    )


def test_manila_preparatory_meetings_are_three_milestones_in_order():
    milestones = list(
        Milestone.objects.filter(meeting__slug="manila-2008", source__slug="gfmd-i-follow-up-slides")
        .order_by("position")
        .values_list("when", "text")
    )
    assert milestones == [
        ("15 Oct 2007", "1st Steering Group Meeting"),
        ("19 Nov 2007", "2nd Steering Group Meeting"),
        ("17 Dec 2007", "1st Friends of the Forum Meeting"),
    ]


def test_brussels_and_manila_texts_have_no_extraction_damage():
    for rec in Recommendation.objects.filter(
        Q(meeting__slug__in=["brussels-2007", "manila-2008"]) | Q(event__meeting__slug="manila-2008")
    ):
        assert "  " not in rec.text
        assert "\n" not in rec.text
