"""Staff back office (Wagtail admin): inbox per service with bulk actions, indicators, exports."""

import csv
import io
import statistics
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.core.geojson import GEOJSON_MEDIA_TYPE, feature_collection_json, row_feature
from civic.moderation.exceptions import NotAllowed

from . import conf
from .models import OPEN_STATES, Category, Report, Service
from .selectors import ReportFilters
from .services import report_assign, report_update_create
from .services.lifecycle import STAFF_STATES

STAFF_EXPORT_FIELDS = [
    "id",
    "category",
    "service",
    "state",
    "priority",
    "area",
    "longitude",
    "latitude",
    "created_at",
    "acknowledged_at",
    "closed_at",
    "assigned_to",
    "reporter",
    "reporter_email",
    "reporter_phone",
    "description",
]


def _require_staff(request):
    if not request.user.has_perm("signalements.view_inbox"):
        raise PermissionDenied


def inbox_reports(request):
    filters = ReportFilters.from_params(request.GET)
    reports = Report.objects.exclude(state="unconfirmed").select_related(
        "category", "service", "area", "assigned_to", "reporter"
    )
    user = request.user
    if not (user.is_superuser or user.has_role("administrator")) and not filters.service:
        mine = list(user.report_services.values_list("pk", flat=True))
        if mine:
            reports = reports.filter(service_id__in=mine)
    return filters, filters.apply(reports).order_by("-created_at")


def inbox(request):
    _require_staff(request)
    if request.method == "POST":
        return _bulk(request)
    filters, reports = inbox_reports(request)
    page = Paginator(reports, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "signalements/admin/inbox.html",
        {
            "page_obj": page,
            "filters": filters,
            "services": Service.objects.all(),
            "categories": Category.objects.all(),
            "states": STAFF_STATES,
            "state_labels": dict(Report._meta.get_field("state").choices),
            "agents": get_user_model().objects.filter(groups__name="agent", is_active=True),
            "query": query.urlencode(),
        },
    )


def _bulk(request):
    ids = request.POST.getlist("report")
    reports = Report.objects.filter(pk__in=ids).select_related("service")
    state, agent_id, text = request.POST.get("state", ""), request.POST.get("agent", ""), request.POST.get("text", "")
    agent = get_user_model().objects.filter(pk=agent_id).first() if agent_id else None
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


def indicators_rows(*, group_by: str, since=None):
    """Per service or category: open count, median days to acknowledge and to fix, overdue open reports."""
    now = timezone.now()
    since = since or now - timedelta(days=365)
    ack_limit = now - timedelta(days=conf.get("SIGNALEMENTS_ACKNOWLEDGE_DAYS"))
    fix_limit = now - timedelta(days=conf.get("SIGNALEMENTS_FIX_DAYS"))
    key = "service__name" if group_by == "service" else "category__name"
    rows: dict[str, dict] = {}
    data = (
        Report.objects.exclude(state__in=["unconfirmed", "hidden"])
        .filter(created_at__gte=since)
        .values_list(key, "state", "created_at", "acknowledged_at", "closed_at")
    )
    for name, state, created, acknowledged, closed in data.iterator(chunk_size=5000):
        row = rows.setdefault(name or "—", {"name": name or "—", "open": 0, "overdue": 0, "ack": [], "fix": []})
        if state in OPEN_STATES:
            row["open"] += 1
            if (state == "new" and created < ack_limit) or created < fix_limit:
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


def indicators(request):
    _require_staff(request)
    return render(
        request,
        "signalements/admin/indicators.html",
        {"by_service": indicators_rows(group_by="service"), "by_category": indicators_rows(group_by="category")},
    )


def _export_rows(reports):
    for report in reports.iterator(chunk_size=2000):
        yield {
            "id": report.pk,
            "category": report.category.name,
            "service": report.service.name if report.service else "",
            "state": report.state,
            "priority": report.priority,
            "area": report.area.name if report.area else "",
            "longitude": round(report.longitude, 6),
            "latitude": round(report.latitude, 6),
            "created_at": report.created_at.isoformat(),
            "acknowledged_at": report.acknowledged_at.isoformat() if report.acknowledged_at else "",
            "closed_at": report.closed_at.isoformat() if report.closed_at else "",
            "assigned_to": str(report.assigned_to or ""),
            "reporter": report.reporter.display_name if report.reporter else report.reporter_name,
            "reporter_email": report.contact_email,
            "reporter_phone": report.reporter_phone,
            "description": report.description,
        }


def export(request, fmt: str):
    """Staff exports of the inbox as filtered: they include the reporters' contact (staff only)."""
    _require_staff(request)
    _filters, reports = inbox_reports(request)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=STAFF_EXPORT_FIELDS)
        writer.writeheader()
        writer.writerows(_export_rows(reports))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Incident reports"))
        sheet.append(STAFF_EXPORT_FIELDS)
        for row in _export_rows(reports):
            sheet.append([row[field] for field in STAFF_EXPORT_FIELDS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(
            feature_collection_json(row_feature(row) for row in _export_rows(reports)),
            content_type=GEOJSON_MEDIA_TYPE,
        )
        fmt = "geojson"
    response["Content-Disposition"] = f'attachment; filename="signalements-staff.{fmt}"'
    return response
