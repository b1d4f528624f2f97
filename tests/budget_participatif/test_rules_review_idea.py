"""budget_participatif.review_idea: agents and administrators (active), in every phase."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES, STAFF

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.review_idea"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_staff_review_ideas_in_every_phase(idea_factory, budget_page_factory, user_factory, role, phase):
    idea = idea_factory(page=budget_page_factory(phase=phase))
    assert user_factory(roles=[role]).has_perm(PERM, idea) is STAFF[role]


def test_the_author_anonymous_and_inactive_staff_do_not_review(idea_factory, user_factory):
    idea = idea_factory()
    assert not idea.author.has_perm(PERM, idea)
    assert not AnonymousUser().has_perm(PERM, idea)
    assert not user_factory(roles=["agent"], is_active=False).has_perm(PERM, idea)
