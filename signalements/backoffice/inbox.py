"""The inbox (the reports of the person's services, with age and overdue marks, bulk changes) and the
indicators per service and category."""

import statistics
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from civic.moderation.exceptions import NotAllowed

from ..models import OPEN_STATES, Category, Report
from ..services import report_assign, report_update_create
from ..services.lifecycle import STAFF_STATES
from .base import ReportStaffMixin, staff_reports
from .selectors import services_for_staff


class InboxView(ReportStaffMixin, TemplateView):
    template_name = "signalements/admin/inbox.html"
    page_title = gettext_lazy("Reports inbox")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters, reports = staff_reports(self.request)
        page = Paginator(reports, 50).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            page_obj=page,
            report_filters=filters,
            mine=self.request.GET.get("mine") == "1",
            overdue=self.request.GET.get("overdue") == "1",
            services=services_for_staff(self.request.user),
            categories=Category.objects.all(),
            states=STAFF_STATES,
            state_labels=dict(Report._meta.get_field("state").choices),
            agents=get_user_model().objects.filter(groups__name="agent", is_active=True),
            query=query.urlencode(),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Bulk changes: each report through the services, which check the person may change it."""
        _filters, visible = staff_reports(request)
        reports = visible.filter(pk__in=[pk for pk in request.POST.getlist("report") if pk.isdigit()])
        state, agent_id = request.POST.get("state", ""), request.POST.get("agent", "")
        text = request.POST.get("text", "")
        agent = get_user_model().objects.filter(pk=agent_id).first() if agent_id.isdigit() else None
        done, refused = 0, 0
        for report in reports:
            try:
                if state:
                    report_update_create(report=report, author=request.user, new_state=state, text=text)
                if agent is not None:
                    report_assign(report=report, agent=agent, by=request.user)
                done += 1
            except (NotAllowed, ValidationError):
                refused += 1
        if done:
            messages.success(request, _("%(n)s report(s) changed.") % {"n": done})
        if refused:
            messages.error(
                request, _("%(n)s report(s) could not be changed (permission or missing details).") % {"n": refused}
            )
        return redirect(request.get_full_path())


def _median_days(pairs) -> float | None:
    values = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return round(statistics.median(values), 1) if values else None


def indicators_rows(*, group_by: str, since=None, reports=None):
    """Per service or category: open count, median days to acknowledge and to fix, overdue open reports
    (by each category's response and fix times)."""
    now = timezone.now()
    since = since or now - timedelta(days=365)
    limits = {
        category.pk: (now - timedelta(days=category.response_limit_days), now - timedelta(days=category.fix_limit_days))
        for category in Category.objects.only("pk", "response_days", "fix_days")
    }
    key = "service__name" if group_by == "service" else "category__name"
    rows: dict[str, dict] = {}
    reports = Report.objects.all() if reports is None else reports
    data = (
        reports.exclude(state__in=["unconfirmed", "hidden"])
        .filter(created_at__gte=since)
        .values_list(key, "category_id", "state", "created_at", "acknowledged_at", "closed_at")
    )
    for name, category_id, state, created, acknowledged, closed in data.iterator(chunk_size=5000):
        row = rows.setdefault(name or "—", {"name": name or "—", "open": 0, "overdue": 0, "ack": [], "fix": []})
        if state in OPEN_STATES:
            row["open"] += 1
            response_limit, fix_limit = limits[category_id]
            if (state == "new" and created < response_limit) or created < fix_limit:
                row["overdue"] += 1
        row["ack"].append((created, acknowledged))
        if state == "fixed":
            row["fix"].append((created, closed))
    result = []
    biggest = max([row["open"] for row in rows.values()] or [1]) or 1
    for row in sorted(rows.values(), key=lambda item: item["name"]):
        result.append(
            {
                "name": row["name"],
                "open": row["open"],
                "overdue": row["overdue"],
                "median_ack": _median_days(row["ack"]),
                "median_fix": _median_days(row["fix"]),
                "bar": round(100 * row["open"] / biggest),
            }
        )
    return result


class IndicatorsView(ReportStaffMixin, TemplateView):
    template_name = "signalements/admin/indicators.html"
    page_title = gettext_lazy("Report indicators")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(by_service=indicators_rows(group_by="service"), by_category=indicators_rows(group_by="category"))
        return context
