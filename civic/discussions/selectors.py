"""Reads of discussions. A page of a thread costs the same few queries whatever its size:
count, top-level comments (with author, the viewer's support and flag), replies (the same)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, CharField, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.moderation.models import Flag, ModerationState
from civic.moderation.rules import is_blocked

from .models import Comment, Support, target_content_type


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    SUPPORTED = "supported"
    choices = [(NEWEST, _("Newest first")), (OLDEST, _("Oldest first")), (SUPPORTED, _("Most supported"))]
    values = (NEWEST, OLDEST, SUPPORTED)
    orderings = {
        NEWEST: ("-created_at", "-pk"),
        OLDEST: ("created_at", "pk"),
        SUPPORTED: ("-support_count", "-created_at", "-pk"),
    }

    @classmethod
    def clean(cls, value) -> str:
        return value if value in cls.values else cls.NEWEST


def _viewer_annotations(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.annotate(
            viewer_supported=Value(False, output_field=BooleanField()),
            viewer_flagged=Value(False, output_field=BooleanField()),
        )
    comment_type = ContentType.objects.get_for_model(Comment)
    return queryset.annotate(
        viewer_supported=Exists(Support.objects.filter(comment=OuterRef("pk"), user=user)),
        viewer_flagged=Exists(
            Flag.objects.filter(
                content_type=comment_type,
                object_pk=Cast(OuterRef("pk"), output_field=CharField()),
                flagged_by=user,
            )
        ),
    )


def _visible_to(user) -> Q:
    public = Q(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)
    if user is not None and user.is_authenticated:
        return public | Q(author=user, deleted_at__isnull=True)
    return public


def thread_comments(*, target, user=None, sort: str = Sort.NEWEST):
    """Top-level comments of ``target`` that ``user`` may see, each with ``visible_replies``.

    A deleted or moderated comment stays, as a placeholder, while it has visible replies.
    """
    content_type = target_content_type(target)
    visible = _visible_to(user)
    public_replies = Comment.objects.filter(
        parent=OuterRef("pk"), moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
    )
    replies = _viewer_annotations(
        Comment.objects.filter(visible).select_related("author").order_by("created_at", "pk"), user
    )
    comments = (
        Comment.objects.filter(content_type=content_type, object_pk=str(target.pk), parent__isnull=True)
        .filter(visible | Q(Exists(public_replies)))
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by(*Sort.orderings[Sort.clean(sort)])
    )
    return _viewer_annotations(comments, user)


def public_comment_count(*, target) -> int:
    return Comment.objects.for_target(target).public().count()


@dataclass(frozen=True)
class Viewer:
    """What the viewer may do on a thread, decided once per page rather than once per comment."""

    user: object
    may_comment: bool
    blocked: bool

    @classmethod
    def for_thread(cls, *, user, target) -> "Viewer":
        authenticated = user is not None and user.is_authenticated
        return cls(
            user=user,
            may_comment=bool(authenticated and user.has_perm("civic_discussions.add_comment", target)),
            blocked=bool(authenticated and is_blocked(user)),
        )

    @property
    def user_id(self):
        return self.user.pk if self.user is not None and self.user.is_authenticated else None

    def actions(self, comment: Comment) -> dict[str, bool]:
        """Mirror of the rules in ``rules.py``, computed from the loaded comment without queries."""
        own = self.user_id is not None and comment.author_id == self.user_id
        active = self.user_id is not None and self.user.is_active and not self.blocked
        return {
            "own": own,
            "can_reply": self.may_comment and comment.is_public and comment.parent_id is None,
            "can_support": self.may_comment and not own and comment.is_public,
            "can_flag": active and not own and comment.is_public,
            "can_edit": own
            and active
            and not comment.is_deleted
            and comment.moderation_state in (ModerationState.PUBLISHED, ModerationState.PENDING)
            and timezone.now() <= comment.editable_until(),
            "can_delete": own and self.user.is_active and not comment.is_deleted,
        }
