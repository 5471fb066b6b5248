"""Least privilege: a secretariat admin manages accounts but cannot make anyone, themselves included, a superuser."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from tests.admin.conftest import account, form_data

pytestmark = pytest.mark.django_db


def user_url(user):
    return f"/admin/auth/user/{user.pk}/change/"


def user_form(client, user):
    """The account's change form as a browser posts it back: split dates, ticked boxes."""
    data = form_data(client.get(user_url(user)))
    for name in ("date_joined", "last_login"):
        value = getattr(user, name)
        data.pop(name, None)
        if value:
            data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag) and flag in client.get(user_url(user)).context["adminform"].form.fields:
            data[flag] = "on"
    return data


@pytest.fixture
def carla(db):
    return account("carla", "Secretariat admin")


@pytest.fixture
def carla_client(carla):
    client = Client()
    client.force_login(carla)
    return client


def test_a_secretariat_admin_cannot_make_themselves_superuser_or_grant_permissions(carla_client, carla):
    data = user_form(carla_client, carla)
    assert "is_superuser" not in data and "user_permissions" not in data
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    data |= {"is_superuser": "on", "user_permissions": everything, "first_name": "Carla C."}
    assert carla_client.post(user_url(carla), data).status_code == 302
    carla.refresh_from_db()
    assert carla.first_name == "Carla C."
    assert not carla.is_superuser and not carla.user_permissions.exists()


def test_a_secretariat_admin_still_gives_an_account_a_role(carla_client):
    dora = account("dora", "Secretariat editor")
    data = user_form(carla_client, dora)
    data["groups"] = [str(Group.objects.get(name="Secretariat admin").pk)]
    assert carla_client.post(user_url(dora), data).status_code == 302
    assert list(dora.groups.values_list("name", flat=True)) == ["Secretariat admin"]


def test_a_secretariat_admin_cannot_change_or_delete_a_superuser(carla_client):
    root = User.objects.create_superuser("root", "root@example.org", "a long enough root password")
    assert carla_client.post(user_url(root), {"username": "root", "email": "me@evil.example"}).status_code == 403
    assert carla_client.post(user_url(root).replace("/change/", "/delete/"), {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_a_secretariat_admin_cannot_widen_a_role(carla_client):
    role = Group.objects.get(name="Secretariat editor")
    before = set(role.permissions.values_list("pk", flat=True))
    url = f"/admin/auth/group/{role.pk}/change/"
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    carla_client.post(url, {"name": role.name, "permissions": everything})
    assert set(role.permissions.values_list("pk", flat=True)) == before


def test_a_superuser_still_grants_permissions(db):
    root = User.objects.create_superuser("root", "root@example.org", "a long enough root password")
    client = Client()
    client.force_login(root)
    dora = account("dora", "Secretariat editor")
    data = user_form(client, dora)
    data["is_superuser"] = "on"
    assert client.post(user_url(dora), data).status_code == 302
    dora.refresh_from_db()
    assert dora.is_superuser


def test_editors_see_content_changes_but_not_account_changes(editor, carla_client, session):
    dora = account("dora", "Secretariat editor")
    data = user_form(carla_client, dora)
    data["first_name"] = "Dorothea"
    carla_client.post(user_url(dora), data)
    page = editor.get("/admin/").content.decode()
    assert "Recent changes" in page
    assert "dora" not in page and "Dorothea" not in page
    assert "dora" in carla_client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["Secretariat editor", "Secretariat admin"])
def test_a_secretariat_admin_can_neither_rename_nor_delete_a_role(carla_client, role):
    group = Group.objects.get(name=role)
    url = f"/admin/auth/group/{group.pk}/"
    page = carla_client.get(url + "change/")
    assert page.status_code == 200 and "name" not in page.context["adminform"].form.fields
    carla_client.post(url + "change/", {"name": "Renamed"})
    assert carla_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    response = carla_client.post(
        "/admin/auth/group/", {"action": "delete_selected", "_selected_action": [str(group.pk)], "post": "yes"}
    )
    assert response.status_code == 403
    assert Group.objects.filter(pk=group.pk, name=role).exists()


def test_a_superuser_may_still_rename_a_role_and_another_group_is_the_secretariat_admin_s(carla_client):
    other = Group.objects.create(name="Reviewers")
    url = f"/admin/auth/group/{other.pk}/"
    assert carla_client.post(url + "change/", {"name": "Readers"}).status_code == 302
    assert carla_client.post(url + "delete/", {"post": "yes"}).status_code == 302
    root = User.objects.create_superuser("root", "root@example.org", "a long enough test password")
    client = Client()
    client.force_login(root)
    group = Group.objects.get(name="Secretariat editor")
    page = client.get(f"/admin/auth/group/{group.pk}/change/")
    assert "name" in page.context["adminform"].form.fields
