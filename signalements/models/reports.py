"""What residents contribute: reports, their photos, supporters and the updates of their timeline."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civic.core.models import TimeStampedModel
from civic.moderation.models import Moderated, ModeratedQuerySet, ModerationState


class ReportState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Awaiting confirmation")
    NEW = "new", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Investigating")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    FIXED = "fixed", _("Fixed")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_RESPONSIBLE = "not_responsible", _("Not our responsibility")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    CLOSED = "closed", _("Closed")
    HIDDEN = "hidden", _("Hidden")


OPEN_STATES = (
    ReportState.NEW,
    ReportState.ACKNOWLEDGED,
    ReportState.INVESTIGATING,
    ReportState.PLANNED,
    ReportState.IN_PROGRESS,
)
CLOSED_STATES = (
    ReportState.FIXED,
    ReportState.DUPLICATE,
    ReportState.NOT_RESPONSIBLE,
    ReportState.NO_FURTHER_ACTION,
    ReportState.CLOSED,
)
PUBLIC_STATES = OPEN_STATES + CLOSED_STATES
#: Closed states the reporter may reopen by saying "still not fixed".
REOPENABLE_STATES = (ReportState.FIXED, ReportState.NO_FURTHER_ACTION, ReportState.CLOSED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Source(models.TextChoices):
    WEB = "web", _("Website")
    OPEN311 = "open311", _("Open311 application")
    STAFF = "staff", _("Staff")


class ReportQuerySet(ModeratedQuerySet):
    def public(self):
        """What everyone may see: confirmed, not hidden, published by moderation."""
        return self.filter(state__in=PUBLIC_STATES, moderation_state=ModerationState.PUBLISHED)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def closed(self):
        return self.filter(state__in=CLOSED_STATES)

    def visible_to(self, user):
        if user is not None and user.is_authenticated:
            return self.filter(
                Q(state__in=PUBLIC_STATES, moderation_state=ModerationState.PUBLISHED) | Q(reporter=user)
            )
        return self.public()

    def in_bbox(self, west: float, south: float, east: float, north: float):
        return self.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)


class Report(Moderated, TimeStampedModel):
    """A problem in the public space a resident reports: a pothole, a broken street light..."""

    portal = models.ForeignKey(
        "signalements.ReportsPortalPage",
        verbose_name=_("portal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    category = models.ForeignKey(
        "signalements.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    service = models.ForeignKey(
        "signalements.Service",
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.PointField(_("location"), srid=4326)
    # Copies of the location's coordinates, set by save(): plain B-tree indexed numbers make bounding
    # boxes and grid clustering the same fast arithmetic on SpatiaLite and PostGIS.
    longitude = models.FloatField(_("longitude"), editable=False)
    latitude = models.FloatField(_("latitude"), editable=False)
    address = models.CharField(_("address"), max_length=250, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    extra_answers = models.JSONField(_("answers to the extra questions"), default=dict, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    hide_name = models.BooleanField(_("hide the name from the public"), default=False)

    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices, default=ReportState.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
    )
    expected_fix_date = models.DateField(_("expected fix date"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    responsible_body = models.CharField(_("body to contact"), max_length=250, blank=True)

    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.WEB)
    open311_client = models.ForeignKey(
        "signalements.Open311Client",
        verbose_name=_("Open311 client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True, null=True, blank=True)
    confirmation_token = models.CharField(_("confirmation token"), max_length=64, unique=True, null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    supporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporters"),
        through="signalements.ReportSupporter",
        related_name="supported_reports",
        blank=True,
    )
    supporter_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)

    follows = GenericRelation("civic_notifications.Follow", object_id_field="object_pk")
    comments = GenericRelation("civic_discussions.Comment", object_id_field="object_pk")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="signalements_report_latlon"),
            models.Index(fields=["state", "category"], name="signalements_report_state_cat"),
            models.Index(fields=["service", "state"], name="signalements_report_service"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category.name if self.category_id else ''}".strip()

    def save(self, *args, **kwargs):
        if self.location is not None:
            self.longitude, self.latitude = self.location.x, self.location.y
        self.description = (self.description or "").strip()
        self.reporter_email = (self.reporter_email or "").strip().lower()
        self.idempotency_key = self.idempotency_key or None
        self.confirmation_token = self.confirmation_token or None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("report-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES and self.moderation_state == ModerationState.PUBLISHED

    def overdue(self, now=None) -> str:
        """Why an open report is late, for staff: "response" (still new after its category's response
        time), "fix" (open after its fix time), or "" when it is not late (or closed)."""
        from django.utils import timezone

        if not self.is_open:
            return ""
        days = ((now or timezone.now()) - self.created_at).total_seconds() / 86400
        if self.state == ReportState.NEW and days > self.category.response_limit_days:
            return "response"
        if days > self.category.fix_limit_days:
            return "fix"
        return ""

    @property
    def public_name(self) -> str:
        """The reporter's name as the public sees it."""
        if self.hide_name:
            return str(_("Anonymous"))
        if self.reporter_id and self.reporter is not None:
            return self.reporter.display_name
        return self.reporter_name or str(_("Anonymous"))

    @property
    def contact_email(self) -> str:
        return self.reporter.email if self.reporter_id and self.reporter is not None else self.reporter_email

    @property
    def title(self) -> str:
        return f"{self.category.name} · #{self.pk}"


class ReportSupporter(models.Model):
    """Someone who has the same problem ("this is my problem too")."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporter_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="signalements_supporter_once")]


class UpdateKind(models.TextChoices):
    CREATED = "created", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed")
    UPDATE = "update", _("Update")
    STATE = "state", _("State changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    DUPLICATE = "duplicate", _("Marked as a duplicate")
    REOPENED = "reopened", _("Reopened")
    NOTE = "note", _("Internal note")


class ReportUpdateQuerySet(ModeratedQuerySet):
    def public(self):
        return self.filter(internal=False, moderation_state=ModerationState.PUBLISHED)


class ReportUpdate(Moderated, models.Model):
    """One entry of a report's timeline: an update by staff or a resident, a state change, a note."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_staff = models.BooleanField(_("by staff"), default=False)
    kind = models.CharField(_("kind"), max_length=12, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    text = models.TextField(_("text"), blank=True, max_length=4000)
    internal = models.BooleanField(_("internal note"), default=False, help_text=_("Only staff see it."))
    previous_state = models.CharField(_("previous state"), max_length=20, choices=ReportState.choices, blank=True)
    new_state = models.CharField(_("new state"), max_length=20, choices=ReportState.choices, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = ReportUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.report_id}"

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#update-{self.pk}"


def photo_path(instance, filename: str) -> str:
    return f"signalements/{instance.report_id or 'new'}/{filename}"


class ReportPhoto(models.Model):
    """A photo of a report or of an update, stored resized and without EXIF; the original is not kept."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    update = models.ForeignKey(
        ReportUpdate, verbose_name=_("update"), on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.original_name or f"photo {self.pk}"
