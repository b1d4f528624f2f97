from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def not_emailed(self):
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """Something a person is told about, in the app, live on their open pages and by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the notification is about, when it is about one thing (digests group by it).
    target_content_type = models.ForeignKey(
        ContentType, verbose_name=_("about (type)"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_object_pk = models.CharField(_("about (id)"), max_length=64, blank=True)
    target = GenericForeignKey("target_content_type", "target_object_pk")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the notification went out by email, alone or in a digest: it never goes out twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_recipient_unread"),
            models.Index(fields=["target_content_type", "target_object_pk"], name="notif_target"),
            models.Index(fields=["recipient", "emailed_at", "created_at"], name="notif_recipient_emailed"),
        ]

    def __str__(self):
        return self.title

    def as_message(self) -> dict:
        return {
            "id": self.pk,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "url": self.url,
            "created_at": self.created_at.isoformat(),
            "read": self.read_at is not None,
        }


class FollowQuerySet(models.QuerySet):
    def of_target(self, content_type_id: int, object_pk: str):
        return self.filter(content_type_id=content_type_id, object_pk=object_pk)


class Follow(models.Model):
    """A person follows a space (a Wagtail page) or a contribution: they are told what happens there.

    A model whose instances can be followed declares
    ``follows = GenericRelation("civic_notifications.Follow", object_id_field="object_pk")`` so that
    deleting it deletes its follows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("followed (type)"), on_delete=models.CASCADE, related_name="+"
    )
    object_pk = models.CharField(_("followed (id)"), max_length=64)
    target = GenericForeignKey("content_type", "object_pk")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_pk"], name="follow_target")]
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_pk"], name="follow_unique_user_target")
        ]

    def __str__(self):
        return f"{self.user} → {self.content_type.model} {self.object_pk}"


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("As soon as something happens")
    DAILY = "daily", _("Once a day, in a digest")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    """How a person wants to receive their notifications by email. No row: the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_frequency = models.CharField(
        _("email frequency"), max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATELY
    )
    language = models.CharField(
        _("language of emails"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the site's language."),
    )
    # The next digest lists notifications not yet emailed that were created from this moment on;
    # it moves when the person switches to the daily digest, so a digest never dredges up old news.
    digest_since = models.DateTimeField(_("digest lists news since"), default=timezone.now)
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.get_email_frequency_display()}"

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE
