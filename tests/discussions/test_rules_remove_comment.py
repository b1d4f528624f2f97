"""civic_discussions.remove_comment: role x comment state."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

pytestmark = pytest.mark.django_db

PERM = "civic_discussions.remove_comment"


@pytest.mark.parametrize("state", ["published", "pending", "hidden", "rejected"])
def test_the_author_deletes_whatever_the_moderation_state(thread, resident, comment_factory, state):
    comment = comment_factory(target=thread, author=resident, moderation_state=state)
    assert resident.has_perm(PERM, comment)


def test_a_deleted_comment_cannot_be_deleted_again(thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident, deleted_at=timezone.now(), body="")
    assert not resident.has_perm(PERM, comment)


def test_a_blocked_author_still_deletes_their_words(thread, resident, comment_factory, user_block_factory):
    comment = comment_factory(target=thread, author=resident)
    user_block_factory(user=resident)
    assert resident.has_perm(PERM, comment)


@pytest.mark.parametrize("role", ["resident", "agent", "moderator", "administrator"])
def test_others_do_not_delete_moderators_hide_instead(thread, comment_factory, user_factory, role):
    comment = comment_factory(target=thread)
    assert not user_factory(roles=[role]).has_perm(PERM, comment)


def test_anonymous_visitors_do_not_delete(thread, comment_factory):
    assert not AnonymousUser().has_perm(PERM, comment_factory(target=thread))
