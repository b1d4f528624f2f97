"""civic_moderation.flag_contribution: role x item state x authorship x block."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERM = "civic_moderation.flag_contribution"
ROLES = ["resident", "agent", "moderator", "administrator"]


@pytest.mark.parametrize(
    ("state", "allowed"), [("published", True), ("pending", False), ("hidden", False), ("rejected", False)]
)
@pytest.mark.parametrize("role", ROLES)
def test_by_role_and_state(thread, comment_factory, user_factory, role, state, allowed):
    comment = comment_factory(target=thread, moderation_state=state)
    assert user_factory(roles=[role]).has_perm(PERM, comment) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_not_ones_own(thread, comment_factory, user_factory, role):
    person = user_factory(roles=[role])
    assert not person.has_perm(PERM, comment_factory(target=thread, author=person))


def test_not_when_blocked_or_anonymous(thread, comment_factory, resident, user_block_factory):
    comment = comment_factory(target=thread)
    assert not AnonymousUser().has_perm(PERM, comment)
    user_block_factory(user=resident)
    assert not resident.has_perm(PERM, comment)
