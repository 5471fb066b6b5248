"""The whole knowledge base as a Frictionless Data Package, valid under the frictionless tool."""

import csv
import io
import json
import re
import zipfile

import pytest
import yaml
from django.core.management import CommandError, call_command
from frictionless import validate

from gfmd import codebook
from gfmd.datapackage import package_models
from lib import search
from lib.caching import content_changed
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


# -- a package a researcher can use without asking ------------------------------


def test_the_zip_carries_its_readme_codebook_and_citation(client, tmp_path):
    folder = unpack(client, tmp_path)
    package = json.loads((folder / "datapackage.json").read_text())
    readme = (folder / "README.md").read_text()
    assert readme == b"".join([client.get("/data/README.md").content]).decode()
    assert package["citation"] in readme and "CC BY 4.0" in package["citation"]
    # The licence decided: the structure and editorial text are CC BY 4.0, quotations their sources'.
    assert (
        "stay under their sources' own terms" in readme
        and "stay under their sources' own terms" in (package["description"])
    )
    # How to open the exact CSVs safely in a spreadsheet.
    assert "Import it as text instead" in readme and "leading apostrophe" in readme
    for resource in package["resources"]:
        assert f"### {resource['path']} (" in readme
        for field in resource["schema"]["fields"]:
            assert f"| {field['name']} | {field['type']}" in readme, (resource["name"], field["name"])

    cff = yaml.safe_load((folder / "CITATION.cff").read_text())
    assert (cff["cff-version"], cff["type"], cff["license"]) == ("1.2.0", "dataset", "CC-BY-4.0")
    assert cff["authors"] == [{"name": "GFMD Knowledge Base"}] and cff["url"].endswith("/data/")
    assert {ref["title"] for ref in cff["references"]} == {source["title"] for source in package["sources"]}
    assert package["contributors"][0]["role"] == "author"


def test_the_data_page_shows_the_codebook(client):
    page = client.get("/data/").content.decode().replace("&#x27;", "'")
    package = client.get("/data/datapackage.json").json()
    assert "How to cite" in page and package["citation"] in page
    assert "Counting right" in page and "Mauritius 2012 has 13 rows: 7 sessions held" in page
    assert 'href="/data/README.md"' in page and 'href="/data/CITATION.cff"' in page
    sessions = next(r for r in package["resources"] if r["name"] == "sessions")
    assert '<caption id="columns-sessions">Columns of sessions.csv</caption>' in page
    stage = next(f for f in sessions["schema"]["fields"] if f["name"] == "stage")
    assert stage["description"] in page


def test_sessions_say_their_stage_so_that_a_count_of_what_was_held_is_right(client, tmp_path):
    rows = rows_of(unpack(client, tmp_path) / "sessions.csv")
    mauritius = [row for row in rows if row["meeting"] == "mauritius-2012"]
    assert len(mauritius) == 13
    assert sum(row["stage"] == "held" for row in mauritius) == 7
    held = api_counts(client, "sessions")
    for slug, count in held.items():
        assert sum(row["meeting"] == slug and row["stage"] == "held" for row in rows) == (count or 0), slug


def api_counts(client, path):
    facets = client.get(f"/api/{path}/").json()["facets"]["meeting"]
    return {value["value"]: value["count"] for value in facets}


def test_every_table_of_records_gives_its_year_meeting_stage_and_page(client, tmp_path):
    folder = unpack(client, tmp_path)
    package = json.loads((folder / "datapackage.json").read_text())
    columns = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    for name in ("roundtables", "sessions", "recommendations", "activities", "sections", "milestones", "events"):
        assert {"year", "meeting", "page_url"} <= set(columns[name]), name
    for name in ("roundtables", "sessions", "recommendations"):
        assert "stage" in columns[name], name
    for name in ("meetings", "themes", "sources", "agencies", "objectives", "sub-activities", "passages"):
        assert "page_url" in columns[name], name
    base = "http://testserver"
    api = {r["id"]: r for r in client.get("/api/recommendations/", {"page_size": 200}).json()["results"]}
    for row in rows_of(folder / "recommendations.csv"):
        if int(row["id"]) in api:
            record = api[int(row["id"])]
            assert row["page_url"] == base + record["url"]
            assert (row["meeting"], int(row["year"]), row["stage"]) == (
                record["meeting"],
                record["year"],
                record["stage"],
            )
    for row in rows_of(folder / "roundtables.csv"):
        assert client.get(row["page_url"].removeprefix(base).split("#")[0]).status_code == 200


def test_no_table_is_empty_without_its_reason(client, tmp_path):
    package = client.get("/data/datapackage.json").json()
    names = {r["name"] for r in package["resources"]}
    # A link table without rows is left out: no milestone cites a further source.
    assert "milestones-other-sources" not in names
    assert client.get("/data/milestones-other-sources.csv").status_code == 404
    for resource in package["resources"]:
        assert len(rows_of_url(client, resource["path"])) > 0, resource["name"]

    from sessions.models import Milestone

    # Deleted as the admin deletes: their search documents read first, then the write path.
    documents = search.documents_of(list(Milestone.objects.all()))
    Milestone.objects.all().delete()
    content_changed(documents=documents)
    package = client.get("/data/datapackage.json").json()
    empty = next(r for r in package["resources"] if r["name"] == "milestones")
    assert "Empty in this release: no source lists a meeting's milestones." in empty["description"]


def rows_of_url(client, path):
    return list(csv.DictReader(io.StringIO(b"".join(client.get(f"/data/{path}").streaming_content).decode())))


def test_every_column_is_described_for_its_users_not_its_editors(client):
    package = client.get("/data/datapackage.json").json()
    # The help texts that speak to the editors ("Leave empty where...", "Say so in the source location too").
    to_editors = [
        str(field.help_text)
        for model in package_models()
        for field in model._meta.fields
        if re.search(r"Leave empty|Say so|fixtures|Letters and digits|load_gfmd", str(field.help_text))
    ]
    assert len(to_editors) >= 4
    for resource in package["resources"]:
        assert resource.get("description"), resource["name"]
        for field in resource["schema"]["fields"]:
            # Every description is the codebook's.
            assert field.get("description") == codebook.column_description(resource["name"], field["name"]), (
                resource["name"],
                field["name"],
            )
            assert field["description"] not in to_editors, (resource["name"], field["name"])


def test_the_pipeline_writes_the_same_package_as_a_release(client, tmp_path):
    out = io.StringIO()
    call_command("export_data_package", str(tmp_path), "--base-url", "https://gfmd.example.org", stdout=out)
    assert "sessions.csv: " in out.getvalue()
    archive = zipfile.ZipFile(tmp_path / "gfmd-knowledge-base.zip")
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert {"datapackage.json", "README.md", "CITATION.cff", "sessions.csv"} <= names
    served = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/data/gfmd-knowledge-base.zip").streaming_content)))
    assert names == {name.split("/", 1)[1] for name in served.namelist()}
    sessions = archive.read("gfmd-knowledge-base/sessions.csv").decode()
    assert "https://gfmd.example.org/meetings/athens-2009/sessions/" in sessions
    with pytest.raises(CommandError, match="trailing slash"):
        call_command("export_data_package", str(tmp_path), "--base-url", "https://gfmd.example.org/")
