from datetime import timedelta

import pytest
from django.utils import timezone

from civic.discussions.services import comment_create
from civic.moderation.exceptions import NotAllowed, ParticipationError
from civic.moderation.models import HoldReason, ModerationDecision, ModerationState, UserBlock
from civic.moderation.services import flag_create, user_block, user_unblock
from civic.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_blocked_person_cannot_contribute_and_is_told(thread, resident, moderator, comment_factory):
    user_block(moderator=moderator, user=resident, reason="Repeated insults")
    assert Notification.objects.get(recipient=resident).body == "Repeated insults"
    with pytest.raises(NotAllowed):
        comment_create(author=resident, target=thread, body="Hello")
    with pytest.raises(NotAllowed):
        flag_create(user=resident, item=comment_factory(target=thread), reason="spam")
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.subject) == ("block", resident)


def test_blocking_can_hide_everything_they_published_and_unblocking_restores_it(
    thread, resident, moderator, comment_factory
):
    published = comment_factory(target=thread, author=resident)
    already_hidden = comment_factory(target=thread, author=resident, moderation_state=ModerationState.HIDDEN)
    someone_elses = comment_factory(target=thread)
    user_block(moderator=moderator, user=resident, reason="Spam", hide_content=True)
    for comment in (published, already_hidden, someone_elses):
        comment.refresh_from_db()
    assert published.moderation_state == ModerationState.HIDDEN
    assert published.held_for == HoldReason.AUTHOR_BLOCKED
    assert someone_elses.moderation_state == ModerationState.PUBLISHED

    user_unblock(moderator=moderator, user=resident, reason="Apologised", restore_content=True)
    published.refresh_from_db()
    already_hidden.refresh_from_db()
    assert published.moderation_state == ModerationState.PUBLISHED
    assert already_hidden.moderation_state == ModerationState.HIDDEN  # hidden for its own reasons
    assert comment_create(author=resident, target=thread, body="Back").pk
    assert list(ModerationDecision.objects.values_list("action", flat=True)) == ["unblock", "block"]


def test_a_temporary_block_ends_by_itself(thread, resident, moderator):
    user_block(moderator=moderator, user=resident, reason="Cool down", ends_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(NotAllowed) as refusal:
        comment_create(author=resident, target=thread, body="Hello")
    assert "until" in str(refusal.value.message)
    UserBlock.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    resident = type(resident).objects.get(pk=resident.pk)
    assert comment_create(author=resident, target=thread, body="Hello").pk
    # A new block replaces the finished one.
    user_block(moderator=moderator, user=resident, reason="Again")
    assert UserBlock.objects.active().filter(user=resident).count() == 1


def test_blocking_twice_or_unblocking_someone_not_blocked_is_refused(resident, moderator):
    user_block(moderator=moderator, user=resident, reason="x")
    with pytest.raises(ParticipationError):
        user_block(moderator=moderator, user=resident, reason="y")
    user_unblock(moderator=moderator, user=resident)
    with pytest.raises(ParticipationError):
        user_unblock(moderator=moderator, user=resident)


def test_a_reason_is_required(resident, moderator):
    with pytest.raises(ParticipationError):
        user_block(moderator=moderator, user=resident, reason=" ")
    assert not UserBlock.objects.exists()


def test_moderators_cannot_block_staff_or_themselves_administrators_can(user_factory, moderator, administrator):
    other_moderator = user_factory(roles=["moderator"])
    with pytest.raises(NotAllowed):
        user_block(moderator=moderator, user=other_moderator, reason="x")
    with pytest.raises(NotAllowed):
        user_block(moderator=moderator, user=moderator, reason="x")
    with pytest.raises(NotAllowed):
        user_block(moderator=moderator, user=administrator, reason="x")
    user_block(moderator=administrator, user=other_moderator, reason="x")
    with pytest.raises(NotAllowed):
        user_block(moderator=administrator, user=administrator, reason="x")


def test_residents_cannot_block(user_factory, resident):
    with pytest.raises(NotAllowed):
        user_block(moderator=resident, user=user_factory(), reason="x")
