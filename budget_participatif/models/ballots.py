"""Ballots (one per person per budget, enforced by the database), voting codes and stored counts."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    ASSISTED = "assisted", _("Assisted, at a desk")
    IMPORTED = "imported", _("Imported from a Pabulib file")


class VotingCode(models.Model):
    """A one-time code sent by letter; only its hash is stored."""

    page = models.ForeignKey(
        "budget_participatif.BudgetPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="voting_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True, editable=False)
    area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("district of the addressee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    batch = models.CharField(_("batch"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    first_used_at = models.DateTimeField(_("first used"), null=True, blank=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self):
        return f"{self.batch or _('code')} #{self.pk}"

    @staticmethod
    def normalise(code: str) -> str:
        return "".join(ch for ch in (code or "").upper() if ch.isalnum())

    @classmethod
    def hash(cls, code: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}:{cls.normalise(code)}".encode()).hexdigest()


class Ballot(models.Model):
    """One person's vote in one budget, changeable until the vote closes."""

    # Indexes: every one costs each ballot's INSERT. The budget is the first column of the unique
    # (budget, voter) index; the columns that online ballots leave empty get partial indexes (for
    # the deletes of codes, agents and areas), which online ballots do not write to.
    budget = models.ForeignKey(
        "budget_participatif.Budget",
        verbose_name=_("budget"),
        on_delete=models.CASCADE,
        related_name="ballots",
        db_index=False,
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    voting_code = models.ForeignKey(
        VotingCode,
        verbose_name=_("voting code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agent who entered a paper ballot or helped at a desk."),
        db_index=False,
    )
    declared_birth_year = models.PositiveSmallIntegerField(_("declared birth year"), null=True, blank=True)
    declared_area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("declared district of residence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("cast"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["budget", "pk"]
        # NULLs are distinct in both SQLite and PostgreSQL: ballots without a voter (imported,
        # code-only) do not collide, while a person or a code has at most one ballot per budget.
        constraints = [
            models.UniqueConstraint(fields=["budget", "voter"], name="bp_ballot_one_per_voter"),
            models.UniqueConstraint(
                fields=["budget", "voting_code"],
                condition=models.Q(voting_code__isnull=False),
                name="bp_ballot_one_per_code",
            ),
        ]
        indexes = [
            models.Index(
                fields=["voting_code"], condition=models.Q(voting_code__isnull=False), name="bp_ballot_code_idx"
            ),
            models.Index(
                fields=["entered_by"], condition=models.Q(entered_by__isnull=False), name="bp_ballot_entered_by_idx"
            ),
            models.Index(
                fields=["declared_area"], condition=models.Q(declared_area__isnull=False), name="bp_ballot_area_idx"
            ),
        ]

    def __str__(self):
        return f"{self.budget} · {self.get_channel_display()} #{self.pk}"


class BallotChoice(models.Model):
    """A project on a ballot: ``value`` is 1 (approval, knapsack), the points, or the rank (1 = first)."""

    # Indexed as the first column of the unique (ballot, project) index.
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="choices", db_index=False
    )
    project = models.ForeignKey(
        "budget_participatif.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveIntegerField(_("points or rank"), default=1)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="bp_choice_once_per_project")]

    def __str__(self):
        return f"{self.project_id}:{self.value}"


class CountResult(models.Model):
    """What one counting rule selects for a budget, kept so staff compare rules before publishing."""

    budget = models.ForeignKey(
        "budget_participatif.Budget", verbose_name=_("budget"), on_delete=models.CASCADE, related_name="counts"
    )
    rule = models.CharField(_("rule"), max_length=20)
    selected = models.JSONField(_("selected projects"), default=list, help_text=_("Project ids in selection order."))
    cost = models.PositiveBigIntegerField(_("total cost"), default=0)
    ballots_counted = models.PositiveIntegerField(_("ballots counted"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("counted"), auto_now=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["budget", "rule"]
        constraints = [models.UniqueConstraint(fields=["budget", "rule"], name="bp_count_once_per_rule")]

    def __str__(self):
        return f"{self.budget} · {self.rule}"
