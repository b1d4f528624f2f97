"""What moderation stores: the state every contribution carries, flags, decisions, blocks, claims."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class ModerationState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting review")
    HIDDEN = "hidden", _("Hidden by moderation")
    REJECTED = "rejected", _("Rejected")


class HoldReason(models.TextChoices):
    """Why a contribution entered the review queue without a moderator's decision."""

    PREMODERATION = "premoderation", _("Pre-moderated space")
    FLAGS = "flags", _("Flagged by several people")
    HELD_WORDS = "held_words", _("Contains a word from the watch list")
    PERSONAL_DATA = "personal_data", _("Contains personal data")
    AUTHOR_BLOCKED = "author_blocked", _("Author blocked")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation_state=ModerationState.PUBLISHED)

    def awaiting_review(self):
        return self.filter(review_requested_at__isnull=False)

    def visible_to(self, user):
        """What a person may read: published items, plus their own whatever their state."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(moderation_state=ModerationState.PUBLISHED) | Q(author=user))
        return self.published()


class Moderated(models.Model):
    """Mixin for every contribution residents write. Register the model in ``moderation.registry``.

    The model must also have an ``author`` (see ``civic.core.models.AuthoredModel``) or name
    another attribute with ``author_attr`` when registering.
    """

    moderation_state = models.CharField(
        _("moderation state"),
        max_length=20,
        choices=ModerationState.choices,
        default=ModerationState.PUBLISHED,
        db_index=True,
    )
    moderation_reason = models.TextField(
        _("moderation reason"), blank=True, help_text=_("Told to the author when a moderator decides.")
    )
    held_for = models.CharField(_("held for"), max_length=20, choices=HoldReason.choices, blank=True)
    review_requested_at = models.DateTimeField(
        _("waiting for review since"), null=True, blank=True, db_index=True, editable=False
    )
    moderation_version = models.PositiveIntegerField(_("moderation version"), default=0, editable=False)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True, editable=False)
    original_text = models.JSONField(
        _("original text"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the author wrote, field by field, before a moderator edited it."),
    )
    edited_by_moderator_at = models.DateTimeField(_("edited by a moderator"), null=True, blank=True, editable=False)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED

    @property
    def is_awaiting_review(self) -> bool:
        return self.review_requested_at is not None


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, hateful or threatening")
    PERSONAL_DATA = "personal_data", _("Personal data (address, phone, someone's name...)")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class Flag(models.Model):
    """A person tells the moderators that a contribution breaks the rules. Once per person per item."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE)
    object_pk = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_pk")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    text = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_pk", "resolved_at"], name="moderation_flag_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_pk", "flagged_by"], name="moderation_flag_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.content_type_id}:{self.object_pk})"


class DecisionAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    HIDE = "hide", _("Hide")
    REJECT = "reject", _("Reject")
    EDIT = "edit", _("Edit")
    BLOCK = "block", _("Block user")
    UNBLOCK = "unblock", _("Unblock user")


class ModerationDecisionQuerySet(models.QuerySet):
    def for_item(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_pk=str(item.pk))


class ModerationDecision(models.Model):
    """The audit log: one row per moderator action, kept when the item or the people are gone."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    object_pk = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_pk")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    moderator_name = models.CharField(_("moderator name"), max_length=120, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The author of the item, or the person blocked or unblocked."),
    )
    action = models.CharField(_("action"), max_length=20, choices=DecisionAction.choices)
    reason = models.TextField(_("reason"), blank=True)
    previous_state = models.CharField(_("previous state"), max_length=20, blank=True)
    new_state = models.CharField(_("new state"), max_length=20, blank=True)
    item_label = models.CharField(_("item"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    objects = ModerationDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_pk"], name="moderation_decision_target")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.item_label}"


class UserBlockQuerySet(models.QuerySet):
    def active(self, *, at=None):
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))


class UserBlock(models.Model):
    """A person who may not contribute for now. At most one block in force per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="moderation_blocks"
    )
    reason = models.TextField(_("reason"))
    hide_content = models.BooleanField(
        _("hide their contributions"), default=False, help_text=_("Hide everything they have published so far.")
    )
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    objects = UserBlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("user block")
        verbose_name_plural = _("user blocks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(lifted_at__isnull=True), name="moderation_one_open_block_per_user"
            )
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > timezone.now())


class ModerationClaim(models.Model):
    """ "Being reviewed by X since ...": keeps two moderators off the same item for a few minutes."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_pk = models.CharField(max_length=64)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("moderation claim")
        verbose_name_plural = _("moderation claims")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_pk"], name="moderation_one_claim")]

    def __str__(self):
        return f"{self.moderator} · {self.content_type_id}:{self.object_pk}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """The word list moderators keep in the admin (added to CIVIC_MODERATION_HELD_WORDS)."""

    held_words = models.TextField(
        _("watched words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A contribution that contains one waits for a moderator. "
            "Case and accents are ignored; end a word with * to match any ending."
        ),
    )

    panels = [FieldPanel("held_words")]

    class Meta:
        verbose_name = _("moderation")

    def word_list(self) -> list[str]:
        return [line.strip() for line in self.held_words.splitlines() if line.strip()]
