"""Pins that the real content's UN Women, whose acronym holds a space, is at its address.

The admin's refusal of acronyms a link cannot carry is tested on the small content (tests/admin/test_bad_input.py).
"""

import pytest

from recommendations.models import GMGMember

pytestmark = pytest.mark.django_db


def test_un_women_is_at_an_address_with_a_space(client):
    assert GMGMember.objects.filter(acronym="UN Women").exists()
    response = client.get("/gmg/UN%20Women/")
    assert response.status_code == 200
    assert "United Nations Entity for Gender Equality and the Empowerment of Women" in response.content.decode()
