"""Participatory budgets under /api/v1/budget/: campaigns, budgets, ideas, projects, one's ballot, results.

Only what the site shows publicly: live campaigns without view restrictions, ideas the person may
see (published, or their own), results once published. Writes go through the same services as the
web forms, so refusals carry the same messages.
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.core.geojson import GEOJSON_RENDERERS, FeatureCollectionPagination
from civic.moderation.models import ModerationState
from civic.moderation.services import user_ensure_can_contribute

from ..models import (
    Ballot,
    BallotChoice,
    Budget,
    BudgetPage,
    Idea,
    IdeaStatus,
    ImplementationStatus,
    Project,
    Theme,
)
from ..selectors import budget_results, ideas_for_list
from ..services import ballot_submit, idea_create
from .serializers import (
    BallotSerializer,
    BallotSubmitSerializer,
    BudgetSerializer,
    CampaignSerializer,
    IdeaCreateSerializer,
    IdeaDetailSerializer,
    IdeaFeatureSerializer,
    ProjectDetailSerializer,
    ProjectFeatureSerializer,
    ResultsSerializer,
)


def public_campaigns():
    """Campaigns anyone may see: live, and under no Wagtail view restriction."""
    return BudgetPage.objects.live().public()


def _budgets_with_counts():
    return Budget.objects.select_related("area").annotate(
        project_count=Count("projects", filter=Q(projects__on_ballot=True))
    )


# --- Query parameters ----------------------------------------------------------------------------


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValidationError({name: _("Give an id: a positive whole number, e.g. ?%(name)s=3.") % {"name": name}})
    return value


def _choice_param(request, name: str, choices) -> str:
    raw = request.query_params.get(name, "").strip()
    if raw and raw not in choices.values:
        raise ValidationError(
            {
                name: _("Unknown value “%(value)s”: use one of %(values)s.")
                % {"value": raw, "values": ", ".join(choices.values)}
            }
        )
    return raw


def _bool_param(request, name: str) -> bool | None:
    raw = request.query_params.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise ValidationError({name: _("Use true or false.")})


def _choices_description(choices) -> str:
    return ", ".join(choices.values)


# --- Campaigns and budgets -----------------------------------------------------------------------


def _campaigns():
    return public_campaigns().prefetch_related(Prefetch("budgets", queryset=_budgets_with_counts()))


class CampaignListApi(generics.ListAPIView):
    """Participatory budget campaigns, the newest first, each with its phases and budgets."""

    serializer_class = CampaignSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return _campaigns().order_by("-ideas_opens", "-pk")


class CampaignDetailApi(generics.RetrieveAPIView):
    """One campaign: its current phase and timeline, who may vote, and its budgets."""

    serializer_class = CampaignSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return _campaigns()


def _public_budgets():
    return _budgets_with_counts().select_related("page").filter(page__in=public_campaigns())


class BudgetDetailApi(generics.RetrieveAPIView):
    """One budget: its amount, its ballot's type and rules, and where to vote or read the results."""

    serializer_class = BudgetSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return _public_budgets()


class BudgetResultsApi(APIView):
    """A budget's published results: the rule, every project's votes and cost, what was selected.

    404 until an administrator publishes them (staff preview them on the site, not here).
    """

    permission_classes = [permissions.AllowAny]
    serializer_class = ResultsSerializer

    def get(self, request, pk):
        budget = get_object_or_404(_public_budgets(), pk=pk)
        if not budget.results_published:
            raise NotFound(_("The results of this budget are not published yet."))
        results = budget_results(budget=budget)
        data = {
            "budget": budget.pk,
            "name": budget.name,
            "amount": budget.amount,
            "ballot_type": budget.ballot_type,
            "rule": budget.published_rule,
            "rule_label": budget.get_published_rule_display(),
            "published_at": budget.results_published_at,
            **results,
        }
        return Response(ResultsSerializer(data, context={"request": request}).data)


# --- Ballots -------------------------------------------------------------------------------------


#: Refusals of ``ballot_submit`` that are about one field of the request (the rest are about choices).
@extend_schema(responses={200: BallotSerializer, 404: OpenApiResponse(description="No ballot in this budget yet.")})
class BallotApi(APIView):
    """The logged-in person's ballot in one budget.

    GET reads it (404 before they vote). PUT stores it, or replaces it until the vote closes: the
    same checks and messages as the site's ballot form; 400 lists what to fix under the field it is
    about (``choices``, ``voting_code``, ``birth_year``, ``area``), 403 says why the person may not vote.
    """

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = BallotSerializer

    def _budget(self, pk) -> Budget:
        return get_object_or_404(_public_budgets(), pk=pk)

    def _ballot(self, budget: Budget) -> Ballot | None:
        choices = BallotChoice.objects.select_related("project").order_by("value", "project__title", "project_id")
        return (
            Ballot.objects.filter(budget=budget, voter=self.request.user)
            .prefetch_related(Prefetch("choices", queryset=choices))
            .first()
        )

    def get(self, request, pk):
        ballot = self._ballot(self._budget(pk))
        if ballot is None:
            raise NotFound(_("You have not voted in this budget."))
        return Response(BallotSerializer(ballot, context={"request": request}).data)

    @extend_schema(request=BallotSubmitSerializer, responses={200: BallotSerializer, 201: BallotSerializer})
    def put(self, request, pk):
        budget = self._budget(pk)
        form = BallotSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        selections = [(choice["project"], choice["value"]) for choice in data["choices"]]
        existed = Ballot.objects.filter(budget=budget, voter=request.user).exists()
        # A refusal is answered by the core's exception handler: a ValidationError keyed by field
        # (choices, voting_code, birth_year, area) is a 400, a ParticipationError a 403.
        if not request.user.has_perm("budget_participatif.vote_budget", budget):
            # Says why when the person is blocked or disabled; otherwise the vote is not open
            # and ballot_submit refuses with the dates, before writing anything.
            user_ensure_can_contribute(user=request.user)
        ballot_submit(
            budget=budget,
            voter=request.user,
            voting_code=data["voting_code"],
            selections=selections,
            declared_birth_year=data.get("birth_year"),
            declared_area=data.get("area"),
        )
        return Response(
            BallotSerializer(self._ballot(budget), context={"request": request}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


# --- Ideas ---------------------------------------------------------------------------------------


def _published_comment_count():
    return Count("comments", filter=Q(comments__moderation_state=ModerationState.PUBLISHED), distinct=True)


@extend_schema(
    parameters=[
        OpenApiParameter("area", OpenApiTypes.INT, description="Only ideas in this district (area id)."),
        OpenApiParameter("theme", OpenApiTypes.STR, description=f"Only this theme: {_choices_description(Theme)}."),
        OpenApiParameter(
            "status", OpenApiTypes.STR, description=f"Only this status: {_choices_description(IdeaStatus)}."
        ),
    ]
)
class IdeaListApi(generics.ListCreateAPIView):
    """A campaign's ideas as a GeoJSON FeatureCollection, newest first: the published ones, and the
    logged-in person's own whatever their moderation state.

    POST proposes an idea (logged in, during the ideas phase), checked like the site's form.
    """

    serializer_class = IdeaFeatureSerializer
    renderer_classes = GEOJSON_RENDERERS
    pagination_class = FeatureCollectionPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser, MultiPartParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.campaign = get_object_or_404(public_campaigns(), pk=kwargs["page_id"])

    def get_queryset(self):
        request = self.request
        return ideas_for_list(
            page=self.campaign,
            user=request.user,
            theme=_choice_param(request, "theme", Theme),
            area_id=_int_param(request, "area"),
            status=_choice_param(request, "status", IdeaStatus),
        )

    @extend_schema(request=IdeaCreateSerializer, responses={201: IdeaDetailSerializer})
    def post(self, request, *args, **kwargs):
        form = IdeaCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # A refusal keyed by field (title, description, location, cost_guess, photo) is a 400 from
        # the core's exception handler; a closed phase or a blocked account a 403.
        idea = idea_create(
            page=self.campaign,
            author=request.user,
            title=data["title"],
            description=data["description"],
            theme=data["theme"],
            area=data.get("area"),
            location=data.get("location"),
            cost_guess=data.get("cost_guess"),
            photos=[data["photo"]] if data.get("photo") else [],
        )
        idea = _idea_detail_queryset().get(pk=idea.pk)
        serializer = IdeaDetailSerializer(idea, context=self.get_serializer_context())
        return Response(
            serializer.data, status=status.HTTP_201_CREATED, headers={"Location": serializer.data["properties"]["url"]}
        )


def _idea_detail_queryset():
    return (
        Idea.objects.filter(page__in=public_campaigns())
        .select_related("area", "author", "review")
        .prefetch_related("photos")
        .annotate(comment_count=_published_comment_count())
    )


class IdeaDetailApi(generics.RetrieveAPIView):
    """One idea as a GeoJSON Feature, with its photos and the services' review once decided.

    404 for an idea the person may not see (awaiting moderation, hidden, rejected: only its author
    and council staff see it).
    """

    serializer_class = IdeaDetailSerializer
    renderer_classes = GEOJSON_RENDERERS

    def get_object(self):
        idea = get_object_or_404(_idea_detail_queryset(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("budget_participatif.read_idea", idea):
            raise NotFound()
        return idea


# --- Projects ------------------------------------------------------------------------------------


def _public_projects():
    # .published(): a project that flags hold for review, or that moderators hid, is not public.
    return Project.objects.published().filter(budget__page__in=public_campaigns()).select_related("budget")


@extend_schema(
    parameters=[
        OpenApiParameter("campaign", OpenApiTypes.INT, description="Only the projects of this campaign."),
        OpenApiParameter("budget", OpenApiTypes.INT, description="Only the projects of this budget."),
        OpenApiParameter("on_ballot", OpenApiTypes.BOOL, description="true: only projects on the ballot."),
        OpenApiParameter(
            "selected", OpenApiTypes.BOOL, description="true: only projects selected by published results."
        ),
        OpenApiParameter(
            "implementation_status",
            OpenApiTypes.STR,
            description=f"Only this implementation status: {_choices_description(ImplementationStatus)}.",
        ),
    ]
)
class ProjectListApi(generics.ListAPIView):
    """Projects as a GeoJSON FeatureCollection, by budget then title."""

    serializer_class = ProjectFeatureSerializer
    renderer_classes = GEOJSON_RENDERERS
    pagination_class = FeatureCollectionPagination
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        request = self.request
        projects = _public_projects()
        if campaign := _int_param(request, "campaign"):
            projects = projects.filter(budget__page_id=campaign)
        if budget := _int_param(request, "budget"):
            projects = projects.filter(budget_id=budget)
        on_ballot = _bool_param(request, "on_ballot")
        if on_ballot is not None:
            projects = projects.filter(on_ballot=on_ballot)
        selected = _bool_param(request, "selected")
        if selected is True:
            projects = projects.filter(selected=True, budget__results_published_at__isnull=False)
        elif selected is False:
            projects = projects.exclude(selected=True, budget__results_published_at__isnull=False)
        if implementation := _choice_param(request, "implementation_status", ImplementationStatus):
            projects = projects.filter(implementation_status=implementation)
        return projects.order_by("budget__page_id", "budget__sort_order", "budget_id", "title", "pk")


class ProjectDetailApi(generics.RetrieveAPIView):
    """One project as a GeoJSON Feature, with the published ideas it was made from and its milestones."""

    serializer_class = ProjectDetailSerializer
    renderer_classes = GEOJSON_RENDERERS
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return _public_projects().prefetch_related("milestones__photos")
