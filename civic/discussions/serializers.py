"""Comments as JSON, for the API and the live thread. Only loaded data is read: no query per comment."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from rest_framework import serializers

from civic.moderation.models import ModerationState

from .models import Comment
from .rendering import render_body


def _author_name(comment: Comment) -> str:
    return comment.author.display_name if comment.author_id and comment.author else _("Former participant")


def comment_public_payload(comment: Comment) -> dict:
    """What everyone on a thread may receive about a comment (pushed live)."""
    deleted = comment.is_deleted
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": None if deleted else _author_name(comment),
        "created_at": comment.created_at.isoformat(),
        "created_display": date_format(localtime(comment.created_at), "DATETIME_FORMAT"),
        "edited": comment.edited_at is not None,
        "edited_by_moderator": comment.edited_by_moderator_at is not None,
        "deleted": deleted,
        "state": comment.moderation_state,
        "body_html": "" if deleted else str(render_body(comment.body)),
        "support_count": comment.support_count,
    }


class CommentSerializer(serializers.Serializer):
    """A comment as the viewer may see it; ``actions`` says what they may do with it."""

    id = serializers.IntegerField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    created_display = serializers.SerializerMethodField(help_text="The date as the site shows it.")
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    edited_by_moderator = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    moderation_reason = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    support_count = serializers.IntegerField(read_only=True)
    supported = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()

    def _readable(self, comment) -> bool:
        """Whether the viewer may read the text: public, or their own."""
        if comment.is_deleted:
            return False
        return comment.is_public or self.get_actions(comment)["own"]

    def get_author(self, comment) -> str | None:
        return _author_name(comment) if self._readable(comment) else None

    def get_created_display(self, comment) -> str:
        return date_format(localtime(comment.created_at), "DATETIME_FORMAT")

    def get_edited_by_moderator(self, comment) -> bool:
        return comment.edited_by_moderator_at is not None

    def get_deleted(self, comment) -> bool:
        return comment.is_deleted

    def get_state(self, comment) -> str:
        """published, pending, hidden or rejected; ``deleted`` once its author deleted it."""
        return "deleted" if comment.is_deleted else comment.moderation_state

    def get_moderation_reason(self, comment) -> str:
        own = self.get_actions(comment)["own"]
        if own and comment.moderation_state in (ModerationState.HIDDEN, ModerationState.REJECTED):
            return comment.moderation_reason
        return ""

    def get_body(self, comment) -> str:
        return comment.body if self._readable(comment) else ""

    def get_body_html(self, comment) -> str:
        return str(render_body(comment.body)) if self._readable(comment) else ""

    def get_supported(self, comment) -> bool:
        return bool(getattr(comment, "viewer_supported", False))

    def get_flagged(self, comment) -> bool:
        return bool(getattr(comment, "viewer_flagged", False))

    def get_actions(self, comment) -> dict[str, bool]:
        cache = self.context.setdefault("_actions", {})
        if comment.pk not in cache:
            cache[comment.pk] = self.context["viewer"].actions(comment)
        return cache[comment.pk]

    def get_replies(self, comment) -> list[dict]:
        replies = getattr(comment, "visible_replies", None)
        if replies is None:
            return []
        return CommentSerializer(replies, many=True, context=self.context).data


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000, trim_whitespace=False)
    parent = serializers.IntegerField(required=False, allow_null=True)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000, trim_whitespace=False)
