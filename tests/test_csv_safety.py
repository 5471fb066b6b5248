"""A CSV opened in a spreadsheet runs no formula; the JSON keeps what was typed."""

import csv
import io

import pytest

from lib.spreadsheet import safe_cell

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://example.org","click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_would_be_a_formula_becomes_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Plain text", "1+1", "a=b", "", 7, -3, None, "'quoted"])
def test_other_cells_are_left_as_they_are(value):
    assert safe_cell(value) == value


def body(response):
    """The CSV as bytes; it is streamed."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(response):
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_typed_into_a_record_is_text_in_the_csv_and_as_typed_in_the_json(client, recommendation, formula):
    recommendation.text = formula
    recommendation.group_heading = "@cmd"
    recommendation.save()
    recommendation.tags.add("-tag")
    (row,) = rows(client.get("/recommendations/", {"meeting": "testville-2099", "format": "csv"}))
    assert row["text"] == "'" + formula
    assert row["group_heading"] == "'@cmd"
    assert row["tags"] == "'-tag"
    assert row["id"] == str(recommendation.pk)
    (result,) = client.get("/api/recommendations/", {"meeting": "testville-2099"}).json()["results"]
    assert result["text"] == formula and result["group_heading"] == "@cmd"


def test_the_csv_starts_with_a_byte_order_mark_when_asked(client):
    plain = client.get("/sessions/", {"year": "2009", "format": "csv"})
    marked = client.get("/sessions/", {"year": "2009", "format": "csv", "bom": "1"})
    plain, marked = body(plain), body(marked)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked.startswith(b"\xef\xbb\xbfurl,id,")
    assert marked[3:] == plain


def test_a_bom_value_other_than_0_or_1_is_a_400(client):
    response = client.get("/sessions/", {"format": "csv", "bom": "yes"})
    assert response.status_code == 400
    assert "bom must be 1" in response.content.decode()
