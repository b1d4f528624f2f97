"""civic_discussions.edit_comment: role x comment state x edit window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic.discussions.models import Comment

pytestmark = pytest.mark.django_db

PERM = "civic_discussions.edit_comment"


@pytest.mark.parametrize(
    ("state", "deleted", "allowed"),
    [
        ("published", False, True),
        ("pending", False, True),
        ("hidden", False, False),
        ("rejected", False, False),
        ("published", True, False),
    ],
)
def test_the_author_edits_published_or_pending_comments(thread, resident, comment_factory, state, deleted, allowed):
    comment = comment_factory(
        target=thread, author=resident, moderation_state=state, deleted_at=timezone.now() if deleted else None
    )
    assert resident.has_perm(PERM, comment) is allowed


@pytest.mark.parametrize(("minutes_ago", "allowed"), [(1, True), (14, True), (16, False), (600, False)])
def test_only_within_the_edit_window(thread, resident, comment_factory, minutes_ago, allowed, settings):
    settings.CIVIC_DISCUSSIONS_EDIT_WINDOW_MINUTES = 15
    comment = comment_factory(target=thread, author=resident)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    comment.refresh_from_db()
    assert resident.has_perm(PERM, comment) is allowed


@pytest.mark.parametrize("role", ["resident", "agent", "moderator", "administrator"])
def test_nobody_else_edits_through_this_permission(thread, comment_factory, user_factory, role):
    comment = comment_factory(target=thread)
    assert not user_factory(roles=[role]).has_perm(PERM, comment)


def test_a_blocked_author_may_not_edit(thread, resident, comment_factory, user_block_factory):
    comment = comment_factory(target=thread, author=resident)
    user_block_factory(user=resident)
    assert not resident.has_perm(PERM, comment)
