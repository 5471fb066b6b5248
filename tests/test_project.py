import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_checks_are_clean():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_migration_is_missing():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_every_declared_dependency_is_pinned_in_the_lock():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = declared["dependencies"] + declared["optional-dependencies"]["test"]
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text().split()}
    for requirement in names:
        name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        assert name in pinned, f"{name} is declared in pyproject.toml but not pinned in requirements.lock"
