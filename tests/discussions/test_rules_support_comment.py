"""civic_discussions.support_comment: role x comment state x target rule."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

pytestmark = pytest.mark.django_db

PERM = "civic_discussions.support_comment"
ROLES = ["resident", "agent", "moderator", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_whoever_may_comment_supports_others_comments(thread, comment_factory, user_factory, role):
    assert user_factory(roles=[role]).has_perm(PERM, comment_factory(target=thread))


@pytest.mark.parametrize("state", ["pending", "hidden", "rejected"])
def test_only_published_comments_are_supported(thread, resident, comment_factory, state):
    assert not resident.has_perm(PERM, comment_factory(target=thread, moderation_state=state))


def test_deleted_comments_are_not_supported(thread, resident, comment_factory):
    assert not resident.has_perm(PERM, comment_factory(target=thread, deleted_at=timezone.now(), body=""))


def test_not_ones_own_comment(thread, resident, comment_factory):
    assert not resident.has_perm(PERM, comment_factory(target=thread, author=resident))


def test_not_where_comments_are_closed(thread, resident, comment_factory, area_rules):
    comment = comment_factory(target=thread)
    area_rules.set("comment", rules.always_deny)
    assert not resident.has_perm(PERM, comment)


def test_not_when_blocked_or_anonymous(thread, resident, comment_factory, user_block_factory):
    comment = comment_factory(target=thread)
    assert not AnonymousUser().has_perm(PERM, comment)
    user_block_factory(user=resident)
    assert not resident.has_perm(PERM, comment)
