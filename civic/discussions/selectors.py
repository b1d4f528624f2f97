"""Reads of discussions. A page of a thread costs the same few queries whatever its size:
counts, top-level comments (with author, the viewer's support and flag), replies (the same)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, CharField, Count, Exists, OuterRef, Prefetch, Q, Value
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


def _viewer_annotations(user) -> dict:
    """``viewer_supported`` and ``viewer_flagged`` for each comment, as annotations.

    Built once per thread and given to both of its queries (a queryset resolves its own copy of
    an expression, so sharing them is safe): building the subqueries is a large part of the
    Python work of a thread's queries.
    """
    if user is None or not user.is_authenticated:
        return {
            "viewer_supported": Value(False, output_field=BooleanField()),
            "viewer_flagged": Value(False, output_field=BooleanField()),
        }
    comment_type = ContentType.objects.get_for_model(Comment)
    return {
        "viewer_supported": Exists(Support.objects.filter(comment=OuterRef("pk"), user=user)),
        "viewer_flagged": Exists(
            Flag.objects.filter(
                content_type=comment_type,
                object_pk=Cast(OuterRef("pk"), output_field=CharField()),
                flagged_by=user,
            )
        ),
    }


def _visible_to(user) -> Q:
    public = Q(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)
    if user is not None and user.is_authenticated:
        return public | Q(author=user, deleted_at__isnull=True)
    return public


# What a thread shows of a comment and of its author: the moderation bookkeeping (original text,
# review dates, ...) and the author's account fields stay in the database.
THREAD_FIELDS = (
    "created_at",
    "content_type",
    "object_pk",
    "parent",
    "author",
    "author__display_name",
    "body",
    "edited_at",
    "deleted_at",
    "support_count",
    "moderation_state",
    "moderation_reason",
    "edited_by_moderator_at",
)


def _shown_top_level(user) -> Q:
    """Top-level comments a thread lists: those ``user`` may see, and placeholders for the others
    (deleted or moderated) while they have visible replies."""
    public_replies = Comment.objects.filter(
        parent=OuterRef("pk"), moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
    )
    return Q(parent__isnull=True) & (_visible_to(user) | Q(Exists(public_replies)))


def thread_comments(*, target, user=None, sort: str = Sort.NEWEST):
    """Top-level comments of ``target`` that ``user`` may see, each with ``visible_replies``.

    A deleted or moderated comment stays, as a placeholder, while it has visible replies.
    Only ``THREAD_FIELDS`` are loaded.
    """
    content_type = target_content_type(target)
    annotations = _viewer_annotations(user)
    replies = (
        Comment.objects.filter(_visible_to(user))
        .select_related("author")
        .only(*THREAD_FIELDS)
        .annotate(**annotations)
        .order_by("created_at", "pk")
    )
    return (
        Comment.objects.filter(
            _shown_top_level(user),
            content_type=content_type,
            object_pk=str(target.pk),
        )
        .select_related("author")
        .only(*THREAD_FIELDS)
        .annotate(**annotations)
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by(*Sort.orderings[Sort.clean(sort)])
    )


def public_comment_count(*, target) -> int:
    return Comment.objects.for_target(target).public().count()


def thread_counts(*, target, user=None) -> tuple[int, int]:
    """In one query: how many top-level comments ``thread_comments`` lists for ``user`` (to
    paginate), and how many comments everyone may read on ``target`` (replies included)."""
    counts = Comment.objects.for_target(target).aggregate(
        listed=Count("pk", filter=_shown_top_level(user)),
        public=Count("pk", filter=Q(moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True)),
    )
    return counts["listed"], counts["public"]


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
            may_comment=bool(authenticated and user.has_perm("civic_discussions.post_comment", target)),
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
