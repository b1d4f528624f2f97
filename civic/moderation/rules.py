"""Who may moderate what (django-rules). Checked with ``user.has_perm(name, obj)``.

civic_moderation.view_queue             moderators and administrators
civic_moderation.moderate_contribution  the same, never on their own contribution
civic_moderation.view_original_text     the same, what the author wrote before a moderator's edit
civic_moderation.block_user             the same, not themselves; only administrators block staff
civic_moderation.view_decisions         administrators: the audit log
civic_moderation.export_decisions       administrators: the audit log as CSV
civic_moderation.flag_contribution      logged-in people, not blocked, on others' published items
"""

import rules

from . import registry
from .models import ModerationState, UserBlock

is_moderator = rules.is_group_member("moderator")
is_administrator = rules.is_group_member("administrator")
is_staff_role = is_moderator | is_administrator


@rules.predicate
def is_blocked(user) -> bool:
    """Whether a block is in force on the person (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(user, "_civic_blocked"):
        user._civic_blocked = UserBlock.objects.active().filter(user=user).exists()
    return user._civic_blocked


@rules.predicate
def is_author(user, item) -> bool:
    if item is None or not user.is_authenticated or not registry.is_registered(item):
        return False
    return registry.author_id_of(item) == user.pk


@rules.predicate
def is_published(user, item) -> bool:
    return (
        item is not None
        and getattr(item, "moderation_state", None) == ModerationState.PUBLISHED
        and not getattr(item, "deleted_at", None)  # contributions their author deleted
    )


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and getattr(other, "pk", None) == user.pk


@rules.predicate
def target_has_staff_role(user, other) -> bool:
    if other is None:
        return False
    return bool(set(other.groups.values_list("name", flat=True)) & {"moderator", "administrator"})


can_moderate = rules.is_authenticated & rules.is_active & is_staff_role

rules.add_perm("civic_moderation.view_queue", can_moderate)
rules.add_perm("civic_moderation.moderate_contribution", can_moderate & ~is_author)
rules.add_perm("civic_moderation.view_original_text", can_moderate)
rules.add_perm("civic_moderation.block_user", can_moderate & ~is_self & (is_administrator | ~target_has_staff_role))
rules.add_perm("civic_moderation.view_decisions", rules.is_authenticated & rules.is_active & is_administrator)
rules.add_perm("civic_moderation.export_decisions", rules.is_authenticated & rules.is_active & is_administrator)
rules.add_perm(
    "civic_moderation.flag_contribution",
    rules.is_authenticated & rules.is_active & ~is_blocked & ~is_author & is_published,
)
