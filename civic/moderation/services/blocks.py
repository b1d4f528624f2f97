"""Blocking and unblocking people."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic.notifications.services import notify

from .. import registry
from ..exceptions import NotAllowed, ParticipationError
from ..live import queue_push
from ..models import DecisionAction, HoldReason, ModerationDecision, ModerationState, UserBlock
from .common import NOTIFICATION_KIND, announce_after_commit, content_type_of, format_when, person_name


def _author_lookup(entry) -> str:
    return entry.author_attr.replace(".", "__")


def user_block(
    *, moderator, user, reason: str, hide_content: bool = False, ends_at: datetime | None = None
) -> UserBlock:
    """Stop a person from contributing (until ``ends_at``, or until unblocked), optionally hiding their content."""
    if not moderator.has_perm("civic_moderation.block_user", user) or moderator.pk == user.pk:
        raise NotAllowed(_("You are not allowed to block this person."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationError(_("Give a reason: the person will read it."), code="reason_required")
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ParticipationError(_("The end of the block must be in the future."), code="ends_at")
    with transaction.atomic():
        open_block = UserBlock.objects.filter(user=user, lifted_at__isnull=True).first()
        if open_block is not None:
            if open_block.is_active:
                raise ParticipationError(_("This person is already blocked."), code="already_blocked")
            open_block.lifted_at = open_block.ends_at or now
            open_block.save(update_fields=["lifted_at"])
        block = UserBlock.objects.create(
            user=user, reason=reason, hide_content=hide_content, ends_at=ends_at, blocked_by=moderator, created_at=now
        )
        hidden = []
        if hide_content:
            for entry in registry.authored_entries():
                items = entry.model._default_manager.filter(
                    **{_author_lookup(entry): user}, moderation_state=ModerationState.PUBLISHED
                )
                pks = list(items.values_list("pk", flat=True))
                entry.model._default_manager.filter(pk__in=pks).update(
                    moderation_state=ModerationState.HIDDEN,
                    held_for=HoldReason.AUTHOR_BLOCKED,
                    moderation_reason=reason,
                    review_requested_at=None,
                    moderated_at=now,
                    moderation_version=F("moderation_version") + 1,
                )
                hidden += [entry.model(pk=pk) for pk in pks]
        ModerationDecision.objects.create(
            content_type=content_type_of(user),
            object_pk=str(user.pk),
            moderator=moderator,
            moderator_name=person_name(moderator)[:120],
            subject=user,
            action=DecisionAction.BLOCK,
            reason=reason,
            item_label=(
                _("%(name)s (%(count)d contributions hidden)") % {"name": user, "count": len(hidden)}
                if hide_content
                else str(user)
            )[:200],
            created_at=now,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipient=user,
                title=_("Your account has been blocked")
                if ends_at is None
                else _("Your account has been blocked until %(date)s") % {"date": format_when(ends_at)},
                body=reason,
                kind=NOTIFICATION_KIND,
            )
        for item in hidden:
            announce_after_commit(item, action=DecisionAction.HIDE, previous_state=ModerationState.PUBLISHED)
        queue_push({"event": "blocked", "user_id": user.pk, "name": str(user)})
    user._civic_blocked = True
    return block


def user_unblock(*, moderator, user, reason: str = "", restore_content: bool = False) -> UserBlock:
    """Lift a person's block; with ``restore_content``, publish again what the block had hidden."""
    if not moderator.has_perm("civic_moderation.block_user", user) or moderator.pk == user.pk:
        raise NotAllowed(_("You are not allowed to unblock this person."), code="forbidden")
    now = timezone.now()
    with transaction.atomic():
        block = UserBlock.objects.active().filter(user=user).first()
        if block is None:
            raise ParticipationError(_("This person is not blocked."), code="not_blocked")
        block.lifted_at = now
        block.lifted_by = moderator
        block.lift_reason = (reason or "").strip()
        block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        restored = []
        if restore_content:
            for entry in registry.authored_entries():
                items = entry.model._default_manager.filter(
                    **{_author_lookup(entry): user},
                    moderation_state=ModerationState.HIDDEN,
                    held_for=HoldReason.AUTHOR_BLOCKED,
                )
                pks = list(items.values_list("pk", flat=True))
                entry.model._default_manager.filter(pk__in=pks).update(
                    moderation_state=ModerationState.PUBLISHED,
                    held_for="",
                    moderation_reason="",
                    moderated_at=now,
                    moderation_version=F("moderation_version") + 1,
                )
                restored += [entry.model(pk=pk) for pk in pks]
        ModerationDecision.objects.create(
            content_type=content_type_of(user),
            object_pk=str(user.pk),
            moderator=moderator,
            moderator_name=person_name(moderator)[:120],
            subject=user,
            action=DecisionAction.UNBLOCK,
            reason=block.lift_reason,
            item_label=str(user)[:200],
            created_at=now,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipient=user,
                title=_("Your account is no longer blocked"),
                body=block.lift_reason,
                kind=NOTIFICATION_KIND,
            )
        for item in restored:
            announce_after_commit(item, action=DecisionAction.APPROVE, previous_state=ModerationState.HIDDEN)
        queue_push({"event": "unblocked", "user_id": user.pk, "name": str(user)})
    user._civic_blocked = False
    return block
