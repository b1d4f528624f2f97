"""budget_participatif.enter_ballot: agents and administrators, while the vote is open (paper ballots at the desk)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES, STAFF  # noqa: F401

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.enter_ballot"
ALLOWED = STAFF


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_in_each_phase(budget_factory, budget_page_factory, user_factory, role, phase):
    budget = budget_factory(page=budget_page_factory(phase=phase))
    assert user_factory(roles=[role]).has_perm(PERM, budget) is (ALLOWED[role] and phase == "voting")


@pytest.mark.parametrize("phase", PHASES)
def test_anonymous_and_inactive_staff_never(budget_factory, budget_page_factory, user_factory, phase):
    budget = budget_factory(page=budget_page_factory(phase=phase))
    assert not AnonymousUser().has_perm(PERM, budget)
    assert not user_factory(roles=["administrator"], is_active=False).has_perm(PERM, budget)
