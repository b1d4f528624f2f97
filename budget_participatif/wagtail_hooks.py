"""Back office in the Wagtail admin: budgets, ideas, projects and counts of every campaign.

Staff screens (``budget_participatif.backoffice``) call the services: "Ideas to review" (review,
put on a ballot, merge) and "Ballots and results" (compose a ballot, compare the rules, publish).
The model viewsets give administrators the plain lists and edit forms around them.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .backoffice.services import ballot_frozen
from .backoffice.viewsets import BallotsViewSet, FollowUpViewSet, ReviewViewSet
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


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Lists and inspect pages only: the writes go through a service that a plain edit form would
    bypass (a review tells the idea's author and moves the idea along)."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return any(user.has_perm(self._get_permission_name(name)) for name in ("view", "change"))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view", "change"])


class IdeaReviewViewSet(ModelViewSet):
    """The history of reviews, read only: reviewing is done in "Ideas to review" (the service)."""

    name = "bp_reviews"
    url_prefix = "budget-participatif/reviews"
    model = IdeaReview
    icon = "check"
    menu_label = _("Reviews")
    list_display = ["idea", "service", "agent", "verdict", "cost_estimate", "decided_at"]
    list_filter = ["verdict"]
    form_fields = ["idea", "service", "agent", "verdict", "public_reason", "cost_estimate"]
    inspect_view_enabled = True


register_permission_policy(IdeaReview, ViewOnlyPermissionPolicy(IdeaReview), exact_class=True)


class ProjectAdminForm(WagtailAdminModelForm):
    """Once a campaign's vote has opened its ballot is fixed: no project joins or leaves it, and no
    cost changes (ballots already cast name the projects and the meter showed those costs)."""

    FROZEN = ("budget", "cost", "on_ballot")

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.FROZEN if name in self.changed_data and name in self.fields]
        if not changed:
            return cleaned
        budgets = {cleaned.get("budget")}
        if not self.instance._state.adding:
            budgets.add(self.instance.budget)
        on_ballot = cleaned.get("on_ballot") or (not self.instance._state.adding and self.instance.on_ballot)
        frozen = [budget for budget in budgets if budget is not None and ballot_frozen(budget)]
        if frozen and on_ballot:
            message = _("The vote of “%(budget)s” has opened: its ballot and the costs on it can no longer change.") % {
                "budget": frozen[0].name
            }
            for name in changed:
                self.add_error(name, forms.ValidationError(message, code="frozen"))
        return cleaned


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

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=ProjectAdminForm, formfield_callback=self.formfield_for_dbfield, fields=self.form_fields
        )


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
        FollowUpViewSet,
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
