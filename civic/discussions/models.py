"""Comments on anything, with one level of replies, and supports ("+1").

A model that people may discuss declares::

    comments = GenericRelation("civic_discussions.Comment", object_id_field="object_pk")

so that its comments go when it goes, and a rules permission ``<app_label>.comment_<model>``
saying who may comment on it (no rule: nobody may). Reading a thread through the API or the
live socket asks ``<app_label>.read_<model>``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from civic.core.models import TimeStampedModel
from civic.moderation.models import Moderated, ModeratedQuerySet, ModerationState

from .rendering import excerpt


def target_content_type(target) -> ContentType:
    """The content type naming a discussed object; a Wagtail page by its specific type, always."""
    if isinstance(target, Page):
        return ContentType.objects.get_for_id(target.content_type_id)
    return ContentType.objects.get_for_model(target)


class CommentQuerySet(ModeratedQuerySet):
    def for_target(self, target):
        return self.filter(content_type=target_content_type(target), object_pk=str(target.pk))

    def top_level(self):
        return self.filter(parent__isnull=True)

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def public(self):
        """Comments everyone may read: published and not deleted."""
        return self.published().alive()


class Comment(Moderated, TimeStampedModel):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    object_pk = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_pk")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_pk", "parent", "created_at"], name="discussions_thread"),
            models.Index(fields=["content_type", "object_pk", "support_count"], name="discussions_thread_support"),
        ]

    def __str__(self):
        return excerpt(self.body, 60) or str(_("Deleted comment"))

    def save(self, *args, **kwargs):
        self.object_pk = str(self.object_pk)
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED and self.deleted_at is None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def editable_until(self):
        from . import conf

        return self.created_at + timedelta(minutes=conf.get("CIVIC_DISCUSSIONS_EDIT_WINDOW_MINUTES"))

    def thread_group_name(self) -> str:
        from .live import thread_group_name

        return thread_group_name(self.content_type_id, self.object_pk)


class Support(models.Model):
    """A "+1" on a comment: once per person per comment."""

    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="discussions_support_once")]

    def __str__(self):
        return f"+1 {self.comment_id}"


def comment_url(comment: Comment) -> str | None:
    from civic.moderation.registry import object_url

    url = object_url(comment.target)
    return f"{url}#{comment.anchor}" if url else None


def comment_context(comment: Comment) -> list[tuple[str, str]]:
    """What a moderator needs around a comment: where it was written and what it answers."""
    context = [(str(_("On")), str(comment.target) if comment.target is not None else str(_("(deleted)")))]
    if comment.parent_id and comment.parent is not None:
        parent = comment.parent
        context.append(
            (str(_("In reply to")), excerpt(parent.body, 300) if not parent.is_deleted else str(_("Deleted comment")))
        )
    return context
