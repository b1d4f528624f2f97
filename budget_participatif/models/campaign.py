"""The campaign (a Wagtail page with dated phases) and the budgets residents vote on."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from civic.spaces.models import SpaceAction, SpaceMixin, SpacePhase, phases_validate


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Coming soon")
    IDEAS = "ideas", _("Ideas")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    FOLLOW_UP = "follow_up", _("Follow-up")


class VoteScope(models.TextChoices):
    HOME_AND_CITY = "home_and_city", _("Their home district's budget and the city-wide budgets")
    ONE_DISTRICT = "one_district", _("Any one district budget of their choice, and the city-wide budgets")
    ALL = "all", _("Every budget")


class BudgetPage(SpaceMixin, Page):
    """A participatory budget campaign: ideas, review, voting, results and follow-up, each dated."""

    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    ideas_opens = models.DateTimeField(_("ideas open"))
    ideas_close = models.DateTimeField(_("ideas close"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    follow_up_from = models.DateTimeField(
        _("follow-up from"), null=True, blank=True, help_text=_("Empty: results stay on the front page.")
    )
    vote_scope = models.CharField(
        _("who votes in which budget"), max_length=20, choices=VoteScope.choices, default=VoteScope.HOME_AND_CITY
    )
    require_verified_email = models.BooleanField(_("verified accounts only"), default=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Voters declare their birth year. Empty: no limit.")
    )
    require_residence = models.BooleanField(
        _("declared residence"), default=False, help_text=_("Voters declare the district where they live.")
    )
    use_voting_codes = models.BooleanField(
        _("one-time voting codes"), default=False, help_text=_("Every ballot needs a code sent by letter.")
    )
    premoderation = models.BooleanField(_("ideas wait for a moderator"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *SpaceMixin.space_panels,
        MultiFieldPanel(
            [
                FieldPanel("ideas_opens"),
                FieldPanel("ideas_close"),
                FieldPanel("voting_opens"),
                FieldPanel("voting_closes"),
                FieldPanel("follow_up_from"),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("vote_scope"),
                FieldPanel("require_verified_email"),
                FieldPanel("minimum_age"),
                FieldPanel("require_residence"),
                FieldPanel("use_voting_codes"),
                FieldPanel("premoderation"),
            ],
            heading=_("Who votes"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["civic_cms.HomePage"]
    template = "budget_participatif/budget_page.html"

    class Meta:
        verbose_name = _("participatory budget campaign")

    def clean(self):
        super().clean()
        phases_validate(
            self.space_phases(),
            field_of={
                Phase.IDEAS: "ideas_close",
                Phase.REVIEW: "voting_opens",
                Phase.VOTING: "voting_closes",
                Phase.RESULTS: "follow_up_from",
            },
        )

    def space_phases(self) -> list[SpacePhase]:
        phases = [
            SpacePhase(Phase.IDEAS, Phase.IDEAS.label, self.ideas_opens, self.ideas_close),
            SpacePhase(Phase.REVIEW, Phase.REVIEW.label, self.ideas_close, self.voting_opens, participatory=False),
            SpacePhase(Phase.VOTING, Phase.VOTING.label, self.voting_opens, self.voting_closes),
            SpacePhase(
                Phase.RESULTS, Phase.RESULTS.label, self.voting_closes, self.follow_up_from, participatory=False
            ),
        ]
        if self.follow_up_from:
            phases.append(SpacePhase(Phase.FOLLOW_UP, Phase.FOLLOW_UP.label, self.follow_up_from, participatory=False))
        return phases

    def space_action(self, request) -> SpaceAction | None:
        from django.urls import reverse

        phase = self.current_phase
        if phase == Phase.IDEAS:
            return SpaceAction(_("Propose an idea"), reverse("idea-create", args=[self.pk]))
        if phase == Phase.REVIEW:
            return SpaceAction(_("See the ideas"), reverse("idea-list", args=[self.pk]))
        if phase == Phase.VOTING:
            return SpaceAction(_("Vote"), f"{self.get_url(request=request)}#budgets")
        if phase == Phase.RESULTS:
            return SpaceAction(_("See the results"), f"{self.get_url(request=request)}#budgets")
        if phase == Phase.FOLLOW_UP:
            return SpaceAction(_("Follow the projects"), reverse("budget-follow-up", args=[self.pk]))
        return None

    def phase_at(self, moment=None) -> str:
        now = moment or timezone.now()
        if now < self.ideas_opens:
            return Phase.UPCOMING
        if now < self.ideas_close:
            return Phase.IDEAS
        if now < self.voting_opens:
            return Phase.REVIEW
        if now < self.voting_closes:
            return Phase.VOTING
        if self.follow_up_from is None or now < self.follow_up_from:
            return Phase.RESULTS
        return Phase.FOLLOW_UP

    @property
    def current_phase(self) -> str:
        return self.phase_at()

    @property
    def current_phase_label(self) -> str:
        return Phase(self.current_phase).label

    def phases(self) -> list[dict]:
        """The timeline shown on the page: each phase with its dates and whether it is current."""
        current = self.current_phase
        rows = [
            (Phase.IDEAS, self.ideas_opens, self.ideas_close),
            (Phase.REVIEW, self.ideas_close, self.voting_opens),
            (Phase.VOTING, self.voting_opens, self.voting_closes),
            (Phase.RESULTS, self.voting_closes, self.follow_up_from),
            (Phase.FOLLOW_UP, self.follow_up_from, None),
        ]
        order = [row[0] for row in rows]
        index = order.index(current) if current in order else -1
        return [
            {
                "key": key,
                "label": key.label,
                "starts": starts,
                "ends": ends,
                "current": key == current,
                "done": index > position,
            }
            for position, (key, starts, ends) in enumerate(rows)
        ]

    def is_voting_open(self, moment=None) -> bool:
        return self.phase_at(moment) == Phase.VOTING

    def get_context(self, request, *args, **kwargs):
        from ..selectors import campaign_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(campaign_overview(page=self, user=request.user))
        return context


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: pick between a minimum and a maximum number of projects")
    KNAPSACK = "knapsack", _("Knapsack: pick projects whose total cost fits the budget")
    CUMULATIVE = "cumulative", _("Cumulative: share points between projects")
    RANKED = "ranked", _("Ranked: order your favourite projects")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Greedy (most votes first, skipping what no longer fits)")
    MES = "mes", _("Method of Equal Shares")
    MES_ADD1 = "mes-add1", _("Method of Equal Shares, completed (add1 then greedy)")


class Budget(models.Model):
    """An amount of money residents decide on: city-wide (no area) or for one district."""

    page = models.ForeignKey(BudgetPage, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="budgets")
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        "civic_territory.Area",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: a city-wide budget."),
    )
    amount = models.PositiveBigIntegerField(_("amount (€)"))
    ballot_type = models.CharField(_("ballot"), max_length=20, choices=BallotType.choices, default=BallotType.APPROVAL)
    min_choices = models.PositiveSmallIntegerField(_("minimum number of projects"), default=1)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of projects"), null=True, blank=True, help_text=_("Approval ballots. Empty: no maximum.")
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("minimum share of the budget to spend (%)"), default=0, help_text=_("Knapsack ballots.")
    )
    points_total = models.PositiveSmallIntegerField(_("points to share"), default=10, help_text=_("Cumulative."))
    points_cap = models.PositiveSmallIntegerField(
        _("maximum points per project"), null=True, blank=True, help_text=_("Cumulative. Empty: no cap.")
    )
    rank_k = models.PositiveSmallIntegerField(_("projects to rank"), default=3, help_text=_("Ranked ballots."))
    counting_rule = models.CharField(
        _("counting rule"), max_length=20, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    published_rule = models.CharField(_("published rule"), max_length=20, choices=CountingRule.choices, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["page", "sort_order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("budget-ballot", args=[self.pk])

    def clean(self):
        if self.max_choices is not None and self.max_choices < self.min_choices:
            raise ValidationError({"max_choices": _("The maximum cannot be below the minimum.")})
        if self.min_share_percent > 100:
            raise ValidationError({"min_share_percent": _("A share is at most 100 %.")})

    @property
    def is_city_wide(self) -> bool:
        return self.area_id is None

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def min_spend(self) -> int:
        if self.ballot_type != BallotType.KNAPSACK:
            return 0
        return (self.amount * self.min_share_percent + 99) // 100
