"""civic_moderation.view_queue: who reaches the moderation queue, by role and account state."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERM = "civic_moderation.view_queue"


@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("agent", False), ("moderator", True), ("administrator", True)]
)
def test_by_role(user_factory, role, allowed):
    assert user_factory(roles=[role]).has_perm(PERM) is allowed


@pytest.mark.parametrize("role", ["moderator", "administrator"])
def test_not_once_the_account_is_disabled(user_factory, role):
    assert not user_factory(roles=[role], is_active=False).has_perm(PERM)


def test_not_anonymous_visitors():
    assert not AnonymousUser().has_perm(PERM)
