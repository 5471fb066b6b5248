"""The real content passes check_content."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_real_content_has_no_problems():
    out = io.StringIO()
    call_command("check_content", stdout=out)
    assert out.getvalue().startswith("No problems found in ")
    assert out.getvalue().strip().endswith(" records.")
