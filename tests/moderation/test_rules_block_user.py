"""civic_moderation.block_user: the actor's role x the role of the person to block."""

import pytest

pytestmark = pytest.mark.django_db

PERM = "civic_moderation.block_user"
ROLES = ["resident", "agent", "moderator", "administrator"]

EXPECTED = {
    # actor: roles they may block
    "resident": set(),
    "agent": set(),
    "moderator": {"resident", "agent"},
    "administrator": {"resident", "agent", "moderator", "administrator"},
}


@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_by_roles(user_factory, actor_role, target_role):
    actor, target = user_factory(roles=[actor_role]), user_factory(roles=[target_role])
    assert actor.has_perm(PERM, target) is (target_role in EXPECTED[actor_role])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_blocks_themselves(user_factory, role):
    person = user_factory(roles=[role])
    assert not person.has_perm(PERM, person)
