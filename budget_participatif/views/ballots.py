"""The ballot page: works as a plain HTML form; ballot.js only adds the live budget meter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from civic.core.geojson import feature, feature_collection, point
from civic.moderation.exceptions import ParticipationError
from civic.territory.models import Area, AreaKind

from ..ballot_cache import budget_for_ballot
from ..models import Ballot, BallotType, Budget
from ..selectors import ballot_projects
from ..services import ballot_submit


def selections_from(budget: Budget, data) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(project id, value) pairs from the POST, and what to show back in the form on error."""
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        ids = data.getlist("project")
        return [(pid, 1) for pid in ids], dict.fromkeys(ids, "1")
    prefix = "points-" if budget.ballot_type == BallotType.CUMULATIVE else "rank-"
    pairs, shown = [], {}
    for key, value in data.items():
        if key.startswith(prefix) and value.strip():
            pid = key.removeprefix(prefix)
            pairs.append((pid, value.strip()))
            shown[pid] = value.strip()
    return pairs, shown


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BallotVoteView(View):
    template_name = "budget_participatif/ballot.html"

    def get(self, request, pk):
        budget = self._budget(pk, "page", "area")
        current = {}
        if request.user.is_authenticated:
            ballot = Ballot.objects.filter(budget=budget, voter=request.user).first()
            if ballot is not None:
                current = {str(pid): str(value) for pid, value in ballot.choices.values_list("project_id", "value")}
        return self._render(budget, current=current, has_ballot=bool(current))

    def post(self, request, pk):
        # The hot path of a vote: the budget, its campaign and its projects from the cache (a
        # district's boundary is not needed to store a ballot; it is read if the form is shown again).
        found = budget_for_ballot(pk)
        if found is None:
            raise Http404(_("No such budget."))
        budget, projects = found
        pairs, shown = selections_from(budget, request.POST)
        area_id = _int_or_none(request.POST.get("area"))
        try:
            ballot_submit(
                budget=budget,
                voter=request.user if request.user.is_authenticated else None,
                voting_code=request.POST.get("voting_code", ""),
                selections=pairs,
                projects=projects,
                declared_birth_year=_int_or_none(request.POST.get("birth_year")),
                declared_area=Area.objects.defer("geometry").filter(pk=area_id).first() if area_id else None,
            )
        except ValidationError as exc:
            return self._render(budget, current=shown, errors=exc.messages, status=400)
        except ParticipationError as exc:
            return self._render(budget, current=shown, errors=[exc.message], status=exc.status)
        messages.success(request, _("Your ballot is recorded. You can change it until the vote closes."))
        return redirect("budget-ballot", pk=budget.pk)

    def _budget(self, pk, *related) -> Budget:
        return get_object_or_404(Budget.objects.select_related(*related).filter(page__live=True), pk=pk)

    def _render(self, budget, *, current, errors=(), has_ballot=False, status=200):
        from civic.cms.models import SiteIdentity

        projects = ballot_projects(budget=budget)
        for project in projects:
            project.current = current.get(str(project.pk), "")
        features = feature_collection(
            feature(
                project.pk,
                point(project.location.x, project.location.y),
                {"title": project.title, "cost": project.cost},
            )
            for project in projects
            if project.location is not None
        )
        page = budget.page
        return render(
            self.request,
            self.template_name,
            {
                "budget": budget,
                "campaign": page,
                "projects": projects,
                "errors": list(errors),
                "has_ballot": has_ballot,
                "voting_open": page.is_voting_open(),
                "needs_login": not self.request.user.is_authenticated and not page.use_voting_codes,
                "districts": Area.objects.filter(kind=AreaKind.QUARTIER) if page.require_residence else [],
                "posted": self.request.POST if self.request.method == "POST" else {},
                "features": features,
                "map_config": SiteIdentity.for_request(self.request).map_config(),
                "meter": {
                    "type": budget.ballot_type,
                    "amount": budget.amount,
                    "minSpend": budget.min_spend,
                    "minChoices": budget.min_choices,
                    "maxChoices": budget.max_choices,
                    "pointsTotal": budget.points_total,
                    "pointsCap": budget.points_cap,
                    "rankK": budget.rank_k,
                },
            },
            status=status,
        )
