"""budget_participatif.read_project: everyone, in every phase."""

import pytest
from django.contrib.auth.models import AnonymousUser

from .rules_cases import PHASES, ROLES

pytestmark = pytest.mark.django_db
PERM = "budget_participatif.read_project"


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_project(project_factory, budget_factory, budget_page_factory, user_factory, role, phase):
    project = project_factory(budget=budget_factory(page=budget_page_factory(phase=phase)))
    assert user_factory(roles=[role]).has_perm(PERM, project)
    assert AnonymousUser().has_perm(PERM, project)
