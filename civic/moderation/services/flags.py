"""Flags: people tell the moderators what breaks the rules."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf, registry
from ..exceptions import NotAllowed, ParticipationError
from ..limits import rate_limit_check, rate_limit_count
from ..live import item_key, queue_push
from ..models import Flag, FlagReason, HoldReason, ModerationState
from .common import announce_after_commit, content_type_of
from .contributions import user_ensure_can_contribute


def flag_create(*, user, item, reason: str, text: str = "", ip: str | None = None) -> Flag:
    """A person flags a contribution; past the threshold it leaves public view until reviewed."""
    if not registry.is_registered(item):
        raise ParticipationError(_("This cannot be flagged."), code="not_flaggable")
    user_ensure_can_contribute(user=user)
    if registry.author_id_of(item) == user.pk:
        raise NotAllowed(_("You cannot flag your own contribution."), code="own_item")
    if item.moderation_state != ModerationState.PUBLISHED or getattr(item, "deleted_at", None):
        raise ParticipationError(
            _("This contribution is not public; moderators already know about it."), code="not_published"
        )
    if reason not in FlagReason.values:
        raise ParticipationError(_("Choose a reason."), code="reason")
    text = (text or "").strip()
    if len(text) > 1000:
        raise ParticipationError(_("Keep the details under 1,000 characters."), code="too_long")
    content_type = content_type_of(item)
    already = _("You have already flagged this contribution. The moderators will look at it.")
    if Flag.objects.filter(content_type=content_type, object_pk=str(item.pk), flagged_by=user).exists():
        raise ParticipationError(already, code="already_flagged")
    rate_limit_check("flag", user=user, ip=ip)

    model = type(item)
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    content_type=content_type, object_pk=str(item.pk), flagged_by=user, reason=reason, text=text
                )
        except IntegrityError:
            raise ParticipationError(already, code="already_flagged") from None
        now = timezone.now()
        model._default_manager.filter(pk=item.pk, review_requested_at__isnull=True).update(review_requested_at=now)
        open_flags = Flag.objects.filter(
            content_type=content_type, object_pk=str(item.pk), resolved_at__isnull=True
        ).count()
        held = False
        if open_flags >= conf.get("CIVIC_MODERATION_FLAG_THRESHOLD"):
            held = bool(
                model._default_manager.filter(pk=item.pk, moderation_state=ModerationState.PUBLISHED).update(
                    moderation_state=ModerationState.PENDING,
                    held_for=HoldReason.FLAGS,
                    moderation_version=F("moderation_version") + 1,
                )
            )
            if held:
                announce_after_commit(item, action="flagged", previous_state=ModerationState.PUBLISHED)
        queue_push(
            {
                "event": "flagged",
                "key": item_key(item),
                "flags": open_flags,
                "held": held,
                "label": registry.label_of(item, 80),
            }
        )
    rate_limit_count("flag", user=user, ip=ip)
    return flag
