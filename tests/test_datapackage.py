"""The whole knowledge base as a Frictionless Data Package, valid under the frictionless tool."""

import csv
import io
import json
import zipfile

import pytest
from frictionless import validate

from recommendations.views import activities_list, recommendations_list
from sessions.models import Session
from sessions.views import sessions_list

pytestmark = pytest.mark.django_db

TABLES = {
    "meetings",
    "roundtables",
    "sessions",
    "recommendations",
    "activities",
    "sub-activities",
    "objectives",
    "agencies",
    "themes",
    "sources",
    "sections",
    "milestones",
    "tags",
    "sessions-themes",
    "sessions-other-sources",
    "recommendations-themes",
    "activities-gmg-members",
    "activities-themes",
}


def unpack(client, tmp_path):
    response = client.get("/data/gfmd-knowledge-base.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="gfmd-knowledge-base.zip"'
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    archive.extractall(tmp_path)
    return tmp_path / "gfmd-knowledge-base"


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_zip_is_a_valid_data_package_whose_counts_match_the_api(client, tmp_path):
    folder = unpack(client, tmp_path)
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]

    package = json.loads((folder / "datapackage.json").read_text())
    names = {resource["name"] for resource in package["resources"]}
    assert TABLES <= names
    assert package["licenses"][0]["name"] and package["sources"]
    assert len(report.tasks) == len(package["resources"])

    for table, api, listing in (
        ("meetings", "/api/meetings/", None),
        ("sessions", "/api/sessions/", sessions_list),
        ("recommendations", "/api/recommendations/", recommendations_list),
        ("activities", "/api/activities/", activities_list),
    ):
        assert len(rows_of(folder / f"{table}.csv")) == every_record_count(client, api, listing), table


def every_record_count(client, api, listing):
    """What the API counts when asked for everything the package holds: every stage, and other events' points."""
    filters = listing.filterset_class.base_filters if listing else {}
    stages = {"stage": ["held", "planned"]} if "stage" in filters else {}
    count = client.get(api, stages).json()["count"]
    if "event" in filters:
        # Other events' points have no stage.
        events = [value for value, _ in filters["event"].field.choices]
        count += client.get(api, {"event": events}).json()["count"]
    return count


def test_each_table_declares_its_keys_and_types(client):
    package = client.get("/data/datapackage.json").json()
    resources = {resource["name"]: resource for resource in package["resources"]}
    sessions = resources["sessions"]["schema"]
    assert sessions["primaryKey"] == "id"
    types = {field["name"]: field["type"] for field in sessions["fields"]}
    assert types["id"] == "integer" and types["title"] == "string" and types["roundtable_id"] == "integer"
    assert {"fields": "roundtable_id", "reference": {"resource": "roundtables", "fields": "id"}} in sessions[
        "foreignKeys"
    ]
    meetings = {field["name"]: field for field in resources["meetings"]["schema"]["fields"]}
    assert meetings["start_date"]["type"] == "date"
    link = resources["activities-gmg-members"]["schema"]
    assert link["primaryKey"] == ["proposedactivity_id", "gmgmember_id"]
    assert {fk["reference"]["resource"] for fk in link["foreignKeys"]} == {"activities", "agencies"}
    recommendations = {field["name"]: field for field in resources["recommendations"]["schema"]["fields"]}
    assert set(recommendations["kind"]["constraints"]["enum"]) >= {"recommendation", "follow-up"}


def test_each_table_downloads_alone_as_the_zip_holds_it(client, tmp_path, session):
    folder = unpack(client, tmp_path)
    response = client.get("/data/sessions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sessions.csv"'
    alone = b"".join(response.streaming_content).decode()
    assert alone == (folder / "sessions.csv").read_bytes().decode()
    rows = rows_of(folder / "sessions.csv")
    assert len(rows) == Session.objects.count()
    assert {"id": str(session.pk), "title": "A test session", "number": "1.1"}.items() <= rows[-1].items()


def test_the_data_page_lists_every_table_with_its_rows(client):
    page = client.get("/data/").content.decode()
    assert 'href="/data/gfmd-knowledge-base.zip"' in page and 'href="/data/datapackage.json"' in page
    assert 'href="/data/sub-activities.csv"' in page
    assert f'<td class="number">{Session.objects.count()}</td>' in page
    assert client.get("/data/nothing.csv").status_code == 404


def test_the_descriptor_and_the_data_page_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, source, roundtable
):
    # The data page counts each table once; the descriptor reads only the sources.
    tables = len(client.get("/data/datapackage.json").json()["resources"])
    for n in range(1, 20):
        Session.objects.create(roundtable=roundtable, number=f"1.{n}", title=f"Session {n}", source=source)
    with django_assert_max_num_queries(3):
        client.get("/data/datapackage.json")
    with django_assert_max_num_queries(tables + 3):
        client.get("/data/")
