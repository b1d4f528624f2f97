"""civic_discussions.post_comment on a target: role x what the target's module declares."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

ROLES = ["resident", "agent", "moderator", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_logged_in_may_comment_when_the_module_allows_it(thread, user_factory, role):
    assert user_factory(roles=[role]).has_perm("civic_discussions.post_comment", thread)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_may_comment_when_the_module_declared_no_rule(area_factory, area_rules, user_factory, role):
    area_rules.remove("comment")
    assert not user_factory(roles=[role]).has_perm("civic_discussions.post_comment", area_factory())


@pytest.mark.parametrize("role", ROLES)
def test_nobody_may_comment_when_the_module_closes_comments(thread, area_rules, user_factory, role):
    area_rules.set("comment", rules.always_deny)
    assert not user_factory(roles=[role]).has_perm("civic_discussions.post_comment", thread)


def test_the_module_rule_decides_per_role(thread, area_rules, user_factory):
    area_rules.set("comment", rules.is_group_member("agent"))
    assert user_factory(roles=["agent"]).has_perm("civic_discussions.post_comment", thread)
    assert not user_factory(roles=["resident"]).has_perm("civic_discussions.post_comment", thread)


def test_anonymous_visitors_may_not_comment(thread):
    assert not AnonymousUser().has_perm("civic_discussions.post_comment", thread)


@pytest.mark.parametrize("role", ROLES)
def test_blocked_people_may_not_comment(thread, user_factory, user_block_factory, role):
    person = user_factory(roles=[role])
    user_block_factory(user=person)
    assert not person.has_perm("civic_discussions.post_comment", thread)


def test_inactive_accounts_may_not_comment(thread, user_factory):
    assert not user_factory(is_active=False).has_perm("civic_discussions.post_comment", thread)
