"""Personas for the secretariat's admin: an anonymous visitor, an editor, a secretariat admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

PASSWORD = "a long enough test password"


def account(username, role):
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def anonymous(db):
    return Client()


@pytest.fixture
def editor_user(db):
    return account("anna", "Secretariat editor")


@pytest.fixture
def editor(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.fixture
def second_editor(db):
    client = Client()
    client.force_login(account("bruno", "Secretariat editor"))
    return client


@pytest.fixture
def secretariat_admin(db):
    client = Client()
    client.force_login(account("carla", "Secretariat admin"))
    return client


def form_data(response):
    """What a browser would post back from an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            # Admin wraps related fields' widgets in one that adds the + and edit links.
            widget = getattr(field.widget, "widget", field.widget)
            value = widget.format_value(form[name].value())
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data
