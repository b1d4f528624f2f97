"""budget_participatif.read_idea: everyone once published; before, its author and staff only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civic.moderation.models import ModerationState

from .rules_cases import PHASES, ROLES, STAFF

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.read_idea"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_a_published_idea_is_seen_by_everyone_in_every_phase(
    idea_factory, budget_page_factory, user_factory, role, phase
):
    idea = idea_factory(page=budget_page_factory(phase=phase))
    assert user_factory(roles=[role]).has_perm(PERM, idea)
    assert AnonymousUser().has_perm(PERM, idea)


@pytest.mark.parametrize("state", [ModerationState.PENDING, ModerationState.HIDDEN, ModerationState.REJECTED])
@pytest.mark.parametrize("role", ROLES)
def test_an_idea_not_published_is_seen_by_staff_and_its_author(idea_factory, user_factory, role, state):
    idea = idea_factory(moderation_state=state)
    assert user_factory(roles=[role]).has_perm(PERM, idea) is STAFF[role]
    assert idea.author.has_perm(PERM, idea)
    assert not AnonymousUser().has_perm(PERM, idea)
