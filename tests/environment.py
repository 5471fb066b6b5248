"""What the tests need from the environment when it gives nothing: loaded by pytest (`-p tests.environment`
in pyproject.toml) before pytest-django reads the settings, so that a bare `pytest` runs as `make test` does.

The environment still wins: DATABASE_URL=postgres://... runs the same tests on PostgreSQL.
"""

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests():
    # Development settings, as the Makefile exports them: without DEBUG, a missing SECRET_KEY stops the start-up.
    os.environ.setdefault("DEBUG", "true")
    # The test client's host, so that absolute links read as the pages' own.
    os.environ.setdefault("SITE_URL", "http://testserver")
