"""The vocabulary editors keep, in the reader's language: themes, meetings' places, agencies' names.

French and Spanish pages show the translated names, with a note saying whose translation it is, or the
English where there is none; facets and search read them; whatever the language, what the site gives
to be reused (API, CSV, data package, citations, fixtures) is English, and an agency's acronym stays
its address and filter value.
"""

import csv
import filecmp
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from gfmd.models import SearchDocument
from lib.caching import content_changed
from recommendations.models import GMGMember, ProposedActivity, Recommendation
from sessions.models import Meeting
from themes.models import Theme

pytestmark = pytest.mark.django_db

REMITTANCES = "/themes/remittances-diaspora/"


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def found(client, q, **params):
    response = client.get("/api/search/", {"q": q, "page_size": 200, **params})
    assert response.status_code == 200, response.content
    return [result["url"] for result in response.json()["results"]]


def edited(record, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    content_changed([record])
    return record


# -- search -----------------------------------------------------------------


@pytest.mark.parametrize("query", ["remesas", "envois de fonds"])
def test_a_french_or_spanish_name_finds_the_remittances_theme_and_its_records(client, query):
    urls = found(client, query)
    assert REMITTANCES in urls
    points = [url for url in found(client, query, type="recommendation")]
    assert points, "no record of the theme was found by its name"
    # The records are quoted in English: each is found by its theme's name, and carries the theme.
    for url in points:
        point = Recommendation.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
        assert query.split()[0] not in point.text.lower()
        assert point.themes.filter(slug="remittances-diaspora").exists()


def test_oim_finds_iom_and_the_activities_it_has_expertise_for(client):
    urls = found(client, "OIM")
    assert urls[0] == "/gmg/IOM/"
    activities = [url for url in found(client, "OIM", type="activity")]
    assert activities
    for url in activities:
        activity = ProposedActivity.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
        assert activity.gmg_members.filter(acronym="IOM").exists()


def test_trata_finds_the_trafficking_theme(client):
    assert "/themes/irregular-migration/" in found(client, "trata")


def test_a_city_as_french_writes_it_finds_its_meeting(client):
    assert "/meetings/geneva-2011/" in found(client, "Genève")
    assert "/meetings/geneva-2011/" in found(client, "Ginebra")


def test_the_documents_are_written_in_english_whatever_the_editors_language():
    theme = Theme.objects.get(slug="remittances-diaspora")
    with translation.override("fr"):
        edited(theme, description_fr=theme.description_fr + " ")
    document = SearchDocument.objects.get(kind="theme", object_id=theme.pk)
    assert document.label == "Remittances and diasporas"
    assert "Envois de fonds et diasporas" in document.names and "Remesas y diásporas" in document.names


# -- facets -----------------------------------------------------------------


def test_facet_labels_are_in_the_readers_language_and_values_stay_english(client):
    english = page(client, "/recommendations/")
    assert "Remittances and diasporas" in english and "Manila 2008" in english
    # The same list's index, read again for another language: its labels, not its values, change.
    french = page(client, "/fr/recommendations/", page=1)
    assert "Envois de fonds et diasporas" in french and "Manille 2008" in french
    assert "Remittances and diasporas" not in french
    assert "theme=remittances-diaspora" in french and "meeting=manila-2008" in french
    spanish = page(client, "/es/recommendations/", page=1, page_size=20)
    assert "Remesas y diásporas" in spanish and "Atenas 2009" in spanish


def test_an_agency_facet_shows_its_name_in_french_and_filters_by_its_acronym(client):
    french = page(client, "/fr/activities/", gmg_member="IOM")
    assert "Organisation internationale pour les migrations" in french
    assert "gmg_member=IOM" in french


def test_a_missing_translation_shows_the_english_in_the_facets(client):
    edited(Theme.objects.get(slug="health"), name_fr=None)
    french = page(client, "/fr/sessions/", theme=["health", "remittances-diaspora"])
    assert "Health and migration" in french and "Envois de fonds et diasporas" in french


def test_a_french_list_page_costs_the_queries_an_english_one_does(client):
    def queries(path):
        with CaptureQueriesContext(connection) as context:
            page(client, path)
        return len(context.captured_queries)

    # The facet index is built once, and what each language derives once; each page then reads the revision
    # and its records.
    page(client, "/recommendations/")
    page(client, "/fr/recommendations/")
    french = queries("/fr/recommendations/?year=2009")
    assert french == queries("/recommendations/?year=2009&page=1") == 2


# -- the pages' notes -------------------------------------------------------


def test_a_theme_page_in_french_says_the_editors_translated_it(client):
    html = page(client, "/fr" + REMITTANCES)
    assert "<h1>Envois de fonds et diasporas</h1>" in html
    assert "Traduction des rédacteurs de la base de connaissances" in html


def test_an_official_translation_names_its_source(client):
    edited(Theme.objects.get(slug="remittances-diaspora"), translation_source_es="A source of the Forum's own")
    html = page(client, "/es" + REMITTANCES)
    assert "Remesas y diásporas" in html and "Traducción oficial: A source of the Forum&#x27;s own" in html


def test_a_theme_not_yet_translated_shows_its_english_marked_as_english(client):
    edited(Theme.objects.get(slug="remittances-diaspora"), name_fr=None, description_fr=None)
    html = page(client, "/fr" + REMITTANCES)
    assert '<h1 lang="en">Remittances and diasporas</h1>' in html
    assert "(en anglais\u00a0: pas encore traduit)" in html


def test_an_english_page_carries_no_note(client):
    html = page(client, REMITTANCES)
    assert "<h1>Remittances and diasporas</h1>" in html
    assert "translat" not in html.lower()


def test_an_agency_page_in_french_writes_its_acronym_as_french_does_and_keeps_its_address(client):
    html = page(client, "/fr/gmg/IOM/")
    assert "Organisation internationale pour les migrations (OIM)</h1>" in html
    assert "gmg_member=IOM" in html
    # The records naming it are found by the English words they hold.
    assert "International Organization for Migration" in html


def test_a_meeting_page_in_spanish_names_its_city_as_spanish_does(client):
    html = page(client, "/es/meetings/geneva-2011/")
    assert "<h1>FMMD 2011, Ginebra</h1>" in html and "Suiza" in html


# -- English where the site gives its content to be reused ------------------


def test_the_api_csv_data_package_and_citations_are_english_on_a_french_request(client):
    with translation.override("fr"):
        meetings = client.get("/api/meetings/").json()["results"]
        sessions = client.get("/sessions/", {"format": "csv", "year": "2009"})
        rows = list(csv.DictReader(io.StringIO(b"".join(sessions.streaming_content).decode())))
        bibtex = page(client, "/meetings/manila-2008/", format="bibtex")
        table = client.get("/data/meetings.csv")
        package = b"".join(table.streaming_content).decode() if table.streaming else table.content.decode()
        agencies = client.get("/data/agencies.csv")
        agencies = b"".join(agencies.streaming_content).decode() if agencies.streaming else agencies.content.decode()
    assert {m["city"] for m in meetings} >= {"Manila", "Geneva", "Athens"}
    assert rows and {row["meeting_label"] for row in rows} == {"Athens 2009"}
    assert "Manila" in bibtex and "Manille" not in bibtex
    header = package.splitlines()[0].split(",")
    assert "city" in header and not [name for name in header if name.endswith(("_fr", "_es", "_en_gb"))]
    assert "Manila" in package and "Manille" not in package
    assert "International Organization for Migration" in agencies and "OIM" not in agencies


def test_a_save_in_french_keeps_the_english_in_its_own_column():
    with translation.override("fr"):
        theme = Theme.objects.get(slug="health")
        theme.name = "La santé et la migration"  # the French, as the reader's language is
        theme.save()
    assert Theme.objects.rewrite(False).filter(pk=theme.pk).values_list("name", flat=True).get() == (
        "Health and migration"
    )
    theme.refresh_from_db()
    assert (theme.name_en_gb, theme.name_fr) == ("Health and migration", "La santé et la migration")


def test_the_fixtures_written_in_french_are_the_files(tmp_path):
    with translation.override("fr"):
        call_command("export_gfmd", str(tmp_path), stdout=io.StringIO())
    for name in ("themes.yaml", "meetings.yaml", "gmg-members.yaml"):
        assert filecmp.cmp(tmp_path / name, settings.GFMD_FIXTURES_DIR / name, shallow=False), name


def test_every_theme_meeting_and_agency_is_translated_into_french_and_spanish():
    for language in ("fr", "es"):
        assert not Theme.objects.filter(**{f"name_{language}": None}).exists()
        assert not Theme.objects.filter(**{f"description_{language}": None}).exists()
        assert not Meeting.objects.filter(**{f"city_{language}": None}).exists()
        assert not Meeting.objects.filter(**{f"country_{language}": None}).exists()
        assert not GMGMember.objects.filter(**{f"name_{language}": None}).exists()
    iom = GMGMember.objects.get(acronym="IOM")
    with translation.override("fr"):
        # Its address is the English acronym's, under the language's prefix.
        assert (iom.shown_acronym, iom.get_absolute_url()) == ("OIM", "/fr/gmg/IOM/")
    with translation.override("es"):
        assert GMGMember.objects.get(acronym="UNHCR").shown_acronym == "ACNUR"
        assert GMGMember.objects.get(acronym="UNICEF").shown_acronym == "UNICEF"
