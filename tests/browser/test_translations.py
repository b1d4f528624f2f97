"""French pages stay French where scripts write: the ballot's knapsack meter (issue: "0 € of
300 000 € chosen, 300 000 € left" on a French page). The catalogues themselves are checked by
tests/core/test_translations.py."""

import json

import pytest

from tests.browser.conftest import PHONE, fits, log_in, screenshot
from tests.browser.test_moderation import new_resident

pytestmark = pytest.mark.browser

CITY_BUDGET = """
import json
from budget_participatif.models import Budget
print(json.dumps({"id": Budget.objects.get(name="Budget de la ville").pk}))
"""


def test_the_knapsack_meter_speaks_french(new_page, demo_server, axe):
    resident = new_resident(demo_server, "Élodie Garnier")
    budget = json.loads(demo_server.manage("shell", "-c", CITY_BUDGET).strip().splitlines()[-1])
    page = new_page(PHONE)
    ballot = f"/budget-participatif/budgets/{budget['id']}/vote/"
    log_in(page, resident["email"], ballot)
    assert page.url.endswith(ballot), page.url

    meter = page.locator("#meter-text")
    text = meter.inner_text()
    assert "choisis sur" in text and "il reste" in text, text
    assert "chosen" not in text and "left" not in text, text
    page.locator(".ballot-project input[type=checkbox]").first.check()
    text = meter.inner_text()
    assert "choisis sur" in text and "chosen" not in text, text
    fits(page)
    axe(page, "the ballot with its meter (375 px)")
    screenshot(page, "ballot-meter-fr-375")
