"""budget_participatif.vote_budget: logged in, active, not blocked, while the vote is open."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.vote_budget"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_votes_during_the_vote_only(budget_factory, budget_page_factory, user_factory, role, phase):
    budget = budget_factory(page=budget_page_factory(phase=phase))
    assert user_factory(roles=[role]).has_perm(PERM, budget) is (phase == "voting")


def test_anonymous_blocked_and_inactive_people_do_not_vote(
    budget_factory, budget_page_factory, user_factory, user_block_factory
):
    budget = budget_factory(page=budget_page_factory(phase="voting"))
    blocked = user_factory(roles=["resident"])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, budget)
    assert not blocked.has_perm(PERM, budget)
    assert not user_factory(roles=["resident"], is_active=False).has_perm(PERM, budget)
