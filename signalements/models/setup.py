"""What staff configure: services (teams), categories with their extra questions, routes, templates, API clients."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from civic.core.models import TimeStampedModel


class Service(TimeStampedModel):
    """A council team that deals with reports: voirie, espaces verts... or another body's team."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    email = models.EmailField(_("team email"), blank=True, help_text=_("Told at once of every new report."))
    description = models.TextField(_("description"), blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), blank=True, related_name="report_services"
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.code = self.code or slugify(self.name)[:60]
        super().save(*args, **kwargs)


class Category(TimeStampedModel):
    """A kind of problem residents report (pothole, broken street light...); its code is the Open311 service_code."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    group = models.CharField(_("group"), max_length=80, help_text=_("Categories are listed by group."))
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("An emoji shown beside the name."))
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="categories")
    nearby_radius = models.PositiveIntegerField(
        _("nearby radius (m)"), default=50, help_text=_("Open reports this close are offered as possible duplicates.")
    )
    response_days = models.PositiveSmallIntegerField(
        _("expected response time (days)"),
        null=True,
        blank=True,
        help_text=_(
            "A new report of this category not answered (acknowledged or closed) within this many days is "
            "overdue. Empty: the site's default."
        ),
    )
    fix_days = models.PositiveSmallIntegerField(
        _("expected fix time (days)"),
        null=True,
        blank=True,
        help_text=_("A report of this category still open after this many days is overdue. Empty: the site's default."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["group", "order", "name"]

    def __str__(self):
        return self.name

    @property
    def response_limit_days(self) -> int:
        """Days a new report may wait for its first answer (the category's, else SIGNALEMENTS_ACKNOWLEDGE_DAYS)."""
        from .. import conf

        return self.response_days if self.response_days is not None else conf.get("SIGNALEMENTS_ACKNOWLEDGE_DAYS")

    @property
    def fix_limit_days(self) -> int:
        """Days a report may stay open (the category's, else SIGNALEMENTS_FIX_DAYS)."""
        from .. import conf

        return self.fix_days if self.fix_days is not None else conf.get("SIGNALEMENTS_FIX_DAYS")

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.group = self.group.strip()
        self.code = self.code or slugify(self.name)[:60]
        super().save(*args, **kwargs)


#: States a response template may set: those staff set by an update (see services.lifecycle.STAFF_STATES).
TEMPLATE_STATE_CHOICES = [
    ("acknowledged", _("Acknowledged")),
    ("investigating", _("Investigating")),
    ("planned", _("Planned")),
    ("in_progress", _("In progress")),
    ("fixed", _("Fixed")),
    ("not_responsible", _("Not our responsibility")),
    ("no_further_action", _("No further action")),
    ("closed", _("Closed")),
]


class QuestionDatatype(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice")
    MULTIPLE = "multivaluelist", _("Several choices")
    DATETIME = "datetime", _("Date and time")


class CategoryQuestion(models.Model):
    """An extra question asked for a category (the size of a pothole); an Open311 attribute."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    datatype = models.CharField(
        _("type"), max_length=20, choices=QuestionDatatype.choices, default=QuestionDatatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_('For lists: one choice a line, as "key|label" or just a label.')
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["category", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="signalements_question_unique_code")]

    def __str__(self):
        return self.label

    @property
    def is_list(self) -> bool:
        return self.datatype in (QuestionDatatype.SINGLE, QuestionDatatype.MULTIPLE)

    def choice_list(self) -> list[tuple[str, str]]:
        """(key, label) of each choice."""
        result = []
        for line in self.choices.splitlines():
            line = line.strip()
            if not line:
                continue
            key, _sep, label = line.partition("|")
            result.append((key.strip(), (label or key).strip()))
        return result


class ServiceRoute(models.Model):
    """Reports of a category in an area go to another service (a commune of the intercommunality...)."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routes")
    area = models.ForeignKey(
        "civic_territory.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="report_routes"
    )
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="routes")

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="signalements_route_unique")]

    def __str__(self):
        return f"{self.category} · {self.area} → {self.service}"


class ResponseTemplate(models.Model):
    """A ready-made answer staff pick when they post a public update; placeholders are filled per report."""

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(
        _("text"),
        help_text=_(
            "You may use {number} (report number), {category}, {area}, {address}, {service} and "
            "{expected_date} (expected fix date): they are replaced by the report's details."
        ),
    )
    state = models.CharField(
        _("state it sets"),
        max_length=20,
        blank=True,
        choices=TEMPLATE_STATE_CHOICES,
        help_text=_("Empty: the template does not change the state."),
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services"),
        blank=True,
        related_name="response_templates",
        help_text=_("None: offered to every service."),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        blank=True,
        related_name="response_templates",
        help_text=_("None: offered for every category."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        from ..responses import template_placeholders_check

        template_placeholders_check(self.text)


def new_api_key() -> str:
    return secrets.token_urlsafe(32)


class Open311Client(TimeStampedModel):
    """An application allowed to create reports through the Open311 API with its api_key."""

    name = models.CharField(_("application"), max_length=120)
    contact_email = models.EmailField(_("contact email"), blank=True)
    api_key = models.CharField(_("API key"), max_length=64, unique=True, default=new_api_key)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self):
        return self.name
