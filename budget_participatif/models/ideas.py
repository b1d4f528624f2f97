"""What residents propose (ideas), what staff make of them (reviews, projects) and how projects get built."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civic.core.models import TimeStampedModel
from civic.moderation.models import Moderated, ModeratedQuerySet


class Theme(models.TextChoices):
    NATURE = "nature", _("Nature and environment")
    MOBILITY = "mobility", _("Walking, cycling, mobility")
    SPORT = "sport", _("Sport and leisure")
    CULTURE = "culture", _("Culture and heritage")
    SOLIDARITY = "solidarity", _("Solidarity and living together")
    YOUTH = "youth", _("Children and youth")
    PUBLIC_SPACE = "public_space", _("Public space and safety")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("Being reviewed")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    ON_BALLOT = "on_ballot", _("On the ballot")


class Verdict(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class IdeaQuerySet(ModeratedQuerySet):
    def of_page(self, page):
        return self.filter(page=page)


class Idea(Moderated, TimeStampedModel):
    """A resident's proposal for the campaign, discussed, supported and followed through the core."""

    page = models.ForeignKey(
        "budget_participatif.BudgetPage", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    area = models.ForeignKey(
        "civic_territory.Area", verbose_name=_("district"), on_delete=models.SET_NULL, null=True, blank=True
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    cost_guess = models.PositiveIntegerField(_("cost guess (€)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED, db_index=True
    )
    project = models.ForeignKey(
        "budget_participatif.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    comments = GenericRelation("civic_discussions.Comment", object_id_field="object_pk")
    follows = GenericRelation("civic_notifications.Follow", object_id_field="object_pk")

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "status"], name="bp_idea_page_status")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = " ".join(self.title.split())
        self.description = self.description.strip()
        super().save(*args, **kwargs)

    @property
    def space(self):
        return self.page

    def get_absolute_url(self) -> str:
        return reverse("idea-detail", args=[self.pk])


class IdeaPhoto(models.Model):
    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="budget/ideas/%Y/%m/")
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text or self.image.name


class IdeaReview(TimeStampedModel):
    """What the council's services say about an idea: feasibility, public reason, cost estimate."""

    idea = models.OneToOneField(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="review")
    service = models.CharField(_("reviewing service"), max_length=120, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    public_reason = models.TextField(_("public reason"), blank=True, help_text=_("Told to the author, and public."))
    cost_estimate = models.PositiveIntegerField(_("cost estimate (€)"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("idea review")
        verbose_name_plural = _("idea reviews")

    def __str__(self):
        return f"{self.idea} · {self.get_verdict_display()}"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    STUDIES = "studies", _("Studies")
    WORKS = "works", _("Works under way")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class ProjectQuerySet(ModeratedQuerySet):
    def on_ballot(self):
        return self.filter(on_ballot=True)

    def selected(self):
        return self.filter(selected=True)


class Project(Moderated, TimeStampedModel):
    """A project on a budget's ballot, made from one or several ideas (every author is credited).

    Written by the council's staff, so it has no author; residents may flag it to the moderators.
    """

    budget = models.ForeignKey(
        "budget_participatif.Budget", verbose_name=_("budget"), on_delete=models.CASCADE, related_name="projects"
    )
    code = models.CharField(
        _("project id"), max_length=40, blank=True, help_text=_("Its id in a Pabulib file. Empty: the database id.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveBigIntegerField(_("cost (€)"))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    on_ballot = models.BooleanField(_("on the ballot"), default=False)
    selected = models.BooleanField(_("selected"), default=False, help_text=_("Set when the results are published."))
    implementation_status = models.CharField(
        _("implementation"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    comments = GenericRelation("civic_discussions.Comment", object_id_field="object_pk")
    follows = GenericRelation("civic_notifications.Follow", object_id_field="object_pk")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["budget", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="bp_project_progress_percent"),
        ]

    def __str__(self):
        return self.title

    @property
    def space(self):
        return self.budget.page

    @property
    def pabulib_id(self) -> str:
        return self.code or str(self.pk)

    def authors(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk__in=self.ideas.exclude(author=None).values("author"))

    def get_absolute_url(self) -> str:
        return reverse("project-detail", args=[self.pk])


class Milestone(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="budget/milestones/%Y/", blank=True)
    photo_alt = models.CharField(_("description of the photo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "date", "pk"]

    def __str__(self):
        return f"{self.date} · {self.title}"
