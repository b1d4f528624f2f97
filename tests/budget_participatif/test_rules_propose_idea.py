"""budget_participatif.propose_idea (on the campaign page): logged in, active, not blocked, during the ideas phase."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.propose_idea"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_proposes_ideas_during_the_ideas_phase_only(budget_page_factory, user_factory, role, phase):
    page = budget_page_factory(phase=phase)
    assert user_factory(roles=[role]).has_perm(PERM, page) is (phase == "ideas")


def test_anonymous_blocked_and_inactive_people_do_not_propose(budget_page_factory, user_factory, user_block_factory):
    page = budget_page_factory(phase="ideas")
    blocked = user_factory(roles=["resident"])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, page)
    assert not blocked.has_perm(PERM, page)
    assert not user_factory(roles=["resident"], is_active=False).has_perm(PERM, page)
