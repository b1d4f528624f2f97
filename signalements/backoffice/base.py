"""What every staff screen of incident reports shares: who may open it, its breadcrumbs, the reports shown."""

from dataclasses import replace

from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from civic.core.backoffice import HOME, StaffRequiredMixin, StaffScreenMixin

from ..models import Service
from ..selectors import ReportFilters
from .selectors import overdue_condition, reports_for_staff

#: Agents and administrators (and superusers).
STAFF_PERMISSION = "signalements.view_inbox"
INBOX = {"url": reverse_lazy("signalements_staff:inbox"), "label": _("Reports inbox")}


class ReportStaffRequiredMixin(StaffRequiredMixin):
    """Refuses (403) anyone who is not staff for incident reports (no page of its own: exports, actions)."""

    staff_permission = STAFF_PERMISSION


class ReportStaffMixin(StaffScreenMixin):
    """A staff page of incident reports in the Wagtail admin."""

    staff_permission = STAFF_PERMISSION
    header_icon = "warning"
    parents = (HOME,)


def staff_reports(request):
    """The inbox's filters and reports for the person asking: their services only (an unknown service, or
    another team's, is a 404: never their reports), with ``mine=1`` and ``overdue=1`` on top of the
    public list's filters."""
    filters = ReportFilters.from_params(request.GET)
    try:
        reports = reports_for_staff(request.user, service=filters.service)
    except Service.DoesNotExist:
        raise Http404("No such service among yours.") from None
    reports = replace(filters, service=None).apply(reports)  # the service is applied above, within theirs
    if request.GET.get("mine") == "1":
        reports = reports.filter(assigned_to=request.user)
    if request.GET.get("overdue") == "1":
        reports = reports.filter(overdue_condition())
    return filters, reports.select_related("category", "service", "area", "assigned_to", "reporter").order_by(
        "-created_at", "-pk"
    )
