"""Writes of moderation: flags, claims, decisions, moderators' edits, blocks.

Every decision is a compare-and-set on the item's state (``UPDATE ... WHERE moderation_state =
<expected>``, and the version when the caller knows it), so that two moderators never apply two
decisions to the same item: the second one is refused with an explanation.
"""

from .blocks import user_block, user_unblock
from .common import DECISION_STATES, NOTIFICATION_KIND
from .contributions import contribution_announce, contribution_screen, user_ensure_can_contribute
from .decisions import claim_of, contribution_edit_by_moderator, moderation_claim, moderation_decide, moderation_release
from .flags import flag_create

__all__ = [
    "DECISION_STATES",
    "NOTIFICATION_KIND",
    "claim_of",
    "contribution_announce",
    "contribution_edit_by_moderator",
    "contribution_screen",
    "flag_create",
    "moderation_claim",
    "moderation_decide",
    "moderation_release",
    "user_block",
    "user_ensure_can_contribute",
    "user_unblock",
]
