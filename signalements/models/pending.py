"""Photos uploaded with a report form that was not sent yet: processed once, kept across the form's errors."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_pending_token() -> str:
    return secrets.token_urlsafe(24)


def pending_photo_path(instance, filename: str) -> str:
    return f"signalements/pending/{filename}"


class PendingPhoto(models.Model):
    """A photo already through the pipeline (resized, EXIF removed), waiting for its report.

    It belongs to the browser session (and the person, when logged in) that uploaded it; the report
    form names it by ``token``. Attached photos are deleted; forgotten ones expire with the
    ``expire_unconfirmed_reports`` command after ``SIGNALEMENTS_PENDING_PHOTO_HOURS``.
    """

    token = models.CharField(_("token"), max_length=64, unique=True, default=new_pending_token, editable=False)
    session_key = models.CharField(_("session"), max_length=64, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, null=True, blank=True
    )
    image = models.ImageField(_("photo"), upload_to=pending_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=pending_photo_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The position read from the original's EXIF before it was removed: used when no place is chosen.
    gps_longitude = models.FloatField(_("longitude in the photo"), null=True, blank=True)
    gps_latitude = models.FloatField(_("latitude in the photo"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("photo waiting for its report")
        verbose_name_plural = _("photos waiting for their report")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name or self.token
