"""Editors keep the vocabulary's translations in the admin: each language's field, with history and revert."""

import pytest
from django.utils import translation

from recommendations.models import GMGMember
from sessions.models import Meeting
from tests.admin.conftest import form_data
from themes.models import Theme

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize(
    ("model", "lookup", "fields"),
    [
        (Theme, {"slug": "health"}, ["name_en_gb", "name_fr", "name_es", "description_fr", "translation_source_fr"]),
        (Meeting, {"slug": "geneva-2011"}, ["city_fr", "city_es", "country_fr", "country_es"]),
        (GMGMember, {"acronym": "IOM"}, ["acronym", "name_fr", "name_es", "abbreviation_fr", "abbreviation_es"]),
    ],
)
def test_the_change_form_shows_each_language(editor, model, lookup, fields):
    record = model.objects.get(**lookup)
    form = editor.get(change_url(record)).context["adminform"].form
    assert set(fields) <= set(form.fields)
    # The English is required; the other languages may wait for a translation.
    english = next(name for name in form.fields if name.endswith("_en_gb") and name != "translation_source_en_gb")
    assert form.fields[english].required
    assert not form.fields[english.replace("_en_gb", "_fr")].required


def test_a_translation_edited_in_the_admin_has_its_history_and_a_revert_brings_it_back(editor):
    theme = Theme.objects.get(slug="health")
    data = form_data(editor.get(change_url(theme)))
    data["name_fr"] = "Santé des migrants et migration"
    data["translation_source_fr"] = "A source of the Forum's own"
    assert editor.post(change_url(theme), data).status_code == 302
    theme.refresh_from_db()
    assert (theme.name_en_gb, theme.name_fr) == ("Health and migration", "Santé des migrants et migration")
    latest = theme.history.latest("history_date")
    assert (latest.name_fr, latest.translation_source_fr) == (theme.name_fr, "A source of the Forum's own")

    first = theme.history.earliest("history_date")
    revert_url = change_url(theme).replace("/change/", f"/history/{first.history_id}/")
    assert editor.post(revert_url, form_data(editor.get(revert_url))).status_code == 302
    theme.refresh_from_db()
    assert (theme.name_fr, theme.translation_source_fr) == ("Santé et migration", None)
    assert Theme.objects.rewrite(False).filter(pk=theme.pk).values_list("name", flat=True).get() == (
        "Health and migration"
    )


def test_an_editor_working_in_french_leaves_the_english_column_english(editor):
    member = GMGMember.objects.get(acronym="IOM")
    with translation.override("fr"):
        data = form_data(editor.get(change_url(member)))
        data["abbreviation_es"] = "OIM"
        data["name_fr"] = "Organisation internationale pour les migrations (OIM)"
        assert editor.post(change_url(member), data).status_code == 302
    member.refresh_from_db()
    assert member.acronym == "IOM" and member.get_absolute_url() == "/gmg/IOM/"
    own = GMGMember.objects.rewrite(False).filter(pk=member.pk).values_list("name", flat=True).get()
    assert own == member.name_en_gb == "International Organization for Migration"
