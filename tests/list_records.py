"""Records the faceted lists' tests add to the small made-up content (tests/small_fixtures).

The small content holds one meeting, Testville 2099, with a few sessions, points and activities of
the government track. The lists' mechanics need more values in each facet: a second meeting with
both tracks, a meeting whose records are not in our sources, a planned point, another event's points,
a third agency, a second section and roundtable of the matrix, the tags "domestic workers" and
"gamma". They are made in the module's own transaction (tests.conftest.content_for_module) and
written through the write path, so that the search box and the facet index see them.

What the lists hold then, which the tests state as numbers:

sessions held (planned: Testville's 1.1 as planned)
    Testville 2099, government: 1.1 (test-labour, alpha), 1.2 (test-rights)
    Fieldtown 2097, government: 1.1 (test-labour, test-rights, domestic workers), 1.2 (test-labour), 1.3
    Fieldtown 2097, Civil Society Days: 1.1 (test-rights, alpha)
recommendations held (planned: Fieldtown's 3; other events: two points of Fieldtown's side event)
    Testville 2099, government: recommendations 1, 1a, 1b, 2 and a follow-up action
    Fieldtown 2097, government: recommendations 1 (test-rights, domestic workers), 2 (test-labour) and a
        follow-up action (test-labour); Civil Society Days: key messages 1 (test-rights), 2 (gamma)
activities (all of Testville's matrix)
    roundtable 1, section a: 1 TEST-A (test-labour, beta), 2 TEST-B (test-rights)
    roundtable 1, section b: 1 TEST-A and ILO (test-rights, domestic workers), 2 ILO (test-labour)
    roundtable 2, section a: 1 TEST-A (test-labour), 2 TEST-A and TEST-B, 3 no agency (test-labour)
"""

import datetime
from types import SimpleNamespace

from recommendations.models import GMGMember, Objective, ProposedActivity, Recommendation, Section
from sessions.models import Event, Meeting, Roundtable, Session, Track
from tests.small_records import Additions
from themes.models import Theme


def add_list_records():
    """Make the records above, in an order unlike the lists' (a civil-society record after the government
    ones of its meeting, a meeting of an earlier year after a later one, an activity before the one it
    follows, an agency first in the alphabet last), so that a list's order is its own and not the order
    of the ids. Returns them by name."""
    labour = Theme.objects.get(slug="test-labour")
    rights = Theme.objects.get(slug="test-rights")
    additions = Additions()
    make = additions.add

    r = SimpleNamespace()
    r.testville = Meeting.objects.get(slug="testville-2099")
    r.fieldtown = make(
        Meeting,
        ordinal=97,
        year=2097,
        slug="fieldtown-2097",
        city="Fieldtown",
        country="Fieldland",
        start_date=datetime.date(2097, 10, 1),
        end_date=datetime.date(2097, 10, 2),
    )
    r.nowhere = make(
        Meeting,
        ordinal=98,
        year=2098,
        slug="nowhere-2098",
        city="Nowhere",
        country="Noland",
        start_date=datetime.date(2098, 6, 1),
        end_date=datetime.date(2098, 6, 2),
        sessions_coverage="none",
        recommendations_coverage="none",
        coverage_note="The sources give none of its sessions or outcomes.",
    )

    r.work_abroad = make(Roundtable, meeting=r.fieldtown, number=1, title="Work abroad", themes=[labour])
    r.voices = make(
        Roundtable,
        meeting=r.fieldtown,
        number=1,
        track=Track.CIVIL_SOCIETY,
        title="Voices of migrants",
        themes=[rights],
    )
    r.domestic_session = make(
        Session,
        roundtable=r.work_abroad,
        number="1.1",
        title="Domestic workers and their rights",
        themes=[labour, rights],
        tags=["domestic workers"],
    )
    make(Session, roundtable=r.work_abroad, number="1.2", title="Remittances at home", themes=[labour])
    make(Session, roundtable=r.work_abroad, number="1.3", title="An open exchange")
    r.voices_session = make(
        Session, roundtable=r.voices, number="1.1", title="What migrants asked for", themes=[rights], tags=["alpha"]
    )

    r.protect = make(
        Recommendation,
        meeting=r.fieldtown,
        roundtable=r.work_abroad,
        session=r.domestic_session,
        number="1",
        position=1,
        text="Protect domestic workers wherever they work.",
        themes=[rights],
        tags=["domestic workers"],
    )
    r.lower_costs = make(
        Recommendation,
        meeting=r.fieldtown,
        roundtable=r.work_abroad,
        number="2",
        position=2,
        text="Lower the cost of sending remittances.",
        themes=[labour],
    )
    r.report_back = make(
        Recommendation,
        meeting=r.fieldtown,
        kind=Recommendation.Kind.FOLLOW_UP,
        position=1,
        text="Report on the remittances at the next meeting.",
        themes=[labour],
    )
    r.heard = make(
        Recommendation,
        meeting=r.fieldtown,
        roundtable=r.voices,
        track=Track.CIVIL_SOCIETY,
        kind=Recommendation.Kind.KEY_MESSAGE,
        number="1",
        position=1,
        text="Domestic workers must be heard.",
        themes=[rights],
    )
    r.speak = make(
        Recommendation,
        meeting=r.fieldtown,
        roundtable=r.voices,
        track=Track.CIVIL_SOCIETY,
        kind=Recommendation.Kind.KEY_MESSAGE,
        number="2",
        position=2,
        text="Migrants speak for themselves.",
        tags=["gamma"],
    )
    r.drafted = make(
        Recommendation,
        meeting=r.fieldtown,
        roundtable=r.work_abroad,
        stage="planned",
        number="3",
        position=3,
        text="A point the drafts proposed.",
        themes=[labour],
    )
    r.side_event = make(Event, slug="fieldtown-side-event", title="A side event", meeting=r.fieldtown)
    r.event_points = [
        make(Recommendation, event=r.side_event, position=1, text="The side event asked for more."),
        make(Recommendation, event=r.side_event, position=2, text="The side event thanked its hosts."),
    ]

    test_a = GMGMember.objects.get(acronym="TEST-A")
    test_b = GMGMember.objects.get(acronym="TEST-B")
    ilo = GMGMember.objects.create(acronym="ILO", name="International Labour Organization")
    additions.keep(ilo)
    first, second = Roundtable.objects.filter(meeting=r.testville, stage="held").order_by("number")
    another = make(Section, roundtable=first, letter="b", title="Another section")
    make(
        ProposedActivity,
        section=another,
        position=2,
        text="Train labour inspectors.",
        agencies=[ilo],
        themes=[labour],
    )
    r.protect_abroad = make(
        ProposedActivity,
        section=another,
        position=1,
        text="Protect domestic workers abroad.",
        agencies=[test_a, ilo],
        themes=[rights],
        tags=["domestic workers"],
    )
    Objective.objects.create(activity=r.protect_abroad, position=1, text="Safer work.")
    of_the_second = make(Section, roundtable=second, letter="a", title="A section of the second roundtable")
    make(
        ProposedActivity,
        section=of_the_second,
        position=1,
        text="Study remittances.",
        agencies=[test_a],
        themes=[labour],
    )
    make(
        ProposedActivity,
        section=of_the_second,
        position=2,
        text="Share data on migration.",
        agencies=[test_a, test_b],
    )
    make(ProposedActivity, section=of_the_second, position=3, text="Hold a meeting on migration.", themes=[labour])

    additions.write()
    return r
