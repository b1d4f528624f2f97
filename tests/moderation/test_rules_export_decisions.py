"""civic_moderation.view_decisions and export_decisions: the audit log is for administrators."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("perm", ["civic_moderation.view_decisions", "civic_moderation.export_decisions"])
@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("agent", False), ("moderator", False), ("administrator", True)]
)
def test_by_role(user_factory, perm, role, allowed):
    assert user_factory(roles=[role]).has_perm(perm) is allowed


@pytest.mark.parametrize("perm", ["civic_moderation.view_decisions", "civic_moderation.export_decisions"])
def test_not_disabled_administrators_nor_visitors(user_factory, perm):
    assert not user_factory(roles=["administrator"], is_active=False).has_perm(perm)
    assert not AnonymousUser().has_perm(perm)
