import pytest

from civic.moderation.exceptions import NotAllowed, ParticipationError, RateLimited
from civic.moderation.models import Flag, HoldReason, ModerationState
from civic.moderation.services import flag_create

pytestmark = pytest.mark.django_db


def test_a_flag_puts_the_item_in_the_queue_but_keeps_it_public(thread, comment_factory, resident):
    comment = comment_factory(target=thread)
    flag = flag_create(user=resident, item=comment, reason="spam", text="  Advert for a shop  ")
    comment.refresh_from_db()
    assert flag.text == "Advert for a shop"
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.review_requested_at is not None


def test_flagging_twice_is_refused_and_stores_one_flag(thread, comment_factory, resident):
    comment = comment_factory(target=thread)
    flag_create(user=resident, item=comment, reason="spam")
    with pytest.raises(ParticipationError) as refusal:
        flag_create(user=resident, item=comment, reason="offensive")
    assert refusal.value.code == "already_flagged"
    assert "already flagged" in str(refusal.value.message)
    assert Flag.objects.count() == 1


def test_past_the_threshold_the_item_leaves_public_view(thread, comment_factory, user_factory, settings):
    settings.CIVIC_MODERATION_FLAG_THRESHOLD = 3
    comment = comment_factory(target=thread)
    for _index in range(2):
        flag_create(user=user_factory(), item=comment, reason="offensive")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    flag_create(user=user_factory(), item=comment, reason="offensive")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PENDING
    assert comment.held_for == HoldReason.FLAGS
    assert comment.moderation_version == 1


def test_flagging_ones_own_contribution_is_refused(thread, comment_factory, resident):
    comment = comment_factory(target=thread, author=resident)
    with pytest.raises(NotAllowed):
        flag_create(user=resident, item=comment, reason="spam")
    assert not Flag.objects.exists()


def test_flagging_while_blocked_is_refused(thread, comment_factory, resident, user_block_factory):
    user_block_factory(user=resident)
    with pytest.raises(NotAllowed) as refusal:
        flag_create(user=resident, item=comment_factory(target=thread), reason="spam")
    assert refusal.value.code == "blocked"
    assert not Flag.objects.exists()


@pytest.mark.parametrize("state", ["pending", "hidden", "rejected"])
def test_only_published_items_are_flagged(thread, comment_factory, resident, state):
    with pytest.raises(ParticipationError) as refusal:
        flag_create(user=resident, item=comment_factory(target=thread, moderation_state=state), reason="spam")
    assert refusal.value.code == "not_published"


def test_an_unknown_reason_is_refused(thread, comment_factory, resident):
    with pytest.raises(ParticipationError):
        flag_create(user=resident, item=comment_factory(target=thread), reason="boring")


def test_flags_are_rate_limited(thread, comment_factory, resident, settings):
    settings.CIVIC_RATE_LIMITS = {"flag": {"user": "2/h"}}
    for _index in range(2):
        flag_create(user=resident, item=comment_factory(target=thread), reason="spam")
    with pytest.raises(RateLimited):
        flag_create(user=resident, item=comment_factory(target=thread), reason="spam")
    assert Flag.objects.count() == 2


def test_a_comment_its_author_deleted_cannot_be_flagged(thread, comment_factory, resident):
    from django.utils import timezone

    comment = comment_factory(target=thread, deleted_at=timezone.now(), body="")
    assert not resident.has_perm("civic_moderation.flag_contribution", comment)
    with pytest.raises(ParticipationError):
        flag_create(user=resident, item=comment, reason="spam")
