"""The dependency direction of docs/architecture.md: building blocks below the apps, the pipeline above them."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

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


def app_models():
    return [model for config in apps.get_app_configs() if config.name in APPS for model in config.get_models()]


def docstrings(tree):
    """The string constants that are docstrings: prose may tell what a mechanism is used for."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                yield first.value


def names_of_app_models(path, models):
    """What in a module's code names an app model: its class (Session), a string that is its name ("session")
    or holds its label ("gfmd_sessions.Session"), or get_model() given a string, a label by another route."""
    classes = {model.__name__ for model in models}
    names = {model.__name__.lower() for model in models}
    labels = {model._meta.label_lower for model in models}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for node in docstrings(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in classes:
            yield f"{node.id} (line {node.lineno})"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            value = node.value.lower()
            if value in names or set(re.findall(r"[\w.]+", value)) & labels:
                yield f"{node.value!r} (line {node.lineno})"
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model":
            if any(isinstance(arg, ast.Constant) for arg in node.args):
                yield f"get_model of a label (line {node.lineno})"


def test_building_blocks_name_no_app_model():
    """lib/ offers mechanisms; each app declares what its records are and registers them. A label in lib/
    would be a dependency on an app that the imports do not show."""
    models = app_models()
    offenders = {
        f"{path.relative_to(ROOT)} names {name}"
        for path in modules("lib")
        for name in names_of_app_models(path, models)
    }
    assert not offenders


def test_the_check_of_building_blocks_finds_an_app_model_by_any_name(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        '''"""A docstring may say that a Session is counted."""
from django.apps import apps

def held(queryset, session):
    if queryset.model._meta.model_name == "session":
        return queryset
    if queryset.model._meta.label == "gfmd_sessions.Session":
        return queryset
    return apps.get_model("gfmd", "SearchDocument"), Meeting, "logger gfmd.requests"
''',
        encoding="utf-8",
    )
    assert sorted(names_of_app_models(module, app_models())) == [
        "'SearchDocument' (line 9)",
        "'gfmd_sessions.Session' (line 7)",
        "'session' (line 5)",
        "Meeting (line 9)",
        "get_model of a label (line 9)",
    ]


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


# What only Django's template language writes: a public template holding it is not Jinja2.
DJANGO_ONLY = re.compile(
    r"\{% *(?:load|url|static|empty|comment|csrf_token|querystring|regroup|ifchanged|widthratio|spaceless)\b"
    r"|\{% *(?:cycle|firstof)\b|\bforloop\.|\bblock\.super\b|\|\w+:|\{% *include [^%]* only *%\}"
)


def test_every_public_template_is_jinja2_and_only_the_admin_keeps_django_templates():
    """One template language a page: Jinja2 renders every public page from templates/, layout included; the
    admin's overrides (gfmd/templates/) are Django templates, as the admin's own are."""
    from django.conf import settings

    public, admin = settings.TEMPLATES
    assert public["BACKEND"] == "django.template.backends.jinja2.Jinja2"
    assert public["DIRS"] == [ROOT / "templates"] and not public["APP_DIRS"]
    assert admin["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    assert {path.name for path in (ROOT / "gfmd" / "templates").iterdir()} == {"admin", "simple_history"}
    offenders = {
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        for match in DJANGO_ONLY.finditer(path.read_text(encoding="utf-8"))
    }
    assert not offenders


@pytest.mark.django_db
def test_no_public_page_renders_a_django_template(client):
    """The test client records each Django template rendered (Jinja2's it does not): a public page renders none,
    the admin's login page its own."""
    for path in [
        "/",
        "/recommendations/?year=2009",
        "/meetings/athens-2009/",
        "/fr/themes/",
        "/search/?q=migrant",
        "/sources/",
        "/data/",
        "/api/",
        "/nowhere/",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert response.templates == [], (path, [template.name for template in response.templates])
    assert "admin/login.html" in [template.name for template in client.get("/admin/login/").templates]
