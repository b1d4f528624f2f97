"""A participatory budget from a phone, end to end: a resident proposes an idea; an agent reviews it
(a refusal without reason is sent back) and puts it on the ballot; the resident votes with the
knapsack meter; an administrator compares the three counting rules and publishes.

The campaign is created for this test (the demo's own campaign stays in its voting phase for the
other tests), and time passes by moving its phase dates with ``manage.py shell``: everything else
goes through the browser. Axe-checked; the staff screens are photographed at 375 and 1280 px.
"""

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, fits, log_in, screenshot

pytestmark = pytest.mark.browser

RESIDENT = "lucas@demo.civic.test"
AGENT = "agent.espaces-verts@demo.civic.test"
ADMINISTRATOR = "admin@demo.civic.test"

SETUP = """
import json, uuid
from datetime import timedelta
from django.utils import timezone
from civic.cms.models import HomePage
from budget_participatif.models import BallotType, Budget, BudgetPage, Project, VoteScope
now = timezone.now()
page = BudgetPage(
    title="Budget participatif des écoles", slug="bp-ecoles-" + uuid.uuid4().hex[:8],
    ideas_opens=now - timedelta(days=5), ideas_close=now + timedelta(days=5),
    voting_opens=now + timedelta(days=10), voting_closes=now + timedelta(days=20),
    follow_up_from=now + timedelta(days=60), vote_scope=VoteScope.ALL,
)
HomePage.objects.first().add_child(instance=page)
page.save_revision().publish()
budget = Budget.objects.create(
    page=page, name="Budget des écoles", amount=100000, ballot_type=BallotType.KNAPSACK, counting_rule="mes-add1"
)
for title, cost in (("Bancs dans la cour", 40000), ("Fresque du préau", 70000)):
    Project.objects.create(budget=budget, title=title, cost=cost, on_ballot=True, description="Pour les écoles.")
print(json.dumps({"page": page.pk, "budget": budget.pk}))
"""

# Days from now of (ideas open, ideas close, voting opens, voting closes) in each phase.
PHASES = {"review": (-20, -10, 10, 20), "voting": (-30, -20, -1, 10), "results": (-40, -30, -10, -0.01)}
MOVE = """
from datetime import timedelta
from django.utils import timezone
from budget_participatif.models import BudgetPage
now = timezone.now()
days = {days}
BudgetPage.objects.filter(pk={pk}).update(
    ideas_opens=now + timedelta(days=days[0]), ideas_close=now + timedelta(days=days[1]),
    voting_opens=now + timedelta(days=days[2]), voting_closes=now + timedelta(days=days[3]),
)
"""


def _submit(page, button):
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def _move_to(demo_server, page_id: int, phase: str):
    demo_server.manage("shell", "-c", MOVE.format(days=PHASES[phase], pk=page_id))


def _both_widths(staff, phone, path: str, name: str, axe):
    """The same staff screen on a desk and on a phone: no overflow, no axe violation, photographed."""
    for page, viewport, width in ((staff, DESKTOP, 1280), (phone, PHONE, 375)):
        page.goto(path)
        fits(page, viewport)
        axe(page, f"{name} at {width} px")
        screenshot(page, f"budget-admin-{name}-{width}")


def test_an_idea_becomes_a_voted_and_published_project(new_page, demo_server, axe):
    ids = json.loads(demo_server.manage("shell", "-c", SETUP).strip().splitlines()[-1])
    campaign_id, budget_id = ids["page"], ids["budget"]

    # --- Lucas proposes an idea from his phone.
    resident = new_page(PHONE)
    log_in(resident, RESIDENT, f"/budget-participatif/{campaign_id}/idees/proposer/")
    assert resident.url.endswith(f"/budget-participatif/{campaign_id}/idees/proposer/")
    resident.locator("#id_title").fill("Un potager dans la cour de l'école")
    resident.locator("#id_description").fill("Des bacs de légumes que les enfants entretiennent avec les animateurs.")
    resident.locator("#id_theme").select_option("nature")
    resident.locator("#id_cost_guess").fill("25000")
    fits(resident, PHONE)
    axe(resident, "the idea form at 375 px")
    screenshot(resident, "budget-idea-form-375")
    _submit(resident, resident.locator("form button[type=submit]").last)
    resident.wait_for_url(re.compile(r"/budget-participatif/idees/\d+/$"))
    idea_id = int(re.search(r"/idees/(\d+)/$", resident.url).group(1))
    axe(resident, "the new idea's page at 375 px")

    # --- Review phase: Sophie (green spaces) reviews it in the back office.
    _move_to(demo_server, campaign_id, "review")
    staff = new_page(DESKTOP)
    staff_phone = new_page(PHONE)
    for page in (staff, staff_phone):
        log_in(page, AGENT, "/admin/budget-participatif/review/")
    assert staff.url.endswith("/admin/budget-participatif/review/")
    queue = f"/admin/budget-participatif/review/?campaign={campaign_id}&status=to_review"
    _both_widths(staff, staff_phone, queue, "review-queue", axe)
    staff.goto(queue)
    staff.locator(f"#idea-{idea_id}-title").click()
    staff.wait_for_url(re.compile(rf"/admin/budget-participatif/review/{idea_id}/"))

    # A refusal without a reason is sent back, with what was typed kept.
    form = staff.locator("#review-form")
    form.locator("#id_service").fill("Espaces verts")
    form.locator("input[name=verdict][value=not_feasible]").check()
    form.locator("#id_cost_estimate").fill("30000")
    _submit(staff, form.locator("button[type=submit]"))
    assert staff.locator("#review-form .error-message").count() >= 1
    assert staff.locator("#id_service").input_value() == "Espaces verts"
    assert staff.locator("#id_cost_estimate").input_value() == "30000"
    axe(staff, "the review form with an error at 1280 px")
    screenshot(staff, "budget-admin-review-error-1280")

    form = staff.locator("#review-form")
    form.locator("input[name=verdict][value=feasible]").check()
    form.locator("#id_public_reason").fill("La cour s'y prête : le service fournit les bacs et le compost.")
    _submit(staff, form.locator("button[type=submit]"))
    staff.wait_for_selector("#put-on-ballot-form")
    assert staff.locator(".messages .success").count() == 1
    _both_widths(staff, staff_phone, f"/admin/budget-participatif/review/{idea_id}/", "review-idea", axe)
    staff.goto(f"/admin/budget-participatif/review/{idea_id}/")
    staff.locator("#put-on-ballot-form select").select_option(str(budget_id))
    _submit(staff, staff.locator("#put-on-ballot-form button[type=submit]"))
    staff.wait_for_load_state()
    assert staff.locator(".messages .success").count() == 1
    _both_widths(staff, staff_phone, "/admin/budget-participatif/ballots/", "budgets", axe)
    _both_widths(staff, staff_phone, f"/admin/budget-participatif/ballots/{budget_id}/", "ballot", axe)
    costs = staff.locator("#ballot-projects-form input[type=number]")
    assert costs.count() == 3, "three projects, their costs editable before the vote"
    assert "30000" in [costs.nth(i).input_value() for i in range(3)]

    # Lucas is told: the idea's page shows the verdict and its reason.
    resident.goto(f"/budget-participatif/idees/{idea_id}/")
    assert "le service fournit les bacs" in resident.locator("main").inner_text()

    # --- Voting phase: the ballot is frozen; Lucas fills it watching the knapsack meter.
    _move_to(demo_server, campaign_id, "voting")
    staff.goto(f"/admin/budget-participatif/ballots/{budget_id}/")
    assert staff.locator("#ballot-projects-form input[type=number]").count() == 0
    resident.goto(f"/budget-participatif/budgets/{budget_id}/vote/")
    meter = resident.locator("#ballot-meter")
    assert meter.is_visible()
    potager = resident.locator(".ballot-project", has_text="Un potager dans la cour")
    assert potager.count() == 1, "the reviewed idea is on the ballot"
    assert potager.get_attribute("data-cost") == "30000", "at the agent's estimate"
    potager.locator("input[type=checkbox]").check()
    resident.locator(".ballot-project", has_text="Fresque du préau").locator("input[type=checkbox]").check()
    assert "meter--bad" not in (meter.get_attribute("class") or "")
    resident.locator(".ballot-project", has_text="Bancs dans la cour").locator("input[type=checkbox]").check()
    assert "meter--bad" in meter.get_attribute("class"), "140 000 € is over the 100 000 € budget"
    fits(resident, PHONE)
    axe(resident, "the knapsack ballot over the budget at 375 px")
    screenshot(resident, "budget-ballot-over-375")
    resident.locator(".ballot-project", has_text="Bancs dans la cour").locator("input[type=checkbox]").uncheck()
    assert "meter--bad" not in meter.get_attribute("class")
    assert resident.locator("#meter-fill").evaluate("node => node.style.width") == "100%"
    _submit(resident, resident.locator("#ballot button[type=submit]"))
    resident.wait_for_url(re.compile(rf"/budget-participatif/budgets/{budget_id}/vote/$"))
    assert resident.locator(".message--success").count() >= 1, "the ballot is recorded"
    axe(resident, "the recorded ballot at 375 px")
    screenshot(resident, "budget-ballot-recorded-375")

    # --- Results phase: the administrator counts, compares the rules and publishes.
    _move_to(demo_server, campaign_id, "results")
    admin = new_page(DESKTOP)
    admin_phone = new_page(PHONE)
    results = f"/admin/budget-participatif/ballots/{budget_id}/results/"
    for page in (admin, admin_phone):
        log_in(page, ADMINISTRATOR, results)
    assert admin.url.endswith(results)
    _submit(admin, admin.locator("#count-form button[type=submit]"))
    admin.wait_for_selector("#matrix-caption")
    potager_row = admin.locator("tbody tr", has_text="Un potager dans la cour")
    assert potager_row.locator(".bp-mark").count() == 3, "every rule selects the only voted pair"
    _both_widths(admin, admin_phone, results, "results", axe)
    admin.goto(results)
    assert admin.locator("#publish-form input[name=rule][value='mes-add1']").is_checked(), "the budget's rule"
    _submit(admin, admin.locator("#publish-form button[type=submit]"))
    assert admin.locator("#publish-form .error-message").count() >= 1, "the confirmation box is required"
    admin.locator("#publish-form input[name=confirm]").check()
    _submit(admin, admin.locator("#publish-form button[type=submit]"))
    admin.wait_for_load_state()
    assert admin.locator(".messages .success").count() == 1
    screenshot(admin, "budget-admin-results-published-1280")

    # --- Everyone sees the results.
    resident.goto(f"/budget-participatif/budgets/{budget_id}/resultats/")
    assert "Un potager dans la cour" in resident.locator("main").inner_text()
    fits(resident, PHONE)
    axe(resident, "the published results at 375 px")
    screenshot(resident, "budget-results-375")


PAPER_BALLOT = """
import json
from budget_participatif.models import Ballot, BallotChannel, BallotChoice, Budget
city = Budget.objects.get(page__slug="budget-participatif-2027", area__isnull=True)
tilleuls = Budget.objects.get(page__slug="budget-participatif-2027", area__name="Les Tilleuls")
from civic.accounts.models import User
nadia = User.objects.get(email="nadia@demo.civic.test")
ballot, created = Ballot.objects.get_or_create(budget=city, voter=nadia, defaults={"channel": BallotChannel.PAPER})
Ballot.objects.filter(pk=ballot.pk).update(channel=BallotChannel.PAPER)
if created:
    BallotChoice.objects.create(ballot=ballot, project=city.projects.filter(on_ballot=True).first())
print(json.dumps({"city": city.pk, "tilleuls": tilleuls.pk}))
"""


def test_who_cannot_vote_online_is_told_before_the_ballot(new_page, demo_server, axe):
    """Nadia voted on paper in the city budget and lives in the Centre-ville: both ballots say why
    before the form, with no active box and no button, on a phone."""
    budgets = json.loads(demo_server.manage("shell", "-c", PAPER_BALLOT).strip().splitlines()[-1])
    page = new_page(PHONE)
    log_in(page, "nadia@demo.civic.test", f"/budget-participatif/budgets/{budgets['city']}/vote/")
    notice = page.locator("#ballot-refusal")
    assert "Vous ne pouvez pas voter en ligne dans ce budget." in notice.inner_text()
    assert "Vous avez voté sur papier le" in notice.inner_text()
    assert "vous pouvez modifier" not in page.locator("main").inner_text().lower()
    boxes = page.locator("#ballot input[type=checkbox]")
    assert boxes.count() > 0 and all(boxes.nth(i).is_disabled() for i in range(boxes.count()))
    assert page.locator("#ballot button[type=submit]").count() == 0
    fits(page, PHONE)
    axe(page, "a ballot refused before the form (paper) at 375 px")
    screenshot(page, "budget-ballot-refused-paper-375")

    page.goto(f"/budget-participatif/budgets/{budgets['tilleuls']}/vote/")
    assert "Ce budget est réservé aux habitants de Les Tilleuls" in page.locator("#ballot-refusal").inner_text()
    fields = page.locator("#ballot input[type=number]")
    assert fields.count() > 0 and all(fields.nth(i).is_disabled() for i in range(fields.count()))
    assert page.locator("#ballot button[type=submit]").count() == 0
    fits(page, PHONE)
    axe(page, "another district's ballot at 375 px")


def test_published_results_fit_a_phone_and_offer_the_pabulib_file(new_page, demo_server, axe):
    budget_id = (
        demo_server.manage(
            "shell",
            "-c",
            "from budget_participatif.models import Budget; "
            "print(Budget.objects.get(page__slug='budget-participatif-2025').pk)",
        )
        .strip()
        .splitlines()[-1]
    )
    page = new_page(PHONE)
    page.goto(f"/budget-participatif/budgets/{budget_id}/resultats/")
    fits(page, PHONE)
    axe(page, "the 2025 results at 375 px")
    screenshot(page, "budget-results-2025-375")
    link = page.get_by_role("link", name="Bulletins anonymisés (fichier Pabulib .pb)")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.text().startswith("META")
    page.goto("/budget-participatif/donnees-ouvertes/")
    fits(page, PHONE)
    axe(page, "the budgets' open data at 375 px")
    assert page.get_by_role("link", name="Tous les budgets publiés (CSV)").count() == 1


def test_staff_add_a_milestone_with_a_photo_from_a_phone(new_page, demo_server, axe, tmp_path):
    """An agent opens "Follow-up of projects", adds a milestone with a photo and a progress to a
    funded 2025 project; the project's public page shows it. Staff screens axe-checked at both widths."""
    from PIL import Image

    project_id = (
        demo_server.manage(
            "shell",
            "-c",
            "from budget_participatif.models import Project; "
            "print(Project.objects.filter(budget__page__slug='budget-participatif-2025', selected=True).first().pk)",
        )
        .strip()
        .splitlines()[-1]
    )
    photo = tmp_path / "chantier.jpg"
    Image.new("RGB", (900, 600), (60, 120, 60)).save(photo, format="JPEG")
    staff = new_page(DESKTOP)
    phone = new_page(PHONE)
    for page in (staff, phone):
        log_in(page, AGENT, "/admin/budget-participatif/follow-up/")
    _both_widths(staff, phone, "/admin/budget-participatif/follow-up/", "follow-up", axe)
    path = f"/admin/budget-participatif/follow-up/{project_id}/"
    _both_widths(staff, phone, path, "follow-up-project", axe)
    phone.goto(path)
    phone.locator("#id_title").fill("Pose des premiers agrès")
    phone.locator("#id_description").fill("Les agrès sont installés côté rivière.")
    phone.locator("#id_progress").fill("55")
    phone.locator("#id_photos").set_input_files(str(photo))
    phone.locator("#id_photo_alt").fill("Les agrès au bord de la rivière")
    _submit(phone, phone.get_by_role("button", name="Ajouter l’étape"))
    assert "Pose des premiers agrès" in phone.locator("main").inner_text()
    fits(phone, PHONE)
    _both_widths(staff, phone, "/admin/budget-participatif/ballots/import/", "pabulib-import", axe)

    resident = new_page(PHONE)
    resident.goto(f"/budget-participatif/projets/{project_id}/")
    main = resident.locator("main").inner_text()
    assert "Pose des premiers agrès" in main and "55 % réalisé" in main
    assert resident.get_by_role("img", name="Les agrès au bord de la rivière").count() == 1
    fits(resident, PHONE)
    axe(resident, "a funded project's page with milestones at 375 px")
    screenshot(resident, "budget-project-milestones-375")
