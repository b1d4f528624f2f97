"""Who may do what in discussions (django-rules).

civic_discussions.view_thread     (target)  whoever may see the target: ``<app_label>.read_<model>``
civic_discussions.post_comment    (target)  logged in, active, not blocked, and
                                            ``<app_label>.comment_<model>`` on the target
civic_discussions.edit_comment    (comment) its author, within the edit window, while it is
                                            published or awaiting review, not blocked
civic_discussions.remove_comment  (comment) its author, until deleted (even when blocked)
civic_discussions.support_comment (comment) whoever may comment on its target, not its author,
                                            on a published comment

Discussions never import the modules: the target's own permission is found by name from its
content type, and a permission that no module declared is denied.
"""

import rules
from django.utils import timezone
from wagtail.models import Page

from civic.moderation.models import ModerationState
from civic.moderation.rules import is_blocked


def specific(target):
    """A Wagtail page given as a plain ``Page`` is judged by its specific type's rules."""
    if isinstance(target, Page) and type(target) is Page:
        return target.specific
    return target


def target_permission(target, verb: str) -> str:
    meta = specific(target)._meta
    return f"{meta.app_label}.{verb}_{meta.model_name}"


def _target_allows(user, target, verb: str) -> bool:
    if target is None:
        return False
    target = specific(target)
    name = target_permission(target, verb)
    if not rules.perm_exists(name) and not user.is_superuser:
        return False  # not declared by the target's module: denied
    return user.has_perm(name, target)


@rules.predicate
def may_view_target(user, target) -> bool:
    return _target_allows(user, target, "read")


@rules.predicate
def may_comment_on_target(user, target) -> bool:
    return _target_allows(user, target, "comment")


@rules.predicate
def may_comment_on_comment_target(user, comment) -> bool:
    return comment is not None and _target_allows(user, comment.target, "comment")


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_not_deleted(user, comment) -> bool:
    return comment is not None and comment.deleted_at is None


@rules.predicate
def is_within_edit_window(user, comment) -> bool:
    return comment is not None and timezone.now() <= comment.editable_until()


@rules.predicate
def is_editable_state(user, comment) -> bool:
    return comment is not None and comment.moderation_state in (ModerationState.PUBLISHED, ModerationState.PENDING)


@rules.predicate
def is_public_comment(user, comment) -> bool:
    return comment is not None and comment.is_public


can_participate = rules.is_authenticated & rules.is_active & ~is_blocked

rules.add_perm("civic_discussions.view_thread", may_view_target)
rules.add_perm("civic_discussions.post_comment", can_participate & may_comment_on_target)
rules.add_perm(
    "civic_discussions.edit_comment",
    can_participate & is_comment_author & is_not_deleted & is_editable_state & is_within_edit_window,
)
rules.add_perm(
    "civic_discussions.remove_comment", rules.is_authenticated & rules.is_active & is_comment_author & is_not_deleted
)
rules.add_perm(
    "civic_discussions.support_comment",
    can_participate & ~is_comment_author & is_public_comment & may_comment_on_comment_target,
)
