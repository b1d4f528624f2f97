from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from civic.core.geojson import feature, feature_collection, point

from ..models import Budget, BudgetPage, CountResult, ImplementationStatus, Project
from ..selectors import budget_results, count_explanations, follow_up_projects


class BudgetResultsView(View):
    def get(self, request, pk):
        budget = get_object_or_404(Budget.objects.select_related("page", "area").filter(page__live=True), pk=pk)
        staff_preview = request.user.has_perm("budget_participatif.count_budget", budget)
        if not budget.results_published and not staff_preview:
            raise Http404("results not published")
        # Why each project won or lost, as stored at counting time (the page never recounts).
        rule = budget.published_rule if budget.results_published else budget.counting_rule
        count = CountResult.objects.filter(budget=budget, rule=rule).first()
        return render(
            request,
            "budget_participatif/results.html",
            {
                "budget": budget,
                "campaign": budget.page,
                "explanations": count_explanations(budget=budget, result=count),
                **budget_results(budget=budget),
            },
        )


class ProjectDetailView(View):
    def get(self, request, pk):
        project = get_object_or_404(
            Project.objects.select_related("budget", "budget__page").filter(budget__page__live=True), pk=pk
        )
        if not request.user.has_perm("budget_participatif.read_project", project):
            raise Http404("project held or hidden by moderation")
        return render(
            request,
            "budget_participatif/project_detail.html",
            {
                "project": project,
                "campaign": project.budget.page,
                "ideas": project.ideas.published().select_related("author"),
                "milestones": project.milestones.prefetch_related("photos"),
            },
        )


class FollowUpView(View):
    def get(self, request, page_id):
        page = get_object_or_404(BudgetPage.objects.live(), pk=page_id)
        projects = list(follow_up_projects(page=page))
        groups = [
            {"status": status, "label": label, "projects": [p for p in projects if p.implementation_status == status]}
            for status, label in ImplementationStatus.choices
        ]
        features = feature_collection(
            feature(
                p.pk,
                point(p.location.x, p.location.y),
                {
                    "title": p.title,
                    "status": p.implementation_status,
                    "progress": p.progress,
                    "statusLabel": str(p.get_implementation_status_display()),
                },
            )
            for p in projects
            if p.location is not None
        )
        from civic.cms.models import SiteIdentity

        return render(
            request,
            "budget_participatif/follow_up.html",
            {
                "campaign": page,
                "groups": [g for g in groups if g["projects"]],
                "features": features,
                "map_config": SiteIdentity.for_request(request).map_config(),
            },
        )
