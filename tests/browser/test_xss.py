"""Comments that try HTML or script injection render as inert text, in a real browser: on the
page after a reload and when they arrive live on another viewer's open page."""

import re

from tests.browser.conftest import PHONE, log_in

# Each payload, if it ran, would open a dialog, change the title or set window.__pwned.
PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '<img src=x onerror="window.__pwned=1;alert(2)">',
    '<svg/onload=alert(3)><a href="javascript:alert(4)">lien</a>',
    '"><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<a href="jav&#x09;ascript:alert(5)">x</a> <details open ontoggle=alert(6)>',
    "https://example.org/?q=<script>alert(7)</script> et javascript:alert(8)",
    "<style>*{display:none}</style><body onload=alert(9)>",
    "{{ 7*7 }} ${alert(10)} `\u0022onmouseover=alert(11)`",
]
COMMENTS = [
    "Essai 1 : " + " ".join(PAYLOADS[:3]),
    "Essai 2 : " + " ".join(PAYLOADS[3:6]),
    "Essai 3 : " + " ".join(PAYLOADS[6:]),
]


def _watch(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _assert_inert(page, dialogs, where):
    assert dialogs == [], f"a payload executed on {where}: {dialogs}"
    assert page.evaluate("window.__pwned") is None, f"a payload executed on {where}"
    texts = page.locator("#comments .comment__text")
    assert texts.count() >= len(COMMENTS)
    # No element from the payloads exists inside the comment texts: only text, links and line breaks.
    for selector in ["script", "img", "svg", "iframe", "details", "style", "body", "a[href^='javascript']"]:
        assert page.locator(f"#comments .comment__text {selector}").count() == 0, (
            f"{selector} rendered as HTML on {where}"
        )
    for link in page.locator("#comments .comment__text a[href]").all():
        assert link.get_attribute("href").startswith(("http://", "https://", "/", "#", "?")), link.get_attribute("href")


def _first_report_url(page) -> str:
    page.goto("/signalements/liste/?state=open")
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    return next(href for href in hrefs if re.fullmatch(r"/signalements/\d+/", href))


def test_injection_attempts_in_comments_stay_inert_text(new_page):
    author = new_page(PHONE)
    author_dialogs = _watch(author)
    log_in(author, "camille@demo.civic.test")
    report_url = _first_report_url(author)

    viewer = new_page(PHONE)  # an anonymous visitor with the thread open: receives comments live
    viewer_dialogs = _watch(viewer)
    viewer.goto(report_url)
    viewer.wait_for_selector("#comments")

    author.goto(report_url)
    for text in COMMENTS:
        author.locator("#comments textarea[name=body]").first.fill(text)
        author.locator("#comments").get_by_role("button", name="Publier").first.click()
        author.wait_for_load_state()
        author.wait_for_selector(f"#comments >> text={text[:9]}", timeout=30000)

    author.reload()
    body_text = author.locator("#comments").inner_text()
    for payload in ["<script>alert('xss-1')</script>", '<img src=x onerror="window.__pwned=1;alert(2)">']:
        assert payload in body_text, "the payload is shown to readers as the text that was typed"
    _assert_inert(author, author_dialogs, "the reloaded report page")

    # The live copy on the viewer's page went through the same escaping.
    viewer.wait_for_function("document.querySelector('#comments').innerText.includes('Essai 3')", timeout=10000)
    _assert_inert(viewer, viewer_dialogs, "a viewer's page receiving the comments live")
    assert author.title() == viewer.title() and "pwned" not in author.title()
