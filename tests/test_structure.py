"""The dependency direction of docs/architecture.md: building blocks below the apps, the pipeline above them."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {"gfmd", "themes", "sessions", "recommendations", "pipeline"}
WEB_LAYER = ["gfmd", "themes", "sessions", "recommendations", "lib", "templates"]


def imported_packages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def modules(package):
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def test_building_blocks_import_no_app():
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules("lib")
        for name in imported_packages(path)
        if name in APPS
    }
    assert not offenders


def test_nothing_in_the_web_layer_imports_the_pipeline():
    offenders = {
        f"{path.relative_to(ROOT)} imports pipeline"
        for package in WEB_LAYER
        if (ROOT / package).is_dir()
        for path in modules(package)
        if "pipeline" in set(imported_packages(path))
    }
    assert not offenders


def test_templates_build_their_links_with_url_and_querystring():
    """A link written by hand breaks silently when an address changes; {% url %} fails loudly instead."""
    hand_written = re.compile(r'(?:href|action|src)="(?:/(?!static/)|\?)')
    offenders = {
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in hand_written.finditer(path.read_text(encoding="utf-8"))
    }
    assert not offenders


def test_every_page_is_rendered_by_django_templates_alone():
    """One template language: Django's engine renders every page, layout and body, from templates/."""
    from django.conf import settings

    assert [engine["BACKEND"] for engine in settings.TEMPLATES] == ["django.template.backends.django.DjangoTemplates"]
    assert not (ROOT / "jinja2").exists()
    jinja_imports = {
        f"{path.relative_to(ROOT)}"
        for package in WEB_LAYER
        if (ROOT / package).is_dir()
        for path in modules(package)
        if {"jinja2", "markupsafe"} & set(imported_packages(path))
    }
    assert not jinja_imports
    jinja_syntax = re.compile(r"\{%-|-%\}|\{#|\bloop\.(?:index|last|first)\b|\{% *(?:macro|set|from) ")
    offenders = {
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in jinja_syntax.finditer(path.read_text(encoding="utf-8"))
    }
    assert not offenders
