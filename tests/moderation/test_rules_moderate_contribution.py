"""civic_moderation.moderate_contribution: role x item state x authorship."""

import pytest

pytestmark = pytest.mark.django_db

PERM = "civic_moderation.moderate_contribution"
STATES = ["published", "pending", "hidden", "rejected"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("agent", False), ("moderator", True), ("administrator", True)]
)
def test_by_role_and_state(thread, comment_factory, user_factory, role, allowed, state):
    comment = comment_factory(target=thread, moderation_state=state)
    assert user_factory(roles=[role]).has_perm(PERM, comment) is allowed


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["moderator", "administrator"])
def test_never_on_ones_own_contribution(thread, comment_factory, user_factory, role, state):
    person = user_factory(roles=[role])
    assert not person.has_perm(PERM, comment_factory(target=thread, author=person, moderation_state=state))
