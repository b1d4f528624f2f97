"""Back office in the Wagtail admin: budgets, ideas, projects and counts of every campaign.

Staff screens (``budget_participatif.backoffice``) call the services: "Ideas to review" (review,
put on a ballot, merge) and "Ballots and results" (compose a ballot, compare the rules, publish).
The model viewsets give administrators the plain lists and edit forms around them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .backoffice.viewsets import BallotsViewSet, ReviewViewSet
from .models import Budget, CountResult, Idea, IdeaReview, Project


class BudgetViewSet(ModelViewSet):
    name = "bp_budgets"
    url_prefix = "budget-participatif/budgets"
    model = Budget
    icon = "decimal"
    menu_label = _("Budgets")
    list_display = ["name", "page", "area", "amount", "ballot_type", "counting_rule", "results_published_at"]
    list_filter = ["page", "ballot_type"]
    form_fields = [
        "page",
        "name",
        "area",
        "amount",
        "ballot_type",
        "min_choices",
        "max_choices",
        "min_share_percent",
        "points_total",
        "points_cap",
        "rank_k",
        "counting_rule",
        "sort_order",
    ]


class IdeaViewSet(ModelViewSet):
    name = "bp_ideas"
    url_prefix = "budget-participatif/ideas"
    model = Idea
    icon = "help"
    menu_label = _("Ideas")
    list_display = ["title", "page", "area", "theme", "status", "moderation_state", "created_at"]
    list_filter = ["page", "status", "theme"]
    search_fields = ["title", "description"]
    form_fields = ["title", "description", "theme", "area", "cost_guess", "project"]


class IdeaReviewViewSet(ModelViewSet):
    name = "bp_reviews"
    url_prefix = "budget-participatif/reviews"
    model = IdeaReview
    icon = "check"
    menu_label = _("Reviews")
    list_display = ["idea", "service", "agent", "verdict", "cost_estimate", "decided_at"]
    list_filter = ["verdict"]
    form_fields = ["idea", "service", "agent", "verdict", "public_reason", "cost_estimate"]


class ProjectViewSet(ModelViewSet):
    name = "bp_projects"
    url_prefix = "budget-participatif/projects"
    model = Project
    icon = "site"
    menu_label = _("Projects")
    list_display = ["title", "budget", "cost", "on_ballot", "selected", "implementation_status", "progress"]
    list_filter = ["budget", "on_ballot", "selected", "implementation_status"]
    search_fields = ["title"]
    form_fields = ["budget", "title", "description", "cost", "theme", "on_ballot", "implementation_status", "progress"]


class CountResultViewSet(ModelViewSet):
    name = "bp_counts"
    url_prefix = "budget-participatif/counts"
    model = CountResult
    icon = "list-ol"
    menu_label = _("Counts")
    list_display = ["budget", "rule", "cost", "ballots_counted", "counted_at"]
    list_filter = ["budget", "rule"]
    form_fields = ["budget", "rule"]
    add_to_admin_menu = False


class BudgetParticipatifGroup(ModelViewSetGroup):
    menu_label = _("Participatory budget")
    menu_icon = "decimal"
    menu_order = 250
    items = (
        ReviewViewSet,
        BallotsViewSet,
        BudgetViewSet,
        IdeaViewSet,
        IdeaReviewViewSet,
        ProjectViewSet,
        CountResultViewSet,
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return BudgetParticipatifGroup()


# --- Voting desk and voting codes (budget_participatif/backoffice/desk.py) ---------------------


@hooks.register("register_admin_urls")
def register_desk_urls():
    from django.urls import include, path

    from .backoffice import desk

    return [path("budget-participatif/desk/", include(desk))]


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    from django.urls import reverse

    from .backoffice.desk import DeskMenuItem

    return DeskMenuItem(
        _("Voting desk and codes"), reverse("bp_desk:index"), name="bp-voting-desk", icon_name="form", order=252
    )
