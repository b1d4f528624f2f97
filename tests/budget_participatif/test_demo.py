import pytest
from django.core.management import call_command

from budget_participatif.models import Ballot, BudgetPage, Idea, Phase, Project

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_with_a_campaign_open_for_voting_and_a_past_one(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    current = BudgetPage.objects.get(slug="budget-participatif-2027")
    assert current.current_phase == Phase.VOTING
    assert current.budgets.count() == 3 and current.budgets.filter(area__isnull=True, amount=300_000).exists()
    assert Idea.objects.filter(page=current).count() == 20
    assert Project.objects.filter(budget__page=current, on_ballot=True).count() == 13
    assert Ballot.objects.filter(budget__page=current).exists()
    past = BudgetPage.objects.get(slug="budget-participatif-2025")
    assert past.current_phase == Phase.FOLLOW_UP
    assert Project.objects.filter(budget__page=past, selected=True).exists()
    assert client.get(current.url).status_code == 200
    budget = past.budgets.get()
    assert client.get(f"/budget-participatif/budgets/{budget.pk}/resultats/").status_code == 200
    assert client.get(f"/budget-participatif/{past.pk}/suivi/").status_code == 200
