"""Links made from one reverse() are the links reverse() makes."""

from django.urls import reverse

from lib.links import link_to


def test_a_link_is_what_reverse_gives_for_one_value_or_several():
    assert link_to("recommendations:activity", "pk")(42) == reverse("recommendations:activity", kwargs={"pk": 42})
    assert (
        link_to("sessions:session", "slug", meeting="athens-2009")("csd-1-1")
        == "/meetings/athens-2009/sessions/csd-1-1/"
    )
    both = link_to("sessions:session", "slug", "meeting")
    assert both("csd-1-1", "athens-2009") == "/meetings/athens-2009/sessions/csd-1-1/"
