"""Writes of discussions: comment, reply, edit, delete, support.

Replies have one level: a reply to a reply is attached to the top-level comment it belongs to
(the thread stays flat and readable on a phone; the reply keeps its place in the conversation).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from civic.moderation.exceptions import NotAllowed, ParticipationError
from civic.moderation.limits import rate_limit_check, rate_limit_count
from civic.moderation.models import Flag, ModerationClaim, ModerationState
from civic.moderation.registry import object_url
from civic.moderation.services import contribution_announce, contribution_screen, user_ensure_can_contribute
from civic.notifications.services import follow_create, notify_followers

from . import conf
from .live import support_push, thread_push
from .models import Comment, Support, target_content_type
from .rendering import excerpt, normalise_text

#: A second identical comment by the same person on the same thread within this delay is a double submit.
DOUBLE_SUBMIT_DELAY = timedelta(seconds=30)


def _clean_body(body: str) -> str:
    body = normalise_text(body)
    if not body:
        raise ParticipationError(_("Write your comment first."), code="empty")
    limit = conf.get("CIVIC_DISCUSSIONS_MAX_LENGTH")
    if len(body) > limit:
        raise ParticipationError(
            _("Your comment is too long: %(length)d characters, at most %(limit)d.")
            % {"length": len(body), "limit": limit},
            code="too_long",
        )
    return body


def _same_target(comment: Comment, content_type: ContentType, target) -> bool:
    return comment.content_type_id == content_type.pk and comment.object_pk == str(target.pk)


def comment_create(*, author, target, body: str, parent: Comment | None = None, ip: str | None = None) -> Comment:
    """Post a comment (or a reply, with ``parent``) on ``target``.

    Refused with an explanation, and nothing stored, when the person is blocked or may not
    comment on the target, when the parent was deleted or is not public, or past the rate limit.
    """
    user_ensure_can_contribute(user=author)
    if not author.has_perm("civic_discussions.post_comment", target):
        raise NotAllowed(_("You cannot comment here."), code="forbidden")
    body = _clean_body(body)
    content_type = target_content_type(target)
    if parent is not None:
        if not _same_target(parent, content_type, target):
            raise ParticipationError(_("This reply does not belong to this discussion."), code="parent")
        if not parent.is_public:
            raise ParticipationError(
                _("You cannot reply to a comment that was deleted or hidden."), code="parent_unavailable"
            )
        if parent.parent_id is not None:
            parent = parent.parent
            if not parent.is_public:
                raise ParticipationError(
                    _("You cannot reply to a comment that was deleted or hidden."), code="parent_unavailable"
                )
    duplicate = (
        Comment.objects.filter(
            content_type=content_type,
            object_pk=str(target.pk),
            author=author,
            parent=parent,
            body=body,
            deleted_at__isnull=True,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_DELAY,
        )
        .order_by("-created_at")
        .first()
    )
    if duplicate is not None:
        return duplicate
    rate_limit_check("comment", user=author, ip=ip)
    with transaction.atomic():
        comment = Comment(content_type=content_type, object_pk=str(target.pk), parent=parent, author=author, body=body)
        comment.target = target
        comment.content_type = content_type  # a page is named by its specific type
        contribution_screen(item=comment)
        comment.save()
        contribution_announce(item=comment)
        follow_create(user=author, target=target)
        if comment.is_public:
            thread_push(comment, action="created")
            comment_followers_notify(comment=comment)
    rate_limit_count("comment", user=author, ip=ip)
    return comment


def comment_followers_notify(*, comment: Comment) -> None:
    """Tell the people who follow the discussed object (and its space) about a newly public comment."""
    target = comment.target
    if target is None:
        return
    has_space = isinstance(target, Page) or getattr(target, "space", None) is not None
    url = object_url(target)
    with translation.override(settings.LANGUAGE_CODE):
        notify_followers(
            target=target,
            title=_("New comment on “%(title)s”") % {"title": excerpt(str(target), 120)},
            body=excerpt(comment.body, 300),
            url=f"{url}#{comment.anchor}" if url else "",
            kind="discussions.comment_created",
            exclude=comment.author_id,
            also_follow_space_of=target if has_space else None,
        )


def _edit_refusal(user, comment: Comment) -> NotAllowed:
    if comment.author_id != user.pk:
        return NotAllowed(_("You can only edit your own comments."), code="not_author")
    if comment.is_deleted:
        return NotAllowed(_("This comment was deleted."), code="deleted")
    if comment.moderation_state not in (ModerationState.PUBLISHED, ModerationState.PENDING):
        return NotAllowed(_("A moderator has hidden this comment; it cannot be edited."), code="moderated")
    if timezone.now() > comment.editable_until():
        return NotAllowed(
            _("A comment can be edited during %(minutes)d minutes after it is posted.")
            % {"minutes": conf.get("CIVIC_DISCUSSIONS_EDIT_WINDOW_MINUTES")},
            code="edit_window",
        )
    return NotAllowed(_("You cannot edit this comment."), code="forbidden")


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    """The author corrects their comment within the edit window; the new text is screened again."""
    if not user.has_perm("civic_discussions.edit_comment", comment):
        user_ensure_can_contribute(user=user)
        raise _edit_refusal(user, comment)
    body = _clean_body(body)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        comment.moderation_version += 1
        contribution_screen(item=comment)
        comment.save(
            update_fields=[
                "body",
                "edited_at",
                "moderation_version",
                "moderation_state",
                "held_for",
                "review_requested_at",
                "updated_at",
            ]
        )
        contribution_announce(item=comment)
        thread_push(comment, action="updated")
    return comment


def comment_delete(*, user, comment: Comment) -> Comment:
    """The author deletes their comment: its text goes, a placeholder keeps the replies readable."""
    if not user.has_perm("civic_discussions.remove_comment", comment):
        if comment.is_deleted:
            raise ParticipationError(_("This comment was already deleted."), code="deleted")
        raise NotAllowed(_("You can only delete your own comments."), code="not_author")
    now = timezone.now()
    with transaction.atomic():
        comment.deleted_at = now
        comment.body = ""
        comment.original_text = {}
        comment.review_requested_at = None
        comment.moderation_version += 1
        comment.save(
            update_fields=[
                "deleted_at",
                "body",
                "original_text",
                "review_requested_at",
                "moderation_version",
                "updated_at",
            ]
        )
        content_type = ContentType.objects.get_for_model(Comment)
        Flag.objects.filter(content_type=content_type, object_pk=str(comment.pk), resolved_at__isnull=True).update(
            resolved_at=now
        )
        ModerationClaim.objects.filter(content_type=content_type, object_pk=str(comment.pk)).delete()
        thread_push(comment, action="updated")
    return comment


def _support_refusal(user, comment: Comment) -> Exception:
    user_ensure_can_contribute(user=user)
    if comment.author_id == user.pk:
        return NotAllowed(_("You cannot support your own comment."), code="own_comment")
    if not comment.is_public:
        return ParticipationError(_("This comment is no longer visible."), code="not_public")
    return NotAllowed(_("You cannot take part in this discussion."), code="forbidden")


def comment_support(*, user, comment: Comment) -> int:
    """Add the person's "+1" to a comment (once); returns the new count."""
    if not user.has_perm("civic_discussions.support_comment", comment):
        raise _support_refusal(user, comment)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(comment=comment, user=user)
        except IntegrityError:
            raise ParticipationError(_("You already support this comment."), code="already_supported") from None
        Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
        comment.refresh_from_db(fields=["support_count"])
        support_push(comment)
    return comment.support_count


def comment_unsupport(*, user, comment: Comment) -> int:
    """Withdraw the person's "+1"; returns the new count."""
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(comment=comment, user=user).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, support_count__gt=0).update(support_count=F("support_count") - 1)
            comment.refresh_from_db(fields=["support_count"])
            support_push(comment)
    return comment.support_count
