"""The home page and its map, the language switch, signup with email confirmation, login."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot, text_of


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_home_page_shows_the_territory_map_and_its_list(new_page, axe, viewport):
    page = new_page(viewport)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.wait_for_selector("#territory-map[data-loaded]")
    assert page.locator("#territory-map").get_attribute("data-loaded") == "7"  # the commune and six quartiers
    assert page.locator("#territory-map path.leaflet-interactive").count() == 7
    # The list alternative names every area and zooms the map to it.
    areas = page.locator("#territory-areas button")
    assert areas.count() == 7
    assert "Centre-ville" in areas.all_inner_texts()
    page.get_by_role("button", name="Les Vignes").click()
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content").inner_text() == "Les Vignes"
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"home-{viewport['width']}")
    axe(page, f"the home page at {viewport['width']} px")


def test_keyboard_user_can_skip_to_content(new_page):
    page = new_page(PHONE)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_language_switch_to_english_and_back(new_page, axe, viewport):
    page = new_page(viewport)
    page.goto("/a-propos/")
    assert page.get_by_role("link", name="Se connecter").count() == 1
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/a-propos/"), "the switch keeps the person on the same page"
    assert page.get_by_role("link", name="Log in").count() == 1
    axe(page, f"a page in English at {viewport['width']} px")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_signup_confirm_email_then_login(new_page, demo_server, axe):
    address = "nouvelle.habitante@example.org"
    page = new_page(PHONE)
    page.goto("/compte/signup/")
    axe(page, "the signup page")
    screenshot(page, "signup-375")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Nom affiché").fill("Inès")
    page.get_by_label("Mot de passe :", exact=True).fill("un mot de passe solide 42")
    page.get_by_label("Mot de passe (confirmation)").fill("un mot de passe solide 42")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_load_state()
    assert "/compte/confirm-email/" in page.url
    axe(page, "the verification-sent page")

    messages = demo_server.emails_to(address)
    assert len(messages) == 1
    body = text_of(messages[0])
    link = re.search(r"https?://[^\s]+/compte/confirm-email/[^\s]+/", body)
    assert link, body
    page.goto(link.group(0))
    axe(page, "the email confirmation page")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()
    # Confirming logs the person in and brings them to their space.
    assert page.get_by_role("heading", name="Mon espace").count() == 1

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    page.goto("/compte/login/")
    axe(page, "the login page")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Mot de passe", exact=False).first.fill("un mot de passe solide 42")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Mon espace").count() == 1
    assert page.get_by_label("Nom affiché").input_value() == "Inès"
    axe(page, "the account space")
    screenshot(page, "account-space-375")


def test_demo_agent_reaches_the_back_office(new_page):
    page = new_page(DESKTOP)
    log_in(page, "agent.voirie@demo.civic.test", "/admin/")
    page.wait_for_url("**/admin/")
    assert page.locator("body").inner_text().count("Karim") >= 1
