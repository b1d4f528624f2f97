import pytest
from django.core.management import call_command

from budget_participatif.models import Ballot, BallotChoice, BallotType, BudgetPage, Idea, Milestone, Phase, Project

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


def test_demo_shows_the_four_ballot_types_and_a_funded_project_with_milestones(settings, client):
    from django.db.models import Sum

    from budget_participatif.services import ballot_validate

    settings.DEBUG = True
    call_command("load_demo")
    current = BudgetPage.objects.get(slug="budget-participatif-2027")
    past = BudgetPage.objects.get(slug="budget-participatif-2025")
    types = {budget.ballot_type: budget for budget in current.budgets.all()} | {
        budget.ballot_type: budget for budget in past.budgets.all()
    }
    assert set(types) == set(BallotType.values)
    for kind in (BallotType.CUMULATIVE, BallotType.RANKED):
        budget = types[kind]
        assert budget.area_id is not None  # a district budget
        ballots = list(Ballot.objects.filter(budget=budget).prefetch_related("choices"))
        assert ballots
        for ballot in ballots:  # every demo ballot is one the site would accept
            ballot_validate(budget=budget, selections=[(c.project_id, c.value) for c in ballot.choices.all()])
    assert BallotChoice.objects.filter(ballot__budget=types[BallotType.CUMULATIVE]).aggregate(s=Sum("value"))["s"] > 0
    funded = Project.objects.filter(budget__page=past, selected=True, milestones__progress__isnull=False).first()
    assert funded is not None
    assert Milestone.objects.filter(project=funded, progress__isnull=True).count() == 0
    page = client.get(funded.get_absolute_url()).content.decode()
    assert all(m.title in page for m in funded.milestones.all())
    counts = (Ballot.objects.count(), Milestone.objects.count())
    call_command("load_demo")
    assert (Ballot.objects.count(), Milestone.objects.count()) == counts
