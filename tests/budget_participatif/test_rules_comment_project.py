"""budget_participatif.comment_project: logged in, active, not blocked, in every phase."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.comment_project"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_comments_a_project(project_factory, budget_factory, budget_page_factory, user_factory, role, phase):
    project = project_factory(budget=budget_factory(page=budget_page_factory(phase=phase)))
    assert user_factory(roles=[role]).has_perm(PERM, project)


@pytest.mark.parametrize("role", ROLES)
def test_anonymous_blocked_and_inactive_people_do_not_comment(project_factory, user_factory, user_block_factory, role):
    project = project_factory()
    blocked = user_factory(roles=[role])
    user_block_factory(user=blocked)
    assert not AnonymousUser().has_perm(PERM, project)
    assert not blocked.has_perm(PERM, project)
    assert not user_factory(roles=[role], is_active=False).has_perm(PERM, project)
