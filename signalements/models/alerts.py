"""Email alerts: anyone may ask to be told of new reports in an area or around a point."""

import math
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic.core.geo import METRES_PER_DEGREE, distance_m


def new_alert_token() -> str:
    return secrets.token_urlsafe(32)


class ReportAlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def matching(self, report, *, max_radius: int) -> list["ReportAlert"]:
        """The alerts ``report`` concerns: its area (or an area containing it) or a circle around it,
        and its category (or every category). Circles are found by a bounding box of ``max_radius``
        on the indexed coordinates, then checked exactly (haversine); the same SQL on every database."""
        from civic.territory.models import Area

        lon, lat = report.longitude, report.latitude
        dlat = max_radius / METRES_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        areas = Area.objects.filter(geometry__contains=report.location).values("pk")
        candidates = (
            self.filter(
                Q(area__in=areas)
                | Q(
                    area__isnull=True,
                    latitude__range=(lat - dlat, lat + dlat),
                    longitude__range=(lon - dlon, lon + dlon),
                )
            )
            .filter(Q(categories__isnull=True) | Q(categories=report.category_id))
            .values_list("pk", "area_id", "longitude", "latitude", "radius")
            .distinct()
        )
        # Plain tuples first: only the alerts that match become model instances.
        ids = [
            pk
            for pk, area_id, alert_lon, alert_lat, radius in candidates
            if area_id or distance_m(lon, lat, alert_lon, alert_lat) <= radius
        ]
        matched = []
        for start in range(0, len(ids), 500):
            matched += self.model.objects.filter(pk__in=ids[start : start + 500]).select_related("area")
        return sorted(matched, key=lambda alert: alert.pk)

    def of_user(self, user):
        """The alerts a logged-in person manages: theirs, or sent to their address."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(email__iexact=user.email))


class ReportAlert(models.Model):
    """A subscription to new reports in an area, or within a radius of a point, optionally for some categories.

    Exactly one of ``area`` or (``location`` and ``radius``) is set. Nothing is sent before
    ``confirmed_at`` is set (at once for a logged-in person's own address, else by the emailed link).
    """

    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_alerts",
    )
    area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_alerts",
    )
    location = models.PointField(_("centre"), srid=4326, null=True, blank=True)
    # Copies of the centre's coordinates (set in save()): a bounding box on plain numbers finds the
    # alerts near a report with the same SQL on SpatiaLite and PostGIS.
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    radius = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    categories = models.ManyToManyField(
        "signalements.Category",
        verbose_name=_("categories"),
        blank=True,
        related_name="alerts",
        help_text=_("None: every category."),
    )
    language = models.CharField(_("language of emails"), max_length=10, blank=True)
    confirmation_token = models.CharField(
        _("confirmation token"), max_length=64, unique=True, default=new_alert_token, editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("report alert")
        verbose_name_plural = _("report alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="signalements_alert_latlon"),
            models.Index(fields=["email"], name="signalements_alert_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(area__isnull=False, location__isnull=True, radius__isnull=True)
                    | Q(area__isnull=True, location__isnull=False, radius__isnull=False)
                ),
                name="signalements_alert_area_or_radius",
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.where}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if self.location is not None:
            self.longitude, self.latitude = self.location.x, self.location.y
        else:
            self.longitude = self.latitude = None
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def where(self) -> str:
        if self.area_id:
            return _("in %(area)s") % {"area": self.area}
        return _("within %(radius)s m of %(lat).5f, %(lon).5f") % {
            "radius": self.radius,
            "lat": self.latitude or 0,
            "lon": self.longitude or 0,
        }


class ReportAlertDelivery(models.Model):
    """One report emailed to one alert: a report is never emailed twice to the same subscription."""

    alert = models.ForeignKey(ReportAlert, on_delete=models.CASCADE, related_name="deliveries")
    report = models.ForeignKey("signalements.Report", on_delete=models.CASCADE, related_name="alert_deliveries")
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert email sent")
        verbose_name_plural = _("alert emails sent")
        constraints = [models.UniqueConstraint(fields=["alert", "report"], name="signalements_alert_delivery_once")]
