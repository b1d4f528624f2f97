from datetime import timedelta

import pytest
import rules
from django.utils import timezone

from civic.discussions.models import Comment, Support
from civic.discussions.services import (
    comment_create,
    comment_delete,
    comment_edit,
    comment_support,
    comment_unsupport,
)
from civic.moderation.exceptions import NotAllowed, ParticipationError, RateLimited
from civic.moderation.models import HoldReason, ModerationState
from civic.notifications.models import Notification
from civic.notifications.selectors import is_following
from civic.notifications.services import follow_create
from civic.territory.models import Area

pytestmark = pytest.mark.django_db


def test_a_resident_comments_and_the_comment_is_published(thread, resident):
    comment = comment_create(author=resident, target=thread, body="  The bench is broken.\r\n\r\n\r\n\r\nPlease fix.  ")
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.body == "The bench is broken.\n\nPlease fix."
    assert comment.target == thread
    assert comment.review_requested_at is None


def test_a_reply_to_a_reply_joins_the_top_level_comment(thread, resident, comment_factory):
    top = comment_factory(target=thread)
    reply = comment_factory(target=thread, parent=top)
    answer = comment_create(author=resident, target=thread, body="Agreed.", parent=reply)
    assert answer.parent == top


@pytest.mark.parametrize(
    "change",
    [
        {"deleted_at": timezone.now(), "body": ""},
        {"moderation_state": ModerationState.HIDDEN},
        {"moderation_state": ModerationState.PENDING},
        {"moderation_state": ModerationState.REJECTED},
    ],
)
def test_replying_to_a_deleted_or_moderated_comment_is_refused_and_nothing_is_stored(
    thread, resident, comment_factory, change
):
    parent = comment_factory(target=thread, **change)
    with pytest.raises(ParticipationError) as refusal:
        comment_create(author=resident, target=thread, body="Hello", parent=parent)
    assert "deleted or hidden" in str(refusal.value.message)
    assert Comment.objects.filter(parent=parent).count() == 0


def test_replying_to_a_reply_whose_comment_was_deleted_is_refused(thread, resident, comment_factory):
    top = comment_factory(target=thread, deleted_at=timezone.now(), body="")
    reply = comment_factory(target=thread, parent=top)
    with pytest.raises(ParticipationError):
        comment_create(author=resident, target=thread, body="Hello", parent=reply)
    assert Comment.objects.count() == 2


def test_a_reply_must_belong_to_the_same_thread(thread, resident, comment_factory, area_factory):
    elsewhere = comment_factory(target=area_factory())
    with pytest.raises(ParticipationError):
        comment_create(author=resident, target=thread, body="Hello", parent=elsewhere)


def test_commenting_where_the_module_did_not_allow_it_is_refused(area_factory, resident, area_rules):
    area_rules.remove("comment")
    with pytest.raises(NotAllowed) as refusal:
        comment_create(author=resident, target=area_factory(), body="Hello")
    assert str(refusal.value.message) == "You cannot comment here."
    assert Comment.objects.count() == 0


def test_commenting_while_blocked_is_refused_with_the_reason(thread, resident, user_block_factory):
    user_block_factory(user=resident)
    with pytest.raises(NotAllowed) as refusal:
        comment_create(author=resident, target=thread, body="Hello")
    assert refusal.value.code == "blocked"
    assert "blocked" in str(refusal.value.message)
    assert Comment.objects.count() == 0


def test_a_finished_temporary_block_no_longer_stops_anyone(thread, resident, user_block_factory):
    user_block_factory(user=resident, ends_at=timezone.now() - timedelta(minutes=1))
    assert comment_create(author=resident, target=thread, body="Back again").pk


@pytest.mark.parametrize("body", ["", "   ", "\n\n"])
def test_an_empty_comment_is_refused(thread, resident, body):
    with pytest.raises(ParticipationError) as refusal:
        comment_create(author=resident, target=thread, body=body)
    assert refusal.value.code == "empty"


def test_a_too_long_comment_is_refused(thread, resident, settings):
    settings.CIVIC_DISCUSSIONS_MAX_LENGTH = 20
    with pytest.raises(ParticipationError) as refusal:
        comment_create(author=resident, target=thread, body="x" * 21)
    assert refusal.value.code == "too_long"


def test_a_double_submit_stores_one_comment(thread, resident):
    first = comment_create(author=resident, target=thread, body="Same words")
    second = comment_create(author=resident, target=thread, body="Same words")
    assert first.pk == second.pk
    assert Comment.objects.count() == 1


def test_comments_in_a_premoderated_space_wait_for_a_moderator(thread, resident, monkeypatch):
    monkeypatch.setattr(Area, "premoderation", True, raising=False)
    comment = comment_create(author=resident, target=thread, body="Hello")
    assert comment.moderation_state == ModerationState.PENDING
    assert comment.held_for == HoldReason.PREMODERATION
    assert comment.review_requested_at is not None


def test_the_site_wide_premoderation_default_applies_when_the_space_does_not_say(thread, resident, settings):
    settings.CIVIC_MODERATION_PREMODERATION = True
    assert comment_create(author=resident, target=thread, body="Hello").moderation_state == ModerationState.PENDING


def test_a_space_that_says_no_premoderation_overrides_the_default(thread, resident, settings, monkeypatch):
    settings.CIVIC_MODERATION_PREMODERATION = True
    monkeypatch.setattr(Area, "premoderation", False, raising=False)
    assert comment_create(author=resident, target=thread, body="Hello").moderation_state == ModerationState.PUBLISHED


@pytest.mark.parametrize("body", ["Call me on 06 12 34 56 78", "write to jean.dupont@example.org"])
def test_personal_data_holds_a_comment_for_review(thread, resident, body):
    comment = comment_create(author=resident, target=thread, body=body)
    assert comment.moderation_state == ModerationState.PENDING
    assert comment.held_for == HoldReason.PERSONAL_DATA


def test_a_watched_word_holds_a_comment_for_review(thread, resident, settings):
    settings.CIVIC_MODERATION_HELD_WORDS = ["arnaque*"]
    comment = comment_create(author=resident, target=thread, body="C'est une ARNAQUES totale")
    assert comment.held_for == HoldReason.HELD_WORDS


def test_rate_limit_per_person(thread, resident, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "2/5m", "ip": ""}}
    comment_create(author=resident, target=thread, body="one")
    comment_create(author=resident, target=thread, body="two")
    with pytest.raises(RateLimited) as refusal:
        comment_create(author=resident, target=thread, body="three")
    assert 0 < refusal.value.retry_after <= 300
    assert "wait" in str(refusal.value.message)
    assert Comment.objects.count() == 2


def test_rate_limit_per_ip_counts_every_account(thread, user_factory, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "", "ip": "2/h"}}
    comment_create(author=user_factory(), target=thread, body="one", ip="203.0.113.9")
    comment_create(author=user_factory(), target=thread, body="two", ip="203.0.113.9")
    with pytest.raises(RateLimited):
        comment_create(author=user_factory(), target=thread, body="three", ip="203.0.113.9")
    comment_create(author=user_factory(), target=thread, body="four", ip="198.51.100.1")


def test_the_author_edits_within_the_window(thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    comment_edit(user=resident, comment=comment, body="Corrected text")
    comment.refresh_from_db()
    assert comment.body == "Corrected text"
    assert comment.edited_at is not None


def test_editing_after_the_window_is_refused_and_says_how_long_it_lasts(thread, resident, comment_factory, settings):
    settings.CIVIC_DISCUSSIONS_EDIT_WINDOW_MINUTES = 15
    comment = comment_factory(target=thread, author=resident, body="Original")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(NotAllowed) as refusal:
        comment_edit(user=resident, comment=comment, body="Late change")
    assert "15 minutes" in str(refusal.value.message)
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_someone_else_cannot_edit(thread, resident, comment_factory):
    comment = comment_factory(target=thread, body="Original")
    with pytest.raises(NotAllowed):
        comment_edit(user=resident, comment=comment, body="Changed")
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_an_edit_adding_personal_data_sends_the_comment_back_to_review(thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident, moderation_version=2)
    comment_edit(user=resident, comment=comment, body="Call 0612345678")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PENDING
    assert comment.moderation_version == 3  # a moderator's decision on the old text is refused


def test_deleting_keeps_a_placeholder_and_the_replies(thread, resident, comment_factory, flag_factory):
    comment = comment_factory(target=thread, author=resident, body="Secret opinion")
    reply = comment_factory(target=thread, parent=comment)
    flag = flag_factory(item=comment)
    comment_delete(user=resident, comment=comment)
    comment.refresh_from_db()
    flag.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.body == ""
    assert flag.resolved_at is not None
    assert Comment.objects.filter(pk=reply.pk).exists()


def test_only_the_author_deletes(thread, resident, comment_factory):
    comment = comment_factory(target=thread)
    with pytest.raises(NotAllowed):
        comment_delete(user=resident, comment=comment)
    assert Comment.objects.get(pk=comment.pk).deleted_at is None


def test_deleting_twice_is_refused(thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    comment_delete(user=resident, comment=comment)
    with pytest.raises(ParticipationError):
        comment_delete(user=resident, comment=comment)


def test_a_person_supports_a_comment_once(thread, resident, comment_factory):
    comment = comment_factory(target=thread)
    assert comment_support(user=resident, comment=comment) == 1
    with pytest.raises(ParticipationError) as refusal:
        comment_support(user=resident, comment=comment)
    assert refusal.value.code == "already_supported"
    assert Support.objects.filter(comment=comment).count() == 1
    assert Comment.objects.get(pk=comment.pk).support_count == 1


def test_withdrawing_a_support(thread, resident, comment_factory):
    comment = comment_factory(target=thread)
    comment_support(user=resident, comment=comment)
    assert comment_unsupport(user=resident, comment=comment) == 0
    assert comment_unsupport(user=resident, comment=comment) == 0
    assert not Support.objects.exists()


def test_supporting_ones_own_comment_is_refused(thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    with pytest.raises(NotAllowed):
        comment_support(user=resident, comment=comment)


def test_supporting_where_comments_are_closed_is_refused(thread, resident, comment_factory, area_rules):
    comment = comment_factory(target=thread)
    area_rules.set("comment", rules.always_deny)
    with pytest.raises(NotAllowed):
        comment_support(user=resident, comment=comment)


def test_the_author_follows_the_thread_and_its_followers_are_told(thread, resident, user_factory):
    follower = user_factory()
    follow_create(user=follower, target=thread)
    comment = comment_create(author=resident, target=thread, body="The lights are off since Monday.")
    assert is_following(resident, thread)
    notification = Notification.objects.get(recipient=follower)
    assert notification.kind == "discussions.comment_created"
    assert notification.body == "The lights are off since Monday."
    assert not Notification.objects.filter(recipient=resident).exists()
    assert comment.pk


def test_followers_hear_of_a_held_comment_only_once_it_is_approved(
    thread, resident, user_factory, moderator, django_capture_on_commit_callbacks
):
    from civic.moderation.services import moderation_decide

    follower = user_factory()
    follow_create(user=follower, target=thread)
    comment = comment_create(author=resident, target=thread, body="Call me on 06 12 34 56 78")
    assert not Notification.objects.filter(recipient=follower).exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_decide(moderator=moderator, item=comment, action="approve", expected_state="pending")
    assert Notification.objects.filter(recipient=follower, kind="discussions.comment_created").count() == 1
