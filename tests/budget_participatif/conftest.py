import pytest

from budget_participatif.models import BallotType


@pytest.fixture
def voter(user_factory):
    return user_factory(roles=["resident"])


@pytest.fixture
def make_budget(budget_page_factory, budget_factory, project_factory):
    """A budget with projects costing ``costs`` (on the ballot), in a campaign whose vote is open."""

    def make(*, ballot_type=BallotType.APPROVAL, costs=(20_000, 30_000, 50_000, 70_000), page=None, **fields):
        page = page or budget_page_factory(phase=fields.pop("phase", "voting"))
        budget = budget_factory(page=page, ballot_type=ballot_type, **fields)
        projects = [project_factory(budget=budget, title=f"Projet {i}", cost=cost) for i, cost in enumerate(costs)]
        return budget, projects

    return make


def approve(*projects):
    return [(project.pk, 1) for project in projects]
