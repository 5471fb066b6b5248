"""Downloads that cannot starve the pages: whole exports served from files built once per revision, a cap on
the downloads a server streams at once, and a stream that fails logged as a failure (lib/exports.py)."""

import logging
import re

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.http import FileResponse, StreamingHttpResponse

from gfmd.sitemaps import RecordsSitemap
from lib import exports
from lib.caching import content_changed
from recommendations.models import Recommendation

WHOLE = ["/activities/?format=csv", "/recommendations/?format=csv", "/sessions/?format=csv"]


def read(response):
    return b"".join(response.streaming_content)


def close(response):
    """As a server closes a response its reader left, without the end of the request closing the database
    connection the test's transaction is on (the test client does the same)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def edit():
    with transaction.atomic():
        content_changed()


@pytest.mark.parametrize("url", WHOLE)
def test_a_whole_list_csv_is_built_once_per_revision_then_served_as_a_file(
    client, small_content, settings, url, django_assert_max_num_queries
):
    first = client.get(url)
    assert isinstance(first, FileResponse) and first.status_code == 200
    body = read(first)
    assert body.count(b"\n") > 1 and first["Content-Length"] == str(len(body))
    assert first["Content-Disposition"].startswith("attachment; filename=")
    # Again: the file as it is, without reading the records (the revision, and the list's filters' choices).
    with django_assert_max_num_queries(2):
        again = client.get(url)
        assert read(again) == body
    assert again["ETag"] == first["ETag"] and "must-revalidate" in again["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(list(settings.EXPORTS_DIR.glob("list-*-r*"))) == 1


def test_an_edit_makes_a_new_file_and_the_old_one_goes(client, small_content, settings):
    first = client.get("/recommendations/?format=csv")
    read(first)
    recommendation = Recommendation.objects.order_by("pk").first()
    recommendation.text = "Corrected by an editor"
    with transaction.atomic():
        recommendation.save()
        content_changed([recommendation])
    second = client.get("/recommendations/?format=csv")
    assert b"Corrected by an editor" in read(second)
    assert second["ETag"] != first["ETag"]
    assert len(list(settings.EXPORTS_DIR.glob("list-*-r*"))) == 1


def test_a_byte_order_mark_is_a_file_of_its_own(client, small_content):
    plain = read(client.get("/sessions/?format=csv"))
    marked = read(client.get("/sessions/?format=csv&bom=1"))
    assert marked == "\ufeff".encode() + plain


def test_a_filtered_csv_is_streamed_and_the_streams_are_capped(client, small_content, settings):
    settings.EXPORT_STREAMS = 1
    first = client.get("/recommendations/?format=csv&track=government")
    assert isinstance(first, StreamingHttpResponse) and not isinstance(first, FileResponse)
    # The first stream holds the one slot until it is read to its end: no other download starts meanwhile.
    refused = client.get("/sessions/?format=csv&track=government")
    assert refused.status_code == 503 and refused["Retry-After"] == str(exports.RETRY_AFTER)
    assert "ask again" in refused.content.decode()
    # A whole export not built yet is refused too: building it is as heavy as a stream.
    assert client.get("/sessions/?format=csv").status_code == 503
    assert b"government" in read(first)
    assert read(client.get("/sessions/?format=csv&track=government"))


def test_a_stream_closed_before_its_end_frees_its_slot_and_says_so(client, small_content, settings, caplog):
    settings.EXPORT_STREAMS = 1
    with caplog.at_level(logging.WARNING, logger="gfmd.requests"):
        close(client.get("/recommendations/?format=csv&track=government"))
    assert "/recommendations/?format=csv&track=government was closed before its end" in caplog.text
    second = client.get("/recommendations/?format=csv&track=government")
    assert second.status_code == 200
    close(second)


def test_a_download_another_process_is_building_is_refused_with_retry_after(client, small_content, settings):
    read(client.get("/sessions/?format=csv"))
    edit()
    (path,) = settings.EXPORTS_DIR.glob("list-sessions.csv-*.lock")
    builder = exports.try_lock(path)
    try:
        response = client.get("/sessions/?format=csv")
        assert response.status_code == 503 and "being prepared" in response.content.decode()
        assert response["Retry-After"] == str(exports.RETRY_AFTER)
    finally:
        builder.close()
    assert read(client.get("/sessions/?format=csv"))


def test_a_stream_that_fails_midway_is_logged_as_a_failure_and_frees_its_slot(
    client, small_content, settings, monkeypatch, caplog
):
    settings.EXPORT_STREAMS = 1

    def failing(records, *args, **kwargs):
        yield [["a first row"]]
        raise RuntimeError("the database went away")

    monkeypatch.setattr("lib.listing.csv_batches", failing)
    url = "/recommendations/?format=csv&track=government"
    response = client.get(url)
    assert response.status_code == 200  # the status went out with the first bytes
    with caplog.at_level(logging.ERROR, logger="django.request"), pytest.raises(RuntimeError):
        read(response)
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.name == "django.request" and url in record.getMessage() and record.exc_info
    monkeypatch.undo()
    assert b"government" in read(client.get(url))


def test_the_data_package_is_built_once_per_revision(client, small_content, django_assert_max_num_queries):
    first = client.get("/data/gfmd-knowledge-base.zip")
    body = read(first)
    assert isinstance(first, FileResponse) and body.startswith(b"PK")
    with django_assert_max_num_queries(1):
        assert read(client.get("/data/gfmd-knowledge-base.zip")) == body
    table = client.get("/data/recommendations.csv")
    assert isinstance(table, FileResponse) and read(table).startswith(b"id,")
    assert client.get("/data/no-such-table.csv").status_code == 404
    edit()
    after = client.get("/data/gfmd-knowledge-base.zip")
    close(after)
    assert after["ETag"] != first["ETag"]


def test_the_sitemap_is_an_index_of_sections_each_a_page_of_at_most_its_limit(client, small_content, monkeypatch):
    monkeypatch.setattr(RecordsSitemap, "limit", 2)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[\w-]+\.xml(?:\?p=\d+)?)</loc>", index)
    assert "/sitemap-recommendations.xml?p=2" in sections
    pages = [client.get(section).content.decode() for section in sections if section != "/sitemap-pages.xml"]
    assert all(page.count("<url>") <= 2 for page in pages)
    assert sum(page.count("<url>") for page in pages) > 2 * 5
    assert client.get("/sitemap-recommendations.xml?p=999").status_code == 404
    assert client.get("/sitemap-recommendations.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_deploy_makes_new_files(client, small_content, settings):
    first = client.get("/activities/?format=csv")
    read(first)
    settings.RELEASE = "a-new-release"
    second = client.get("/activities/?format=csv")
    read(second)
    assert second["ETag"] != first["ETag"]
