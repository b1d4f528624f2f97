"""The notifications area in Chromium at 375 px: follow buttons, lists, preferences, unsubscribe (axe-checked)."""

import re

import pytest

from tests.browser.conftest import PHONE, fits, log_in, screenshot

pytestmark = pytest.mark.browser

CAMILLE = "camille@demo.civic.test"


def _shell(server, code: str) -> str:
    """Run Python in the server's environment; returns the last line printed (the shell may announce its imports)."""
    return (server.manage("shell", "--no-imports", "-c", code).strip().splitlines() or [""])[-1]


def test_follow_list_unfollow_button_toggles_in_place(new_page, demo_server, axe):  # noqa: F811
    _shell(
        demo_server,
        "from wagtail.models import Page; from civic.accounts.models import User; "
        "from civic.notifications.services import follow_create, notify; "
        f"user = User.objects.get(email='{CAMILLE}'); "
        "[follow_create(user=user, target=p) for p in Page.objects.filter(depth=3).live()[:2]]; "
        "[notify(recipient=user, title=f'Nouveau commentaire {i}', body='Un voisin a répondu.', url='/') "
        "for i in range(3)]",
    )
    page = new_page(PHONE)
    log_in(page, CAMILLE)

    page.goto("/notifications/")
    assert page.get_by_role("heading", name="Mes notifications").count() == 1
    # Other browser tests may have notified Camille too (a comment on a report she follows): count ours.
    ours = page.locator(".notification--unread", has_text=re.compile(r"Nouveau commentaire \d"))
    assert ours.count() == 3
    fits(page)
    screenshot(page, "notifications-list-375")
    axe(page, "the notification list")
    page.get_by_role("button", name="Marquer comme lue : Nouveau commentaire 2").click()
    page.wait_for_load_state()
    assert ours.count() == 2

    page.goto("/notifications/suivis/")
    buttons = page.locator("form[data-follow-form] button[aria-pressed]")
    followed = buttons.count()
    assert followed >= 2  # the two pages, and what other tests made Camille follow
    fits(page)
    screenshot(page, "follow-list-375")
    axe(page, "what I follow")

    first = buttons.first
    assert first.get_attribute("aria-pressed") == "true"
    url_before = page.url
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('form[data-follow-form] button').getAttribute('aria-pressed') === 'false'"
    )
    assert page.url == url_before  # enhanced: no navigation
    assert "Vous ne suivez plus" in page.locator("form[data-follow-form] [role=status]").first.inner_text()
    assert first.evaluate("element => element === document.activeElement")  # focus stays on the button
    screenshot(page, "follow-list-after-unfollow-375")
    axe(page, "what I follow, after unfollowing")
    page.reload()
    assert page.locator("form[data-follow-form]").count() == followed - 1


def test_preferences_and_unsubscribe_pages(new_page, demo_server, axe):  # noqa: F811
    page = new_page(PHONE)
    log_in(page, CAMILLE)
    page.goto("/compte/")
    page.get_by_role("link", name="Mes préférences de courriel").click()
    page.wait_for_load_state()
    page.get_by_label("Une fois par jour, dans un résumé").check()
    fits(page)
    screenshot(page, "notification-preferences-375")
    axe(page, "the email preferences")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    page.wait_for_load_state()
    assert page.get_by_label("Une fois par jour, dans un résumé").is_checked()

    token = _shell(
        demo_server,
        "from civic.accounts.models import User; from civic.notifications.emails import unsubscribe_token; "
        f"print(unsubscribe_token(user_id=User.objects.get(email='{CAMILLE}').pk))",
    )
    visitor = new_page(PHONE)  # not logged in
    visitor.goto(f"/notifications/desabonnement/{token}/")
    assert visitor.get_by_role("heading", name="Ne plus recevoir de notifications par courriel ?").count() == 1
    screenshot(visitor, "unsubscribe-confirm-375")
    axe(visitor, "the unsubscribe confirmation")
    visitor.get_by_role("button", name="Ne plus recevoir de notifications par courriel").click()
    visitor.wait_for_load_state()
    assert visitor.get_by_role("heading", name="Vous êtes désabonné").count() == 1
    axe(visitor, "the unsubscribe confirmation")

    visitor.goto(f"/notifications/desabonnement/{token[:-3]}xyz/")
    assert visitor.get_by_role("heading", name="Ce lien de désabonnement ne fonctionne pas").count() == 1
    fits(visitor)
    screenshot(visitor, "unsubscribe-error-375")
    axe(visitor, "the unsubscribe error")
