"""The live thread in a real browser: what a person is typing survives the answers and live
messages of the comment they posted just before."""

from tests.browser.conftest import PHONE, log_in
from tests.browser.test_xss import _first_report_url


def test_a_late_answer_does_not_wipe_the_next_comment_being_typed(new_page):
    page = new_page(PHONE)
    log_in(page, "nadia@demo.civic.test")
    page.goto(_first_report_url(page))

    held = []
    page.route("**/api/v1/discussions/**/comments/", lambda route: held.append(route))
    textarea = page.locator("#comments textarea[name=body]").first
    textarea.fill("Premier message : le trou s'agrandit.")
    page.locator("#comments").get_by_role("button", name="Publier").first.click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the comment was not sent through the API"

    # The answer is late; meanwhile the person starts the next comment.
    textarea.fill("Deuxième message, en cours")
    held[0].continue_()
    page.wait_for_selector("#comments >> text=Premier message", timeout=30000)
    page.wait_for_function(
        "!document.querySelector('#comments form[data-comment-form] button[type=submit]').disabled", timeout=30000
    )
    assert textarea.input_value() == "Deuxième message, en cours"
