"""Pins the Civil Society Days, Athens 2009 content (fixtures/athens-2009-civil-society-days.yaml).

Counts and texts were checked by hand against the synthesis dated
"Athens, 5 November 2009" (source athens-2009-csd-synthesis).
"""

import pytest

from recommendations.models import Recommendation
from sessions.models import Roundtable, Session

pytestmark = pytest.mark.django_db

SOURCE = "athens-2009-csd-synthesis"


def csd_roundtables():
    return Roundtable.objects.filter(meeting__slug="athens-2009", track="civil-society")


def csd_recommendations():
    return Recommendation.objects.filter(meeting__slug="athens-2009", track="civil-society", source__slug=SOURCE)


def top_level(**filters):
    return csd_recommendations().filter(parent__isnull=True, **filters)


def sub_points(**filters):
    return csd_recommendations().filter(parent__isnull=False, **filters)


def recommendation(roundtable, number, session=None):
    qs = top_level(roundtable__number=roundtable, number=number)
    if session:
        qs = qs.filter(session__number=session)
    return qs.get()


# -- roundtables and sessions ---------------------------------------------


def test_civil_society_days_have_four_roundtables():
    assert list(csd_roundtables().values_list("number", flat=True)) == [1, 2, 3, 4]


def test_sessions_per_roundtable_are_three_two_two_two():
    numbers = {
        rt.number: list(rt.sessions.order_by("number").values_list("number", flat=True)) for rt in csd_roundtables()
    }
    assert numbers == {1: ["1.1", "1.2", "1.3"], 2: ["2.1", "2.2"], 3: ["3.1", "3.2"], 4: ["4.1", "4.2"]}


def test_roundtable_titles_are_as_printed_and_roundtable_4_has_none():
    titles = dict(csd_roundtables().values_list("number", "title"))
    assert titles[1] == (
        "How to make the migration-development nexus work for the achievement of the "
        "Millennium Development Goals (MDGs)"
    )
    assert titles[2] == "Migrant integration, reintegration and circulation for development"
    assert titles[3] == "Policy and Institutional Coherence and Partnerships"
    assert titles[4] == ""


def test_session_titles_keep_the_synthesis_wording():
    titles = dict(Session.objects.filter(roundtable__in=csd_roundtables()).values_list("number", "title"))
    assert titles["1.2"] == (
        "Engaging diasporas and migration in development policies and programs — Their role? Their constraints?"
    )
    assert titles["2.2"] == "Reintegration and circulate migration — effective for development?"
    assert titles["4.1"] == "Building Alliances: Business"
    assert titles["4.2"] == "The Future of the Forum"


def test_only_the_roundtable_4_sessions_have_a_discussion():
    with_discussion = (
        Session.objects.filter(roundtable__in=csd_roundtables()).exclude(discussion="").values_list("number", flat=True)
    )
    assert sorted(with_discussion) == ["4.1", "4.2"]


def test_roundtable_1_summary_quotes_the_short_summary():
    summary = csd_roundtables().get(number=1).summary
    assert summary.startswith("Each session took place against the background of a shared conviction")
    assert summary.endswith("the UN Convention on the Rights of Migrant Workers and their Families.")


def test_roundtable_3_summary_has_five_paragraphs():
    assert len(csd_roundtables().get(number=3).summary.split("\n\n")) == 5


def test_session_1_2_notes_the_government_session_title():
    session = Session.objects.get(roundtable__in=csd_roundtables(), number="1.2")
    assert "Engaging diasporas and migrants" in session.editorial_note
    assert list(session.other_sources.values_list("slug", flat=True)) == ["icmc-mexico-presidency"]


# -- recommendation counts ------------------------------------------------


def test_numbered_recommendations_per_roundtable():
    counts = {n: top_level(roundtable__number=n).count() for n in (1, 2, 3, 4)}
    assert counts == {1: 11, 2: 10, 3: 7, 4: 8}


def test_all_are_of_kind_recommendation():
    assert set(csd_recommendations().values_list("kind", flat=True)) == {"recommendation"}


def test_numbers_run_without_gaps_in_roundtables_1_to_3():
    for roundtable, last in ((1, 11), (2, 10), (3, 7)):
        numbers = list(top_level(roundtable__number=roundtable).order_by("position").values_list("number", flat=True))
        assert numbers == [str(n) for n in range(1, last + 1)]


def test_roundtable_4_recommendations_belong_to_its_two_sessions_numbered_1_to_4_each():
    for session in ("4.1", "4.2"):
        numbers = list(
            top_level(roundtable__number=4, session__number=session)
            .order_by("position")
            .values_list("number", flat=True)
        )
        assert numbers == ["1", "2", "3", "4"]


def test_roundtables_1_to_3_recommendations_are_not_tied_to_a_session():
    assert not top_level(roundtable__number__in=[1, 2, 3], session__isnull=False).exists()


def test_sub_point_counts():
    assert sub_points().count() == 39
    assert sub_points(roundtable__number=2).count() == 6
    assert sub_points(roundtable__number=4, session__number="4.1").count() == 12
    assert sub_points(roundtable__number=4, session__number="4.2").count() == 21


def test_sub_points_per_recommendation_in_roundtable_4():
    def letters(session, number):
        rec = recommendation(4, number, session)
        return "".join(rec.children.order_by("position").values_list("number", flat=True))

    assert [letters("4.1", n) for n in "1234"] == ["ab", "abcde", "abc", "ab"]
    assert [letters("4.2", n) for n in "1234"] == ["abc", "abcd", "abcde", "abcdaabcd"]


def test_roundtable_2_recommendation_2_has_six_unlettered_points():
    children = recommendation(2, "2").children.order_by("position")
    assert children.count() == 6
    assert set(children.values_list("number", flat=True)) == {""}
    assert children.last().text == "Universal education and preventive health coverage for all."


def test_roundtable_2_group_headings():
    headings = list(top_level(roundtable__number=2).order_by("position").values_list("group_heading", flat=True))
    assert headings == ["Rights"] * 4 + ["Circular migration"] * 4 + ["Reintegration"] * 2


def test_roundtable_4_second_session_recommendation_4_sub_headings():
    children = recommendation(4, "4", "4.2").children
    assert children.filter(group_heading="On process").count() == 4
    assert (
        children.filter(
            group_heading="Structure for the CS’s institutional memory and leadership of the process"
        ).count()
        == 1
    )
    assert children.filter(group_heading="Other issues").count() == 4


def test_every_top_level_recommendation_has_a_theme_and_a_location():
    for rec in top_level():
        assert rec.themes.exists(), rec
        assert rec.source_location, rec
        assert rec.source.slug == SOURCE


# -- exact texts ------------------------------------------------------------


def test_roundtable_1_recommendation_1_text():
    assert recommendation(1, "1").text.startswith(
        "Take more assertive action, in collaboration with civil society organizations, to regulate "
        "and monitor recruitment practices, and enforce the applicable laws:"
    )


def test_roundtable_1_recommendation_3_joins_across_the_page_break():
    assert (
        "make information on migration procedures more easily available to reduce dependence on intermediaries;"
        in recommendation(1, "3").text
    )


def test_roundtable_1_recommendation_4_text():
    assert recommendation(1, "4").text == (
        "Take strong initiatives to counter misinformation about migrants and the impact of migration "
        "that inflames public opinion against migrants."
    )


def test_roundtable_1_recommendation_5_keeps_the_real_hyphen():
    assert "regular intra-governmental policy discussions" in recommendation(1, "5").text


def test_roundtable_1_recommendation_11_text():
    assert recommendation(1, "11").text.startswith(
        "Send a clear message from the GFMD to the Copenhagen Conference on climate change"
    )


def test_roundtable_2_recommendation_10_text():
    assert recommendation(2, "10").text == "The role of local government and civil society ought to be valorised."


def test_roundtable_2_recommendation_5_text():
    assert recommendation(2, "5").text == (
        "Governments should reform visa regimes to allow for multi-entry visas and “test” programs "
        "for those who are thinking of return."
    )


def test_roundtable_3_recommendation_1_text():
    assert recommendation(3, "1").text == (
        "A link between migration profiles and poverty reduction strategies could serve as a useful "
        "instrument to link broader definitions and identify needs for programmes and cooperation."
    )


def test_roundtable_3_recommendation_3_repairs_the_ocr_letter():
    assert "measuring the qualifications of skilled workers;" in recommendation(3, "3").text


def test_roundtable_3_recommendation_5_text():
    assert recommendation(3, "5").text.startswith("A clearing house for sharing available data and research")


def test_roundtable_4_first_session_recommendation_1a_text():
    child = recommendation(4, "1", "4.1").children.get(number="a")
    assert child.text == (
        "We already have a set of ILO treaties and conventions (97, 143,181). "
        "Governments are urged to ratify and enforce them."
    )


def test_roundtable_4_first_session_recommendation_2_texts():
    rec = recommendation(4, "2", "4.1")
    assert rec.text == "Protect migrant workers by"
    assert rec.children.get(number="b").text == "Informing all parties involved of their responsibilities."


def test_roundtable_4_second_session_recommendation_2_text():
    assert recommendation(4, "2", "4.2").text == "How do we measure impact of CSD on GFMD?"


def test_roundtable_4_second_session_other_issues_b_text():
    child = recommendation(4, "4", "4.2").children.get(group_heading="Other issues", number="b")
    assert child.text == "A link with the Parallel event (PGA) should be maintained."


def test_sub_points_inherit_session_and_themes():
    for child in sub_points(roundtable__number=4):
        assert child.session_id == child.parent.session_id
        assert child.themes.exists()
