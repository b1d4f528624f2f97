"""Staff screens for budgets: what goes on each ballot, then the count compared by rule and published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from civic.moderation.exceptions import ParticipationError

from ..models import Ballot, Budget, CountingRule, CountResult, Idea, IdeaStatus, Phase, Project
from ..rules import is_administrator
from ..selectors import budget_results, count_explanations
from ..services import budget_count, results_publish
from .base import BUDGETS, HOME, StaffRequiredMixin, StaffScreenMixin, safe_next
from .forms import BallotProjectsForm, PublishForm, money
from .review import put_on_ballot
from .services import ballot_frozen, ballot_projects_update

CLOSED_PHASES = (Phase.RESULTS, Phase.FOLLOW_UP)
#: Column headings of the comparison table (the cards above it give each rule's full name).
SHORT_LABELS = {
    CountingRule.GREEDY: gettext_lazy("Greedy"),
    CountingRule.MES: gettext_lazy("MES"),
    CountingRule.MES_ADD1: gettext_lazy("MES + add1"),
}


def _budget(pk) -> Budget:
    return get_object_or_404(Budget.objects.select_related("page", "area"), pk=pk)


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


class BudgetIndexView(StaffScreenMixin, TemplateView):
    """Every budget of every campaign: its phase, its ballot, its votes and whether results are out."""

    template_name = "budget_participatif/admin/budgets.html"
    page_title = gettext_lazy("Ballots and results")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        budgets = list(Budget.objects.select_related("page", "area").order_by("-page__voting_opens", "sort_order"))
        on_ballot = {
            budget_id: (n, cost)
            for budget_id, n, cost in Project.objects.filter(on_ballot=True)
            .values("budget_id")
            .annotate(n=Count("pk"), cost=Sum("cost"))
            .values_list("budget_id", "n", "cost")
        }
        ballots = dict(Ballot.objects.values("budget_id").annotate(n=Count("pk")).values_list("budget_id", "n"))
        campaigns = {}
        for budget in budgets:
            budget.on_ballot_count, budget.on_ballot_cost = on_ballot.get(budget.pk, (0, 0))
            budget.ballots_cast = ballots.get(budget.pk, 0)
            campaigns.setdefault(budget.page_id, {"page": budget.page, "budgets": []})["budgets"].append(budget)
        context["campaigns"] = list(campaigns.values())
        return context


class BallotView(StaffScreenMixin, TemplateView):
    """Which of the budget's projects are on its ballot, at what cost; feasible ideas waiting for one."""

    template_name = "budget_participatif/admin/ballot.html"
    parents = (HOME, BUDGETS)
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.budget = _budget(kwargs["pk"])

    def get_page_title(self):
        return _("Ballot: %(budget)s") % {"budget": self.budget}

    def projects(self):
        return list(
            Project.objects.filter(budget=self.budget)
            .prefetch_related("ideas__author")
            .order_by("-on_ballot", "title", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        budget = self.budget
        form = kwargs.get("form") or BallotProjectsForm(projects=self.projects())
        waiting = list(
            Idea.objects.filter(page_id=budget.page_id, status=IdeaStatus.FEASIBLE, project=None)
            .select_related("area", "review", "author")
            .order_by("title", "pk")
        )
        # Ideas of the budget's own district first.
        waiting.sort(key=lambda idea: (budget.area_id is not None and idea.area_id != budget.area_id, idea.title))
        on_ballot = [project for project in form.projects if project.on_ballot]
        total = sum(project.cost for project in on_ballot)
        context.update(
            budget=budget,
            form=form,
            frozen=ballot_frozen(budget),
            waiting=waiting,
            on_ballot_count=len(on_ballot),
            on_ballot_cost=total,
            on_ballot_percent=round(100 * total / budget.amount) if budget.amount else 0,
            current_url=self.request.get_full_path(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = BallotProjectsForm(request.POST, projects=self.projects())
        if form.is_valid():
            try:
                changed = ballot_projects_update(budget=self.budget, agent=request.user, changes=form.changes())
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error(None, error)
            except ParticipationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Ballot saved: %(n)d project(s) changed.") % {"n": changed})
                return redirect(reverse("bp_ballots:ballot", args=[self.budget.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class BallotAddIdeaView(StaffRequiredMixin, View):
    """POST: the feasible idea named by ``idea`` goes on this budget's ballot at its cost estimate."""

    def post(self, request, pk):
        budget = _budget(pk)
        idea = Idea.objects.select_related("page", "review", "project").filter(pk=request.POST.get("idea") or 0).first()
        if idea is None or idea.page_id != budget.page_id:
            messages.error(request, _("This idea is not one of the campaign's ideas."))
        else:
            put_on_ballot(request, idea=idea, budget=budget)
        return redirect(safe_next(request, reverse("bp_ballots:ballot", args=[budget.pk])))


def compare_rules(budget: Budget) -> dict:
    """The stored count of each rule, side by side, over the projects on the ballot (most votes first)."""
    data = budget_results(budget=budget)
    stored = {result.rule: result for result in CountResult.objects.filter(budget=budget).select_related("counted_by")}
    columns = []
    for rule, label in CountingRule.choices:
        result = stored.get(rule)
        order = {pk: position for position, pk in enumerate(result.selected, start=1)} if result else {}
        columns.append(
            {
                "rule": rule,
                "label": label,
                "short_label": SHORT_LABELS[rule],
                "result": result,
                "order": order,
                "count": len(order),
                "percent": round(100 * result.cost / budget.amount, 1) if result and budget.amount else 0,
                "left": budget.amount - result.cost if result else None,
                "stale": result is not None and result.ballots_counted != data["ballot_count"],
                "chosen": rule == budget.counting_rule,
                "published": budget.results_published and rule == budget.published_rule,
                "explanations": count_explanations(budget=budget, result=result),
            }
        )
    rows = [
        {"project": project, "cells": [column["order"].get(project.pk) for column in columns]}
        for project in data["projects"]
    ]
    return {"columns": columns, "rows": rows, "counted": bool(stored), **data}


class ResultsView(StaffScreenMixin, TemplateView):
    """Count with every rule, compare what each selects, publish one (administrators, vote closed)."""

    template_name = "budget_participatif/admin/results.html"
    parents = (HOME, BUDGETS)
    header_icon = "list-ol"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.budget = _budget(kwargs["pk"])

    def get_page_title(self):
        return _("Compare and publish: %(budget)s") % {"budget": self.budget}

    def refusal(self, permission: str) -> str:
        """Why the person may not count or publish this budget now ('' when they may)."""
        user, budget = self.request.user, self.budget
        if user.has_perm(permission, budget):
            return ""
        if permission == "budget_participatif.publish_budget" and not is_administrator(user) and not user.is_superuser:
            return _("Only an administrator publishes the results.")
        if budget.page.current_phase not in CLOSED_PHASES:
            closes = _date(budget.page.voting_closes)
            if permission == "budget_participatif.publish_budget":
                return _("The vote closes on %(date)s: the results can be published after that.") % {"date": closes}
            return _("The vote closes on %(date)s: the ballots can be counted after that.") % {"date": closes}
        return _("You may not do this.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        budget = self.budget
        comparison = compare_rules(budget)
        form = kwargs.get("form")
        if form is None:
            form = PublishForm(initial={"rule": budget.published_rule or budget.counting_rule})
        context.update(
            budget=budget,
            campaign=budget.page,
            publish_form=form,
            count_refusal=self.refusal("budget_participatif.count_budget"),
            publish_refusal=self.refusal("budget_participatif.publish_budget"),
            **comparison,
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "publish":
            return self.publish(request)
        return self.count(request)

    def count(self, request):
        refusal = self.refusal("budget_participatif.count_budget")
        if refusal:
            messages.error(request, refusal)
            return redirect(reverse("bp_ballots:results", args=[self.budget.pk]))
        try:
            for rule in CountingRule.values:
                budget_count(budget=self.budget, rule=rule, user=request.user)
        except ParticipationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Counted with the three rules: compare them below."))
        return redirect(reverse("bp_ballots:results", args=[self.budget.pk]))

    def publish(self, request):
        refusal = self.refusal("budget_participatif.publish_budget")
        if refusal:
            messages.error(request, refusal)
            return redirect(reverse("bp_ballots:results", args=[self.budget.pk]))
        form = PublishForm(request.POST)
        if form.is_valid():
            rule = form.cleaned_data["rule"]
            try:
                results_publish(budget=self.budget, rule=rule, user=request.user)
            except ParticipationError as exc:
                form.add_error(None, exc.message)
            else:
                selected = Project.objects.filter(budget=self.budget, selected=True).aggregate(
                    n=Count("pk"), cost=Sum("cost")
                )
                messages.success(
                    request,
                    _("Results published with “%(rule)s”: %(n)d project(s) selected for %(cost)s.")
                    % {"rule": CountingRule(rule).label, "n": selected["n"], "cost": money(selected["cost"] or 0)},
                )
                return redirect(reverse("bp_ballots:results", args=[self.budget.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)
