"""The Content-Security-Policy in force, in a real browser: the pages residents and staff use
most (maps included) run without a single violation, so the policy blocks only what it should.

Every page reports each ``securitypolicyviolation`` event and each console message about the
policy; zero is allowed.
"""

import json

import pytest

from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.browser.test_xss import _first_report_url

pytestmark = pytest.mark.browser

RESIDENT = "camille@demo.civic.test"
MODERATOR = "moderation@demo.civic.test"
ADMINISTRATOR = "admin@demo.civic.test"

# Injected by Playwright before any script of the page (the policy does not apply to it).
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + JSON.stringify({
    directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
    source: event.sourceFile, line: event.lineNumber,
  }));
});
"""

IDS = """
import json
from budget_participatif.models import Budget
print(json.dumps({"budget": Budget.objects.order_by("pk").values_list("pk", flat=True).first()}))
"""


def _watched(new_page, viewport):
    page = new_page(viewport)
    page.context.add_init_script(LISTEN)
    problems: list[str] = []

    def on_console(message):
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return page, problems


def _visit(page, path: str, ready: str):
    response = page.goto(path)
    assert response.status < 400, f"{path} answered {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.locator(ready).first.wait_for()
    page.wait_for_load_state("load")


def test_public_pages_and_maps_run_under_the_policy_without_a_violation(new_page, demo_server):
    ids = json.loads(demo_server.manage("shell", "-c", IDS).strip().splitlines()[-1])
    page, problems = _watched(new_page, PHONE)
    _visit(page, "/", "main")
    _visit(page, "/signalements/", ".leaflet-container")  # the map of reports
    _visit(page, _first_report_url(page), "main h1")
    _visit(page, "/api/docs/", ".swagger-ui .info")
    log_in(page, RESIDENT, "/signalements/nouveau/")
    _visit(page, "/signalements/nouveau/", ".leaflet-container")  # the report form and its map
    _visit(page, f"/budget-participatif/budgets/{ids['budget']}/vote/", "main form")
    assert problems == [], "\n".join(problems)


HOME_ID = "from civic.cms.models import HomePage; print(HomePage.objects.first().pk)"


def test_the_moderation_queue_and_the_wagtail_admin_run_under_the_policy(new_page, demo_server):
    moderator, problems = _watched(new_page, DESKTOP)
    log_in(moderator, MODERATOR, "/admin/moderation/")
    _visit(moderator, "/admin/moderation/", "main")

    administrator, admin_problems = _watched(new_page, DESKTOP)
    log_in(administrator, ADMINISTRATOR, "/admin/")
    _visit(administrator, "/admin/", "main")
    administrator.get_by_role("button", name="Pages").first.click()  # the sidebar's explorer, drawn by script
    administrator.locator("[aria-label='Pages'], .c-page-explorer").first.wait_for()
    _visit(administrator, "/admin/pages/", "main")  # its filters' date pickers start with inline scripts
    _visit(administrator, "/admin/settings/civic_cms/siteidentity/", "main form")  # an inline panel
    _visit(administrator, "/admin/budget-participatif/desk/", "main")
    home_id = demo_server.manage("shell", "-c", HOME_ID).strip().splitlines()[-1]
    _visit(administrator, f"/admin/pages/{home_id}/edit/", "form#page-edit-form")  # rich text, panels
    _visit(administrator, "/", "main")  # a public page with Wagtail's user bar, under the strict policy
    assert problems + admin_problems == [], "\n".join(problems + admin_problems)
