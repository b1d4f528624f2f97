"""What modules call when people write: may they, and must it wait for a moderator?"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry, screening
from ..exceptions import NotAllowed
from ..live import item_key, queue_push
from ..models import HoldReason, ModerationState, UserBlock
from .common import format_when


def user_ensure_can_contribute(*, user) -> None:
    """Refuse (``NotAllowed``) a person who is not logged in, not active, or blocked."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Log in to take part."), code="login_required")
    if not user.is_active:
        raise NotAllowed(_("This account is disabled."), code="inactive")
    block = UserBlock.objects.active().filter(user=user).first()
    user._civic_blocked = block is not None
    if block is not None:
        if block.ends_at:
            message = _("Your account is blocked until %(date)s: you cannot contribute for now.") % {
                "date": format_when(block.ends_at)
            }
        else:
            message = _("Your account is blocked: you cannot contribute for now.")
        raise NotAllowed(message, code="blocked")


def contribution_screen(*, item) -> screening.Hold | None:
    """Before saving a new or edited contribution: hold it for review when the rules say so.

    Holds for personal data and watched words, and everything in a pre-moderated space.
    Only sets fields on ``item``; the caller saves it, then calls ``contribution_announce``.
    """
    hold = screening.screen(registry.text_of(item).values())
    if hold is None and registry.premoderation_for(registry.space_of(item)):
        hold = screening.Hold(HoldReason.PREMODERATION, _("A moderator will read it before it is published."))
    if hold is not None and item.moderation_state in (ModerationState.PUBLISHED, ModerationState.PENDING):
        item.moderation_state = ModerationState.PENDING
        item.held_for = item.held_for or hold.reason
        item.review_requested_at = item.review_requested_at or timezone.now()
    return hold


def contribution_announce(*, item) -> None:
    """After saving: tell the open queue pages about a contribution waiting for review."""
    if item.review_requested_at is not None:
        queue_push({"event": "queued", "key": item_key(item), "label": registry.label_of(item, 80)})
