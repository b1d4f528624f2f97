"""budget_participatif.comment_idea: logged in, active, not blocked, on a published idea."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civic.moderation.models import ModerationState

from .rules_cases import PHASES, ROLES

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.comment_idea"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_comments_a_published_idea_in_every_phase(
    idea_factory, budget_page_factory, user_factory, role, phase
):
    idea = idea_factory(page=budget_page_factory(phase=phase))
    assert user_factory(roles=[role]).has_perm(PERM, idea)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_comments_an_idea_not_published(idea_factory, user_factory, role):
    idea = idea_factory(moderation_state=ModerationState.PENDING)
    assert not user_factory(roles=[role]).has_perm(PERM, idea)
    assert not idea.author.has_perm(PERM, idea)


def test_anonymous_blocked_and_inactive_people_do_not_comment(idea_factory, user_factory, user_block_factory):
    idea = idea_factory()
    blocked = user_factory(roles=["resident"])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, idea)
    assert not blocked.has_perm(PERM, idea)
    assert not user_factory(roles=["resident"], is_active=False).has_perm(PERM, idea)
