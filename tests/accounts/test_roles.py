"""Roles: who reaches which back office, the account space, and Wagtail's user screens."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic.accounts.models import User
from civic.territory.models import AreaKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(user_factory):
    return user_factory(display_name="Root", is_superuser=True, is_staff=True)


def test_the_four_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"resident", "agent", "moderator", "administrator"}


def test_every_new_account_is_a_resident(user_factory):
    user = user_factory()

    assert user.roles == ["resident"]
    assert not user.is_staff


@pytest.mark.parametrize("role", ["agent", "moderator", "administrator"])
def test_staff_roles_reach_the_wagtail_admin(client, user_factory, role):
    user = user_factory(roles=[role])
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "wagtailadmin/home.html" in [template.name for template in response.templates]


def test_a_resident_is_kept_out_of_the_wagtail_admin(client, resident):
    client.force_login(resident)

    response = client.get("/admin/")

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/")


def test_anonymous_people_are_sent_to_the_login_page_from_the_wagtail_admin(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_agents_may_edit_pages_but_moderators_may_not(client, agent, moderator):
    from civic.cms.models import HomePage

    home = HomePage.objects.get()
    client.force_login(agent)
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    client.force_login(moderator)
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)


@pytest.mark.parametrize("role", ["resident", "agent", "moderator", "administrator"])
def test_the_django_admin_refuses_everyone_but_superusers(client, user_factory, role):
    user = user_factory(roles=[role])
    client.force_login(user)

    response = client.get("/django-admin/")

    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_a_superuser_reaches_the_django_admin(client, superuser):
    client.force_login(superuser)

    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/civic_accounts/user/").status_code == 200


# --- The account space ------------------------------------------------------------------------


def test_account_space_requires_login(client):
    response = client.get("/compte/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_account_space_shows_display_name_home_area_and_roles(client, user_factory, area_factory):
    area = area_factory(name="Les Tilleuls")
    area_factory(name="La Gare")
    user = user_factory(display_name="Camille D.", home_area=area, roles=["moderator"])
    client.force_login(user)

    response = client.get("/compte/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Camille D."' in html
    assert f'<option value="{area.pk}" selected>Les Tilleuls</option>' in html
    assert "La Gare" in html
    assert user.email in html
    # Roles are named in French, the site's default language.
    assert "Modérateur" in html or "moderator" in html


def test_account_space_saves_display_name_and_home_area(client, resident, area_factory):
    area = area_factory(name="Bois-Joli", kind=AreaKind.QUARTIER)
    client.force_login(resident)

    response = client.post("/compte/", {"display_name": "  Nadia B.  ", "home_area": area.pk}, follow=True)

    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.display_name == "Nadia B."
    assert resident.home_area == area
    assert [str(message) for message in response.context["messages"]]


def test_account_space_refuses_an_unknown_area_and_keeps_the_profile(client, resident):
    name = resident.display_name
    client.force_login(resident)

    response = client.post("/compte/", {"display_name": "Autre nom", "home_area": 999999})

    assert response.status_code == 200
    assert "home_area" in response.context["form"].errors
    resident.refresh_from_db()
    assert resident.display_name == name


def test_account_space_cannot_change_roles_or_staff_status(client, resident):
    client.force_login(resident)

    client.post("/compte/", {"display_name": "Pirate", "is_staff": "on", "is_superuser": "on", "groups": [1, 2, 3]})

    resident.refresh_from_db()
    assert resident.display_name == "Pirate"
    assert not resident.is_staff
    assert not resident.is_superuser
    assert resident.roles == ["resident"]


# --- Wagtail's user screens -------------------------------------------------------------------


def test_wagtail_user_create_screen_uses_our_user_model(client, superuser):
    client.force_login(superuser)

    # Wagtail 8 serves the screen at /admin/users/new/.
    page = client.get(reverse("wagtailusers_users:add"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="email"' in html
    # Every required field of our model is on the screen, or nobody could submit it.
    assert 'name="display_name"' in html
    assert 'name="home_area"' in html
    assert 'name="password1"' in html
    assert 'name="username"' not in html
    assert 'name="first_name"' not in html


def test_wagtail_user_create_screen_creates_a_user(client, superuser):
    agent_group = Group.objects.get(name="agent")
    client.force_login(superuser)

    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "Karim.Benali@Example.org",
            "display_name": "Karim Benali (voirie)",
            "password1": "Un mot de passe solide 42",
            "password2": "Un mot de passe solide 42",
            "groups": [agent_group.pk],
        },
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    user = User.objects.get(email="karim.benali@example.org")
    assert user.display_name == "Karim Benali (voirie)"
    assert user.check_password("Un mot de passe solide 42")
    assert user.has_role("agent")
    assert not user.is_superuser


def test_wagtail_user_edit_screen_changes_the_display_name(client, superuser, resident):
    client.force_login(superuser)

    page = client.get(reverse("wagtailusers_users:edit", args=[resident.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{resident.email}"' in html
    assert f'value="{resident.display_name}"' in html

    response = client.post(
        reverse("wagtailusers_users:edit", args=[resident.pk]),
        {
            "email": resident.email,
            "display_name": "Nouveau nom",
            "groups": [Group.objects.get(name="resident").pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    resident.refresh_from_db()
    assert resident.display_name == "Nouveau nom"
    assert resident.check_password("correct horse battery")
