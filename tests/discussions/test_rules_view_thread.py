"""civic_discussions.view_thread: whoever may see the target, by the target module's own rule."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERM = "civic_discussions.view_thread"


@pytest.mark.parametrize("role", [None, "resident", "agent", "moderator", "administrator"])
def test_follows_the_target_view_rule(thread, user_factory, role):
    viewer = AnonymousUser() if role is None else user_factory(roles=[role])
    assert viewer.has_perm(PERM, thread)


@pytest.mark.parametrize("role", [None, "resident", "agent", "moderator", "administrator"])
def test_denied_when_the_module_declared_no_view_rule(area_factory, area_rules, user_factory, role):
    area_rules.remove("read")
    viewer = AnonymousUser() if role is None else user_factory(roles=[role])
    assert not viewer.has_perm(PERM, area_factory())


def test_a_restrictive_rule_applies(thread, area_rules, user_factory):
    area_rules.set("read", rules.is_group_member("agent"))
    assert user_factory(roles=["agent"]).has_perm(PERM, thread)
    assert not user_factory(roles=["resident"]).has_perm(PERM, thread)
    assert not AnonymousUser().has_perm(PERM, thread)
