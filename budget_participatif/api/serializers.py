"""What the budget API reads and writes. Only public data: no voter's identity, no staff member's name.

GeoJSON features (ideas, projects) use ``civic.core.geojson.FeatureSerializer``; the rest is plain JSON.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.core.geojson import FeatureSerializer, GeometryField
from civic.territory.models import Area, AreaKind

from ..models import (
    Ballot,
    BallotChoice,
    BallotType,
    Budget,
    BudgetPage,
    Idea,
    IdeaPhoto,
    IdeaReview,
    Milestone,
    Project,
    Theme,
    Verdict,
)


def _absolute(serializer, url: str | None) -> str | None:
    if not url:
        return None
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def _author_name(user) -> str | None:
    """The name a contributor publishes under (never their email); None once the account is gone."""
    return user.display_name if user is not None else None


@extend_schema_field(
    {
        "type": "object",
        "description": "A GeoJSON Point (RFC 7946) in WGS84.",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        },
    }
)
class PointField(GeometryField):
    """A GeoJSON Point read into a GEOS point; any other geometry is refused with what to send."""

    def to_internal_value(self, data):
        geometry = super().to_internal_value(data)
        if geometry.geom_type != "Point":
            raise serializers.ValidationError(
                _('Give the location as a GeoJSON Point: {"type": "Point", "coordinates": [longitude, latitude]}.')
            )
        return geometry


# --- Campaigns and budgets -----------------------------------------------------------------------


class BallotRulesSerializer(serializers.Serializer):
    """The constraints of a budget's ballot; only those that apply to its type are present."""

    min_choices = serializers.IntegerField(help_text="Fewest projects a ballot must hold (every type).")
    max_choices = serializers.IntegerField(
        required=False, allow_null=True, help_text="Approval: most projects; null when there is no maximum."
    )
    max_spend = serializers.IntegerField(required=False, help_text="Knapsack: the chosen projects cost at most this.")
    min_spend = serializers.IntegerField(required=False, help_text="Knapsack: and at least this (euros).")
    min_share_percent = serializers.IntegerField(required=False, help_text="Knapsack: min_spend as a share.")
    points_total = serializers.IntegerField(required=False, help_text="Cumulative: points to share.")
    points_cap = serializers.IntegerField(
        required=False, allow_null=True, help_text="Cumulative: most points on one project; null: no cap."
    )
    rank_k = serializers.IntegerField(required=False, help_text="Ranked: most projects ranked, 1 = first.")


def ballot_rules(budget: Budget) -> dict:
    rules = {"min_choices": max(budget.min_choices, 1)}
    if budget.ballot_type == BallotType.APPROVAL:
        rules["max_choices"] = budget.max_choices
    elif budget.ballot_type == BallotType.KNAPSACK:
        rules.update(max_spend=budget.amount, min_spend=budget.min_spend, min_share_percent=budget.min_share_percent)
    elif budget.ballot_type == BallotType.CUMULATIVE:
        rules.update(points_total=budget.points_total, points_cap=budget.points_cap)
    elif budget.ballot_type == BallotType.RANKED:
        rules["rank_k"] = budget.rank_k
    return rules


class BudgetLinksSerializer(serializers.Serializer):
    projects = serializers.URLField(help_text="The budget's projects on the ballot (GeoJSON).")
    ballot = serializers.URLField(help_text="The logged-in person's ballot: read it, or PUT it while the vote is open.")
    results = serializers.URLField(allow_null=True, help_text="Published results; null before publication.")
    web = serializers.URLField(help_text="The ballot page on the site.")


class BudgetSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="page_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True)
    ballot_type_label = serializers.CharField(source="get_ballot_type_display", read_only=True)
    ballot_rules = serializers.SerializerMethodField()
    counting_rule_label = serializers.CharField(source="get_counting_rule_display", read_only=True)
    project_count = serializers.IntegerField(read_only=True, help_text="Projects on the ballot.")
    voting_open = serializers.SerializerMethodField()
    results_published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Budget
        fields = [
            "id",
            "name",
            "campaign",
            "area",
            "area_name",
            "amount",
            "ballot_type",
            "ballot_type_label",
            "ballot_rules",
            "counting_rule",
            "counting_rule_label",
            "project_count",
            "voting_open",
            "results_published_at",
            "links",
        ]

    @extend_schema_field(BallotRulesSerializer)
    def get_ballot_rules(self, budget) -> dict:
        return ballot_rules(budget)

    def get_voting_open(self, budget) -> bool:
        return budget.page.is_voting_open()

    @extend_schema_field(BudgetLinksSerializer)
    def get_links(self, budget) -> dict:
        projects = reverse("api-budget-project-list") + f"?budget={budget.pk}&on_ballot=true"
        return {
            "projects": _absolute(self, projects),
            "ballot": _absolute(self, reverse("api-budget-ballot", args=[budget.pk])),
            "results": _absolute(self, reverse("api-budget-results", args=[budget.pk]))
            if budget.results_published
            else None,
            "web": _absolute(self, budget.get_absolute_url()),
        }


class PhaseSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    starts = serializers.DateTimeField(allow_null=True)
    ends = serializers.DateTimeField(allow_null=True, help_text="null: the phase has no end date.")
    current = serializers.BooleanField()
    done = serializers.BooleanField()


class CampaignLinksSerializer(serializers.Serializer):
    ideas = serializers.URLField(help_text="The campaign's ideas (GeoJSON); POST there to propose one.")
    projects = serializers.URLField(help_text="The campaign's projects (GeoJSON).")
    web = serializers.URLField(allow_null=True, help_text="The campaign's page on the site.")


class CampaignSerializer(serializers.ModelSerializer):
    phase = serializers.CharField(source="current_phase", read_only=True)
    phase_label = serializers.CharField(source="current_phase_label", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    vote_scope_label = serializers.CharField(source="get_vote_scope_display", read_only=True)
    budgets = BudgetSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = BudgetPage
        fields = [
            "id",
            "title",
            "intro",
            "phase",
            "phase_label",
            "phases",
            "vote_scope",
            "vote_scope_label",
            "require_verified_email",
            "minimum_age",
            "require_residence",
            "use_voting_codes",
            "premoderation",
            "budgets",
            "links",
        ]

    @extend_schema_field(CampaignLinksSerializer)
    def get_links(self, page) -> dict:
        request = self.context.get("request")
        return {
            "ideas": _absolute(self, reverse("api-budget-idea-list", args=[page.pk])),
            "projects": _absolute(self, reverse("api-budget-project-list") + f"?campaign={page.pk}"),
            "web": _absolute(self, page.get_url(request)),
        }


# --- Ideas ---------------------------------------------------------------------------------------


class IdeaFeatureSerializer(FeatureSerializer, serializers.ModelSerializer):
    """An idea as a GeoJSON Feature (geometry null when its author placed it nowhere)."""

    geometry_field = "location"

    campaign = serializers.IntegerField(source="page_id", read_only=True)
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True)
    author = serializers.SerializerMethodField(help_text="The author's display name; null once the account is gone.")
    published = serializers.BooleanField(
        source="is_published", read_only=True, help_text="false only for one's own idea awaiting or refused moderation."
    )
    comment_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "description",
            "theme",
            "theme_label",
            "status",
            "status_label",
            "campaign",
            "area",
            "area_name",
            "author",
            "cost_guess",
            "project",
            "published",
            "comment_count",
            "created_at",
            "url",
        ]

    def get_author(self, idea) -> str | None:
        return _author_name(idea.author)

    def get_url(self, idea) -> str:
        return _absolute(self, idea.get_absolute_url())


class IdeaReviewSerializer(serializers.ModelSerializer):
    verdict_label = serializers.CharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = IdeaReview
        fields = ["service", "verdict", "verdict_label", "public_reason", "cost_estimate", "decided_at"]


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = IdeaPhoto
        fields = ["url", "alt_text"]

    def get_url(self, photo) -> str:
        return _absolute(self, photo.image.url)


class IdeaDetailSerializer(IdeaFeatureSerializer):
    """One idea with its photos and what the council's services decided (once they have)."""

    photos = PhotoSerializer(many=True, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta(IdeaFeatureSerializer.Meta):
        fields = [*IdeaFeatureSerializer.Meta.fields, "photos", "review"]

    @extend_schema_field(IdeaReviewSerializer(allow_null=True))
    def get_review(self, idea) -> dict | None:
        review = getattr(idea, "review", None)
        if review is None or review.verdict == Verdict.PENDING:
            return None
        return IdeaReviewSerializer(review, context=self.context).data


class IdeaCreateSerializer(serializers.Serializer):
    """A resident's idea, checked like the site's form, then by ``services.idea_create``."""

    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=4000, help_text="What, where, for whom? At least 20 characters.")
    theme = serializers.ChoiceField(choices=Theme.choices)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=AreaKind.QUARTIER),
        required=False,
        allow_null=True,
        help_text="A district (quartier) id; empty: the whole commune, or the district containing the location.",
    )
    location = PointField(
        required=False,
        allow_null=True,
        help_text='A GeoJSON Point in WGS84: {"type": "Point", "coordinates": [longitude, latitude]}.',
    )
    cost_guess = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    photo = serializers.FileField(
        required=False,
        help_text="One photo (multipart/form-data requests): JPEG, PNG, WebP or HEIC, checked and published "
        "like a report's photo (resized, without EXIF); a refusal is listed under `photo`.",
    )


# --- Projects ------------------------------------------------------------------------------------


class ProjectFeatureSerializer(FeatureSerializer, serializers.ModelSerializer):
    """A project as a GeoJSON Feature. ``selected`` stays false until its budget's results are published."""

    geometry_field = "location"

    budget_name = serializers.CharField(source="budget.name", read_only=True)
    campaign = serializers.IntegerField(source="budget.page_id", read_only=True)
    theme_label = serializers.CharField(source="get_theme_display", read_only=True)
    selected = serializers.SerializerMethodField()
    implementation_status_label = serializers.CharField(source="get_implementation_status_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "description",
            "cost",
            "theme",
            "theme_label",
            "budget",
            "budget_name",
            "campaign",
            "on_ballot",
            "selected",
            "implementation_status",
            "implementation_status_label",
            "progress",
            "url",
        ]

    def get_selected(self, project) -> bool:
        return bool(project.selected and project.budget.results_published)

    def get_url(self, project) -> str:
        return _absolute(self, project.get_absolute_url())


class MilestoneSerializer(serializers.ModelSerializer):
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["date", "title", "description", "photo", "photo_alt"]

    def get_photo(self, milestone) -> str | None:
        return _absolute(self, milestone.photo.url) if milestone.photo else None


class ProjectIdeaSerializer(serializers.ModelSerializer):
    """A published idea the project was made from, crediting its author."""

    author = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = ["id", "title", "author", "url"]

    def get_author(self, idea) -> str | None:
        return _author_name(idea.author)

    def get_url(self, idea) -> str:
        return _absolute(self, idea.get_absolute_url())


class ProjectDetailSerializer(ProjectFeatureSerializer):
    ideas = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectFeatureSerializer.Meta):
        fields = [*ProjectFeatureSerializer.Meta.fields, "ideas", "milestones"]

    @extend_schema_field(ProjectIdeaSerializer(many=True))
    def get_ideas(self, project) -> list:
        ideas = project.ideas.published().select_related("author").order_by("created_at", "pk")
        return ProjectIdeaSerializer(ideas, many=True, context=self.context).data


# --- Results -------------------------------------------------------------------------------------


class ResultProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    cost = serializers.IntegerField()
    score = serializers.IntegerField(help_text="Ballots choosing the project, or points it received (cumulative).")
    selected = serializers.BooleanField()
    budget_percent = serializers.FloatField(help_text="Its cost as a share of the budget.")


class ResultsSerializer(serializers.Serializer):
    budget = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.IntegerField()
    ballot_type = serializers.CharField()
    rule = serializers.CharField(help_text="The counting rule used: greedy, mes or mes-add1.")
    rule_label = serializers.CharField()
    published_at = serializers.DateTimeField()
    ballot_count = serializers.IntegerField()
    score_label = serializers.ChoiceField(choices=["votes", "points"])
    selected_cost = serializers.IntegerField()
    selected_percent = serializers.FloatField()
    projects = ResultProjectSerializer(many=True, help_text="Every project on the ballot, most supported first.")


# --- Ballots -------------------------------------------------------------------------------------


class BallotChoiceSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = BallotChoice
        fields = ["project", "title", "value"]


class BallotSerializer(serializers.ModelSerializer):
    """The logged-in person's own ballot; nobody else's is ever readable."""

    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    choices = BallotChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Ballot
        fields = [
            "budget",
            "channel",
            "channel_label",
            "choices",
            "declared_birth_year",
            "declared_area",
            "created_at",
            "updated_at",
        ]


class ChoiceInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="A project id on the budget's ballot.")
    value = serializers.IntegerField(
        default=1, help_text="1 on approval and knapsack ballots (the default), points, or the rank (1 = first)."
    )


class BallotSubmitSerializer(serializers.Serializer):
    choices = ChoiceInputSerializer(many=True, allow_empty=True)
    voting_code = serializers.CharField(
        required=False, allow_blank=True, max_length=64, default="", help_text="The code of the letter, if required."
    )
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, help_text="Required when the campaign has a minimum age."
    )
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        help_text="The district where the voter lives, when the campaign asks for it.",
    )
