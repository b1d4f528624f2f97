"""signalements.view_inbox: agents and administrators (active); nobody else."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db
PERM = "signalements.view_inbox"


@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("moderator", False), ("agent", True), ("administrator", True)]
)
def test_each_role(user_factory, role, allowed):
    assert user_factory(roles=[role]).has_perm(PERM) is allowed


def test_anonymous_and_inactive_staff_are_refused(user_factory):
    assert not AnonymousUser().has_perm(PERM)
    assert not user_factory(roles=["agent"], is_active=False).has_perm(PERM)


def test_a_superuser_sees_it(user_factory):
    assert user_factory(is_superuser=True).has_perm(PERM)
