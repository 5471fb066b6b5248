"""The API's OpenAPI description: valid, complete, readable, and true of every answer the API gives."""

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from lib.listing import FacetFilter
from recommendations.views import activities_list, recommendations_list
from sessions.views import sessions_list

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/sessions/": sessions_list,
    "/api/recommendations/": recommendations_list,
    "/api/activities/": activities_list,
}


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_description_is_valid_openapi_of_every_api_endpoint(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/api/meetings/",
        "/api/sessions/",
        "/api/recommendations/",
        "/api/activities/",
        "/api/search/",
        "/api/annotations/",
    }


def taken(listing):
    """Every parameter the list's API takes."""
    if hasattr(listing, "parameters"):
        # `format` too: the API's is json alone, described apart from the page's csv.
        return set(listing.parameters())
    return set(listing.filterset_class.base_filters) | {"page", "page_size"}


def test_each_list_is_described_from_its_own_filters_and_columns(client, spec):
    for path, listing in LISTS.items():
        operation = spec["paths"][path]["get"]
        documented = {parameter["name"] for parameter in operation["parameters"]}
        assert documented == taken(listing), path
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]
        fields = page["properties"]["results"]["items"]["properties"]
        if hasattr(listing, "columns"):
            assert list(fields) == [column.name for column in listing.columns if column.json]
        else:
            assert set(fields) <= set(client.get(path).json()["results"][0])
        facets = {name for name, f in listing.filterset_class.base_filters.items() if isinstance(f, FacetFilter)}
        assert set(page["properties"]["facets"]["required"]) == facets
    activities = {p["name"]: p for p in spec["paths"]["/api/activities/"]["get"]["parameters"]}
    assert "UNODC" in activities["gmg_member"]["schema"]["items"]["enum"]
    assert activities["gmg_member"]["explode"] is True


def test_a_new_agency_appears_among_the_values_at_once(client, activity):
    from recommendations.models import GMGMember

    member = GMGMember.objects.create(acronym="TEST-AG", name="A test agency")
    activity.gmg_members.add(member)
    spec = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/activities/"]["get"]["parameters"]}
    assert "TEST-AG" in parameters["gmg_member"]["schema"]["items"]["enum"]


def test_the_api_page_reads_the_description_without_scripts(client, spec):
    response = client.get("/api/")
    page = response.content.decode()
    assert response.status_code == 200 and "<script" not in page
    for path in spec["paths"]:
        assert f"<code>GET {path}</code>" in page
    assert "<code>gmg_member</code>" in page and "<code>UNODC</code>" in page
    assert 'href="/api/openapi.json"' in page


# Parameters as a client might send them: values the description allows, and arbitrary text.
def parameter_values(parameter):
    schema = parameter["schema"]
    if schema.get("type") == "array":
        valid = st.lists(from_schema(schema["items"]), max_size=3)
    else:
        valid = from_schema(schema).map(lambda value: [value])
    wild = st.lists(st.text(max_size=12), min_size=1, max_size=2)
    return st.one_of(valid, wild)


def queries(operation):
    parameters = operation["parameters"]
    return st.fixed_dictionaries({}, optional={p["name"]: parameter_values(p) for p in parameters})


def conforms(operation, parameters, pairs):
    """Whether every parameter sent is one the description allows."""
    by_name = {p["name"]: p for p in operation["parameters"]}
    for name, values in pairs.items():
        schema = by_name[name]["schema"]
        if schema.get("type") == "array":
            schema = schema["items"]
        for value in values:
            candidates = [value]
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
                candidates.append(int(value))
            if not any(Draft202012Validator(schema).is_valid(c) for c in candidates):
                return False
    return all(not p.get("required") or p["name"] in pairs for p in parameters)


def query_string(pairs):
    return urlencode([(name, str(value)) for name, values in pairs.items() for value in values])


@pytest.mark.parametrize(
    "path",
    [
        "/api/meetings/",
        "/api/sessions/",
        "/api/recommendations/",
        "/api/activities/",
        "/api/search/",
        "/api/annotations/",
    ],
)
def test_every_answer_matches_the_description(client, spec, path):
    operation = spec["paths"][path]["get"]
    responses = operation["responses"]
    validators = {
        # JSON, or JSON-LD for the annotations: one media type each.
        status: Draft202012Validator(
            next(iter(response["content"].values()))["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for status, response in responses.items()
    }

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(pairs=queries(operation))
    def check(pairs):
        response = client.get(f"{path}?{query_string(pairs)}")
        status = str(response.status_code)
        assert status in responses, (pairs, response.status_code, response.content[:300])
        body = response.json()
        errors = sorted(validators[status].iter_errors(body), key=str)
        assert not errors, (pairs, [e.message for e in errors[:3]])
        if status == "400" and conforms(operation, operation["parameters"], pairs):
            # Values the description allows may still ask for a page past the end, or search for nothing.
            assert set(body["errors"]) <= {"page", "q"}, (pairs, body)

    check()
