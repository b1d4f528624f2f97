from datetime import timedelta

import pytest
from django.utils import timezone, translation

from civic.moderation.exceptions import Conflict, NotAllowed, ParticipationError
from civic.moderation.models import DecisionAction, Flag, ModerationClaim, ModerationDecision, ModerationState
from civic.moderation.services import (
    claim_of,
    contribution_edit_by_moderator,
    moderation_claim,
    moderation_decide,
    moderation_release,
)
from civic.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_hiding_a_comment_logs_the_decision_and_tells_the_author(thread, comment_factory, flag_factory, moderator):
    comment = comment_factory(target=thread, body="Rude words")
    flag = flag_factory(item=comment)
    decision = moderation_decide(
        moderator=moderator,
        item=comment,
        action="hide",
        reason="Insults are not allowed.",
        expected_state=ModerationState.PUBLISHED,
    )
    comment.refresh_from_db()
    flag.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    assert comment.moderation_reason == "Insults are not allowed."
    assert comment.review_requested_at is None
    assert flag.resolved_at is not None
    assert (decision.action, decision.previous_state, decision.new_state) == ("hide", "published", "hidden")
    assert decision.moderator == moderator
    assert decision.subject == comment.author
    assert "Rude words" in decision.item_label
    notification = Notification.objects.get(recipient=comment.author)
    assert notification.kind == "moderation"
    assert notification.body == "Insults are not allowed."


def test_approving_a_pending_comment_publishes_it_and_tells_the_author(thread, comment_factory, moderator):
    comment = comment_factory(
        target=thread, moderation_state=ModerationState.PENDING, review_requested_at=timezone.now()
    )
    moderation_decide(moderator=moderator, item=comment, action="approve", expected_state=ModerationState.PENDING)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert Notification.objects.filter(recipient=comment.author).count() == 1


def test_approving_a_flagged_published_comment_clears_the_flags_quietly(
    thread, comment_factory, flag_factory, moderator
):
    comment = comment_factory(target=thread, review_requested_at=timezone.now())
    flag_factory(item=comment)
    moderation_decide(moderator=moderator, item=comment, action="approve", expected_state=ModerationState.PUBLISHED)
    comment.refresh_from_db()
    assert comment.review_requested_at is None
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=comment.author).exists()


@pytest.mark.parametrize("action", ["hide", "reject"])
def test_hiding_or_rejecting_needs_a_reason(thread, comment_factory, moderator, action):
    comment = comment_factory(target=thread)
    with pytest.raises(ParticipationError) as refusal:
        moderation_decide(moderator=moderator, item=comment, action=action, expected_state="published")
    assert refusal.value.code == "reason_required"
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED


def test_moderators_cannot_decide_on_their_own_content(thread, comment_factory, moderator):
    comment = comment_factory(target=thread, author=moderator, moderation_state="pending")
    with pytest.raises(NotAllowed) as refusal:
        moderation_decide(moderator=moderator, item=comment, action="approve", expected_state="pending")
    assert "your own" in str(refusal.value.message)


def test_not_even_superusers_decide_on_their_own_content(thread, comment_factory, user_factory):
    boss = user_factory(is_superuser=True, is_staff=True)
    comment = comment_factory(target=thread, author=boss, moderation_state="pending")
    with pytest.raises(NotAllowed):
        moderation_decide(moderator=boss, item=comment, action="approve", expected_state="pending")


def test_residents_and_agents_cannot_decide(thread, comment_factory, resident, agent):
    comment = comment_factory(target=thread)
    for person in (resident, agent):
        with pytest.raises(NotAllowed):
            moderation_decide(moderator=person, item=comment, action="hide", reason="x", expected_state="published")


def test_a_decision_on_an_item_another_moderator_just_decided_is_refused(thread, comment_factory, user_factory):
    first, second = user_factory(roles=["moderator"]), user_factory(roles=["moderator"], display_name="Second")
    first.display_name = "Alice"
    first.save()
    comment = comment_factory(target=thread, moderation_state="pending", review_requested_at=timezone.now())
    # Both opened the item while it was pending (version 0); the first one decides.
    moderation_decide(
        moderator=first, item=comment, action="reject", reason="Off topic", expected_state="pending", expected_version=0
    )
    stale = type(comment).objects.get(pk=comment.pk)
    with pytest.raises(Conflict) as refusal, translation.override("en"):
        moderation_decide(moderator=second, item=stale, action="approve", expected_state="pending", expected_version=0)
    assert refusal.value.code == "already_decided"
    message = str(refusal.value.message)
    assert message.startswith("Alice already decided on this item at ")
    assert message.endswith("(now: rejected). Your decision was not applied.")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.REJECTED
    assert ModerationDecision.objects.count() == 1


def test_the_same_decision_twice_is_not_applied_twice(thread, comment_factory, moderator, flag_factory):
    comment = comment_factory(target=thread, review_requested_at=timezone.now())
    flag_factory(item=comment)
    moderation_decide(moderator=moderator, item=comment, action="approve", expected_state="published")
    with pytest.raises(Conflict):
        moderation_decide(moderator=moderator, item=comment, action="approve", expected_state="published")
    assert ModerationDecision.objects.count() == 1


def test_a_decision_on_a_text_changed_since_it_was_opened_is_refused(thread, comment_factory, moderator):
    comment = comment_factory(target=thread, moderation_state="pending", moderation_version=4)
    with pytest.raises(Conflict) as refusal:
        moderation_decide(
            moderator=moderator, item=comment, action="approve", expected_state="pending", expected_version=3
        )
    assert refusal.value.code == "changed"


def test_a_claim_keeps_other_moderators_off(thread, comment_factory, user_factory):
    first, second = user_factory(roles=["moderator"]), user_factory(roles=["moderator"])
    comment = comment_factory(target=thread, moderation_state="pending", review_requested_at=timezone.now())
    claim = moderation_claim(moderator=first, item=comment)
    assert claim_of(comment) == claim
    with pytest.raises(Conflict) as refusal:
        moderation_claim(moderator=second, item=comment)
    assert str(first) in str(refusal.value.message)
    with pytest.raises(Conflict):
        moderation_decide(moderator=second, item=comment, action="approve", expected_state="pending")
    # The holder renews and decides; the claim goes with the decision.
    moderation_claim(moderator=first, item=comment)
    moderation_decide(moderator=first, item=comment, action="approve", expected_state="pending")
    assert not ModerationClaim.objects.exists()


def test_an_expired_claim_no_longer_holds(thread, comment_factory, user_factory, settings):
    first, second = user_factory(roles=["moderator"]), user_factory(roles=["moderator"])
    comment = comment_factory(target=thread, moderation_state="pending")
    moderation_claim(moderator=first, item=comment)
    ModerationClaim.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert claim_of(comment) is None
    assert moderation_claim(moderator=second, item=comment).moderator == second


def test_releasing_a_claim(thread, comment_factory, moderator):
    comment = comment_factory(target=thread)
    moderation_claim(moderator=moderator, item=comment)
    moderation_release(moderator=moderator, item=comment)
    assert claim_of(comment) is None


def test_a_moderator_edit_keeps_the_original_text(thread, comment_factory, moderator):
    comment = comment_factory(
        target=thread,
        body="Call Jean on 06 12 34 56 78 about the bench",
        moderation_state="pending",
        review_requested_at=timezone.now(),
    )
    contribution_edit_by_moderator(
        moderator=moderator,
        item=comment,
        changes={"body": "Call Jean on [removed] about the bench"},
        reason="Phone number removed",
        expected_version=0,
        publish=True,
    )
    comment.refresh_from_db()
    assert comment.body == "Call Jean on [removed] about the bench"
    assert comment.original_text == {"body": "Call Jean on 06 12 34 56 78 about the bench"}
    assert comment.edited_by_moderator_at is not None
    assert comment.moderation_state == ModerationState.PUBLISHED
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.previous_state, decision.new_state) == ("edit", "pending", "published")
    # A second edit keeps the author's first version, not the moderator's.
    contribution_edit_by_moderator(
        moderator=moderator, item=comment, changes={"body": "About the bench"}, reason="Shorter", expected_version=1
    )
    comment.refresh_from_db()
    assert comment.original_text == {"body": "Call Jean on 06 12 34 56 78 about the bench"}


def test_a_moderator_edit_on_a_stale_version_is_refused(thread, comment_factory, moderator):
    comment = comment_factory(target=thread, moderation_version=2)
    with pytest.raises(Conflict):
        contribution_edit_by_moderator(
            moderator=moderator, item=comment, changes={"body": "x"}, reason="r", expected_version=1
        )


def test_a_moderator_edit_needs_a_reason_and_a_change(thread, comment_factory, moderator):
    comment = comment_factory(target=thread, body="Same")
    with pytest.raises(ParticipationError):
        contribution_edit_by_moderator(
            moderator=moderator, item=comment, changes={"body": "x"}, reason="", expected_version=0
        )
    with pytest.raises(ParticipationError) as refusal:
        contribution_edit_by_moderator(
            moderator=moderator, item=comment, changes={"body": "Same"}, reason="r", expected_version=0
        )
    assert refusal.value.code == "unchanged"
    assert not ModerationDecision.objects.filter(action=DecisionAction.EDIT).exists()
