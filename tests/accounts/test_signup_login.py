"""Signing up, confirming the address, logging in and resetting a password, as a person does it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from civic.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Tilleuls en fleur 2027"
LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def sign_up(client, email="camille@example.org", display_name="Camille D.", password=PASSWORD, **extra):
    return client.post(
        "/compte/signup/",
        {"email": email, "display_name": display_name, "password1": password, "password2": password, **extra},
    )


def link_in(message, contains):
    paths = [path for path in LINK.findall(message.body) if contains in path]
    assert paths, f"no link containing {contains!r} in:\n{message.body}"
    return paths[0]


def test_signup_page_asks_for_email_display_name_and_password(client):
    response = client.get("/compte/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("email", "display_name", "password1", "password2"):
        assert f'name="{name}"' in html
    assert 'lang="fr"' in html


def test_signup_sends_a_confirmation_email_and_the_link_confirms_and_logs_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="camille@example.org")
    assert user.display_name == "Camille D."
    assert user.has_role("resident")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"]
    confirm_path = link_in(message, "/compte/confirm-email/")

    # Following the link shows a page with a button; it does not confirm by itself.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "camille@example.org" in page.content.decode()
    assert not EmailAddress.objects.get(user=user).verified

    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    # Logged in on confirmation: the account space answers instead of redirecting to the login.
    space = client.get(confirmed["Location"], follow=True)
    assert space.status_code == 200
    assert space.context["user"] == user
    assert client.get("/compte/").status_code == 200


def test_a_confirmed_person_logs_in_with_email_and_password(client):
    sign_up(client)
    client.post(link_in(mail.outbox[0], "/compte/confirm-email/"))
    client.logout()

    response = client.post("/compte/login/", {"login": "Camille@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account-space")
    space = client.get("/compte/")
    assert space.status_code == 200
    assert space.context["user"].email == "camille@example.org"
    assert "Camille D." in space.content.decode()


def test_login_before_confirmation_is_refused(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()

    response = client.post("/compte/login/", {"login": "camille@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get("/compte/").status_code == 302  # still anonymous
    # A fresh confirmation link is sent so that the person can finish.
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]


def test_a_wrong_password_is_refused_and_the_email_is_kept(client, resident):
    response = client.post("/compte/login/", {"login": resident.email, "password": "not the password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{resident.email}"' in html
    assert response.context["form"].errors
    assert client.get("/compte/").status_code == 302


def test_a_duplicate_email_does_not_create_a_second_account(client, resident):
    original_password = resident.password

    response = sign_up(client, email=resident.email.upper(), display_name="Intrus")

    # The form does not reveal who has an account (enumeration); the owner is told by email.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=resident.email).count() == 1
    resident.refresh_from_db()
    assert resident.password == original_password
    assert resident.display_name != "Intrus"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "/compte/password/reset/" in mail.outbox[0].body


def test_form_errors_keep_what_the_person_typed(client):
    response = client.post(
        "/compte/signup/",
        {
            "email": "lucas@example.org",
            "display_name": "Lucas R.",
            "password1": PASSWORD,
            "password2": PASSWORD + " typo",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="lucas@example.org"' in html
    assert 'value="Lucas R."' in html
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(email="lucas@example.org").exists()
    assert mail.outbox == []


def test_display_name_is_required(client):
    response = sign_up(client, display_name="")

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_common_password_is_refused(client):
    response = sign_up(client, password="password")

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, resident):
    response = client.post("/compte/password/reset/", {"email": resident.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    reset_path = link_in(mail.outbox[0], "/compte/password/reset/key/")

    form_page = client.get(reset_path, follow=True)
    assert form_page.status_code == 200
    set_password_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    done = client.post(
        set_password_path, {"password1": "Un nouveau mot de passe 42", "password2": "Un nouveau mot de passe 42"}
    )
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("Un nouveau mot de passe 42")


def test_password_reset_for_an_unknown_address_sends_no_reset_link(client):
    response = client.post("/compte/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert all("/compte/password/reset/key/" not in message.body for message in mail.outbox)
