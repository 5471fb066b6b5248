"""Pins the content of fixtures/brussels-2007-gmg-matrix.yaml against the GMG matrix
of proposed activities for the Brussels 2007 roundtables (source gmg-matrix-2007).

Counts were made by hand from the source: 16 lettered sections (a-h, a-d, a-d),
63 proposed activities, 102 specific sub-activities and 79 objectives.
"""

import pytest

from recommendations.models import GMGMember, Objective, ProposedActivity, Section, SubActivity

pytestmark = pytest.mark.django_db

SOURCE = "gmg-matrix-2007"


def activities():
    return ProposedActivity.objects.filter(section__roundtable__meeting__slug="brussels-2007", source__slug=SOURCE)


def activity(roundtable, letter, position):
    return activities().get(section__roundtable__number=roundtable, section__letter=letter, position=position)


def sections(roundtable):
    return Section.objects.filter(
        roundtable__meeting__slug="brussels-2007", roundtable__number=roundtable, source__slug=SOURCE
    )


# -- sections ------------------------------------------------------------------


@pytest.mark.parametrize(
    "roundtable, letters",
    [(1, "abcdefgh"), (2, "abcd"), (3, "abcd")],
)
def test_each_roundtable_has_its_lettered_sections(roundtable, letters):
    assert "".join(sections(roundtable).order_by("letter").values_list("letter", flat=True)) == letters


def test_matrix_has_sixteen_sections_in_all():
    assert Section.objects.filter(roundtable__meeting__slug="brussels-2007", source__slug=SOURCE).count() == 16


@pytest.mark.parametrize(
    "roundtable, letter, title",
    [
        (1, "b", "Enhancing Foreign Employment Policies in Countries of Origin"),
        (1, "c", "Human Capital Development, Recognition of Qualifications and Ethical Recruitment"),
        (1, "e", "Preparing and Empowering Migrants to Live Successfully in the Host Community"),
        (1, "g", "Protecting the Rights and Interests of Migrant Workers and Their Families"),
        (2, "c", "Mobilizing Financial, Business and Entrepreneurial Resources of Diasporas/Migrants"),
        (2, "d", "Drawing on the Non-Financial Resources of Diasporas/Migrants"),
        (
            3,
            "a",
            "Understanding the Impact of Migration and Migration Policies on Development, and "
            "Mainstreaming Migration into Development Strategies and Policies",
        ),
    ],
)
def test_section_titles_are_repaired_from_split_words(roundtable, letter, title):
    assert sections(roundtable).get(letter=letter).title == title


# -- activities per roundtable and section ------------------------------------------


@pytest.mark.parametrize("roundtable, count", [(1, 36), (2, 13), (3, 14)])
def test_each_roundtable_has_its_number_of_proposed_activities(roundtable, count):
    assert activities().filter(section__roundtable__number=roundtable).count() == count


@pytest.mark.parametrize(
    "roundtable, letter, count",
    [
        (1, "a", 4),
        (1, "b", 2),
        (1, "c", 5),
        (1, "d", 4),
        (1, "e", 3),
        (1, "f", 2),
        (1, "g", 11),
        (1, "h", 5),
        (2, "a", 3),
        (2, "b", 6),
        (2, "c", 2),
        (2, "d", 2),
        (3, "a", 4),
        (3, "b", 3),
        (3, "c", 5),
        (3, "d", 2),
    ],
)
def test_each_section_has_its_number_of_proposed_activities(roundtable, letter, count):
    assert activities().filter(section__roundtable__number=roundtable, section__letter=letter).count() == count


def test_matrix_has_102_sub_activities_and_79_objectives():
    assert SubActivity.objects.filter(activity__in=activities()).count() == 102
    assert Objective.objects.filter(activity__in=activities()).count() == 79


@pytest.mark.parametrize(
    "roundtable, letter, position, subs, objectives",
    [
        (1, "a", 1, 6, 2),
        (1, "a", 3, 3, 1),
        (1, "b", 2, 7, 1),
        (1, "d", 3, 5, 4),
        (1, "d", 4, 7, 2),
        (1, "g", 5, 3, 1),
        (1, "h", 1, 7, 1),
        (2, "c", 1, 11, 3),
        (3, "a", 1, 0, 2),
        (3, "c", 2, 0, 4),
        (3, "d", 1, 0, 3),
    ],
)
def test_activity_has_its_sub_activities_and_objectives(roundtable, letter, position, subs, objectives):
    item = activity(roundtable, letter, position)
    assert item.sub_activities.count() == subs
    assert item.objectives.count() == objectives


# -- GMG members ------------------------------------------------------------------


@pytest.mark.parametrize(
    "acronym, count",
    [("IOM", 62), ("UNDP", 29), ("UNHCR", 19), ("UNFPA", 11), ("UNODC", 6), ("UN-DESA", 4)],
)
def test_gmg_member_is_listed_with_expertise_for_its_number_of_activities(acronym, count):
    assert activities().filter(gmg_members__acronym=acronym).count() == count


def test_only_the_six_members_named_in_the_matrix_are_listed():
    named = set(GMGMember.objects.filter(activities__in=activities()).values_list("acronym", flat=True))
    assert named == {"IOM", "UNDP", "UNHCR", "UNFPA", "UNODC", "UN-DESA"}


def test_every_activity_lists_at_least_one_gmg_member():
    assert not activities().filter(gmg_members__isnull=True).exists()


def test_only_research_on_development_leading_to_migration_lacks_iom():
    without_iom = activities().exclude(gmg_members__acronym="IOM")
    assert [(a.section.roundtable.number, a.section.letter, a.position) for a in without_iom] == [(3, "b", 2)]
    assert set(without_iom.get().gmg_members.values_list("acronym", flat=True)) == {"UN-DESA", "UNDP"}


@pytest.mark.parametrize(
    "roundtable, letter, position, members",
    [
        (1, "g", 1, {"IOM", "UNFPA", "UNHCR", "UNODC"}),
        (1, "h", 1, {"IOM", "UNHCR", "UNODC"}),
        (1, "h", 2, {"IOM", "UNFPA", "UNODC"}),
        (3, "c", 5, {"IOM", "UN-DESA", "UNDP", "UNFPA", "UNHCR"}),
    ],
)
def test_activity_lists_exactly_the_members_of_its_row(roundtable, letter, position, members):
    item = activity(roundtable, letter, position)
    assert set(item.gmg_members.values_list("acronym", flat=True)) == members


# -- texts ------------------------------------------------------------------------


def test_first_activity_opens_with_the_selection_of_workers():
    assert activity(1, "a", 1).text.startswith(
        "Facilitate the selection, preparation/training and movement of workers in countries of origin"
    )
    assert activity(1, "a", 1).text.endswith("Specific activities might include:")


def test_ocr_error_in_sub_activity_is_repaired():
    assert activity(1, "a", 1).sub_activities.get(position=3).text == (
        "skills/qualification checks (e.g. verifying diploma, language and professional abilities);"
    )


def test_numbered_parts_of_an_objective_stay_in_one_objective():
    objective = activity(1, "a", 3).objectives.get()
    assert objective.text.startswith(
        "Enhance information on labour market trends, labour force profiles and labour migration trends"
    )
    assert "(2) provide countries of origin and destination" in objective.text
    assert objective.text.endswith("to better achieve the above.")


def test_activity_keeps_its_cross_reference_sentence():
    assert activity(1, "c", 1).text.endswith("(discussed in more detail above)")


def test_objective_split_by_the_member_column_is_joined():
    assert activity(1, "d", 2).objectives.get().text == (
        "Provide incentives for migrants to return to their countries of origin, taking into "
        "consideration the interests of countries of origin and destination and migrants themselves."
    )


def test_reintegration_objectives_continue_across_the_page_break():
    texts = list(activity(1, "d", 3).objectives.values_list("text", flat=True))
    assert texts[0] == "Enhance sustainability of return and reintegration in countries of origin."
    assert texts[3] == "Facilitate the access/eligibility of returning migrants to local services."


def test_sub_activities_continue_after_the_page_break():
    assert activity(1, "b", 2).sub_activities.get(position=7).text == (
        "negotiate mutual recognition of qualifications agreements."
    )
    assert activity(1, "h", 1).sub_activities.get(position=4).text == (
        "strengthening the capacity of law enforcement and judiciary to identify vulnerable migrants "
        "and protect their rights;"
    )


def test_minimum_labour_standards_objective_keeps_its_note():
    text = activity(1, "g", 5).objectives.get().text
    assert text.startswith("Protect the rights and interests of migrant workers through minimum labour standards.")
    assert "Note: While minimum labour standards established by countries of origin" in text


def test_family_assistance_activity_is_read_across_interleaved_columns():
    assert activity(1, "g", 9).text.startswith(
        "Establish mechanisms to provide assistance to families of migrants who remain in home countries "
        "(e.g. through educational grants, vocational training, credit, etc.)."
    )


def test_dual_citizenship_measures_stay_in_one_sub_activity():
    text = activity(2, "c", 1).sub_activities.get(position=9).text
    assert text.startswith("foster diasporas’/migrants’ sense of belonging")
    assert "(a) recognizing dual citizenship; and" in text
    assert "(d) allowing members of their diaspora/migrants abroad" in text


def test_remittance_tax_incentive_activity_text():
    assert activity(2, "b", 6).text == (
        "In host countries, provide tax incentives/relief to migrants for the money remitted to home countries."
    )


def test_mainstreaming_objective_mentions_prsps_and_is_repaired():
    texts = list(activity(3, "a", 3).objectives.values_list("text", flat=True))
    assert "development planning (e.g. PRSPs)" in texts[0]
    assert "measured in objective, quantifiable manners" in texts[1]


def test_rcp_activity_has_four_objectives_in_order():
    texts = list(activity(3, "c", 2).objectives.values_list("text", flat=True))
    assert texts == [
        "Increase inter-state consultation and cooperation on migration and development issues.",
        "Identify common areas of interest, for example between countries of origin and destination.",
        "Facilitate exchange of information on migration and development-related data and policies.",
        "Provide a framework for capacity-building.",
    ]


def test_civil_society_paragraph_after_page_break_belongs_to_stakeholder_dialogue():
    text = activity(3, "c", 4).text
    assert text.startswith("Bring together governments and non-governmental stakeholders for dialogue")
    assert "(e.g. the Puebla Process)" in text


def test_last_activity_of_the_matrix():
    assert activity(3, "d", 2).text.startswith("Assess national migration legislation and elaborate recommendations")


# -- provenance and hygiene ---------------------------------------------------------


def test_every_activity_has_a_theme_and_a_source_location():
    assert not activities().filter(themes__isnull=True).exists()
    for item in activities().select_related("section__roundtable"):
        section = item.section
        where = f"Roundtable {section.roundtable.number}, section {section.letter}, activity {item.position}"
        assert item.source_location.endswith(where)


def test_no_matrix_text_has_doubled_spaces_or_extraction_debris():
    texts = list(activities().values_list("text", flat=True))
    texts += list(SubActivity.objects.filter(activity__in=activities()).values_list("text", flat=True))
    texts += list(Objective.objects.filter(activity__in=activities()).values_list("text", flat=True))
    for text in texts:
        assert "  " not in text
        for debris in ("e.qg.", "Obijective", "returnto", "framewaorks", "guantifiable", "Countri es"):
            assert debris not in text
