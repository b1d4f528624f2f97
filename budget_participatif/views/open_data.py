"""Open data of published budgets: each budget's anonymised ballots as a Pabulib ``.pb`` file, and the
projects with their results as CSV. Only budgets whose results are published, of live campaigns.

Every text cell of a CSV goes through the core's formula guard (``spreadsheet_cell``: a cell starting
with = + - @, a tab or a carriage return is prefixed with ') since these files are opened in spreadsheets.
"""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civic.core.exports import spreadsheet_cell as _cell

from ..models import BallotType, Budget
from ..selectors import scored_projects
from ..services import budget_export_pabulib


def published_budgets():
    return (
        Budget.objects.filter(page__live=True, results_published_at__isnull=False)
        .select_related("page", "area")
        .order_by("-page__voting_closes", "page", "sort_order", "pk")
    )


def _file_name(budget: Budget, extension: str) -> str:
    return f"{slugify(f'{budget.page.slug}-{budget.name}')[:100] or 'budget'}-{budget.pk}.{extension}"


CSV_COLUMNS = [
    "campaign",
    "budget_id",
    "budget",
    "district",
    "amount",
    "ballot_type",
    "counting_rule",
    "ballots",
    "project_id",
    "project",
    "cost",
    "score",
    "score_unit",
    "selected",
    "implementation_status",
    "progress",
    "pabulib_file",
]


def _rows(request, budgets):
    """One row per project on the ballot; the same number of queries for one budget or a hundred."""
    budgets = list(budgets)
    scored = scored_projects(budgets=budgets)
    for budget in budgets:
        projects, ballot_count = scored[budget.pk]
        pabulib_url = request.build_absolute_uri(reverse("budget-pabulib", args=[budget.pk]))
        score_unit = "points" if budget.ballot_type == BallotType.CUMULATIVE else "votes"
        for project in projects:
            yield [
                _cell(budget.page.title),
                budget.pk,
                _cell(budget.name),
                _cell(budget.area.name if budget.area_id else ""),
                budget.amount,
                budget.ballot_type,
                budget.published_rule or budget.counting_rule,
                ballot_count,
                _cell(project.pabulib_id),
                _cell(project.title),
                project.cost,
                project.score,
                score_unit,
                1 if project.selected else 0,
                project.implementation_status,
                project.progress,
                pabulib_url,
            ]


def _csv_response(request, budgets, file_name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets then read the accents right
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(request, budgets))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def budget_pabulib(request, pk):
    budget = get_object_or_404(published_budgets(), pk=pk)
    response = HttpResponse(budget_export_pabulib(budget=budget), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(budget, "pb")}"'
    return response


def budget_csv(request, pk):
    budget = get_object_or_404(published_budgets(), pk=pk)
    return _csv_response(request, [budget], _file_name(budget, "csv"))


def budgets_csv(request):
    return _csv_response(request, published_budgets(), "budgets-participatifs.csv")


def open_data(request):
    return render(
        request,
        "budget_participatif/open_data.html",
        {"budgets": list(published_budgets()), "title": _("Participatory budgets: open data")},
    )
