"""The agent's panel on the Wagtail dashboard: reports assigned to them, overdue, new in their services."""

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from ..models import OPEN_STATES, ReportState
from .base import STAFF_PERMISSION
from .selectors import overdue_condition, reports_for_staff

#: Reports listed under each count.
LISTED = 5


class ReportsPanel(Component):
    name = "signalements_reports"
    template_name = "signalements/admin/dashboard_panel.html"
    order = 90  # above Wagtail's own panels: the day's work first

    def __init__(self, request):
        self.request = request

    @staticmethod
    def is_shown(request) -> bool:
        return request.user.has_perm(STAFF_PERMISSION, None)

    def get_context_data(self, parent_context):
        user = self.request.user
        reports = reports_for_staff(user).select_related("category", "area")
        inbox = reverse("signalements_staff:inbox")
        groups = []
        for key, queryset, query in (
            ("mine", reports.filter(assigned_to=user, state__in=OPEN_STATES), {"mine": "1", "state": "open"}),
            ("overdue", reports.filter(overdue_condition()), {"overdue": "1"}),
            ("new", reports.filter(state=ReportState.NEW), {"state": "new"}),
        ):
            queryset = queryset.order_by("created_at", "pk")
            groups.append(
                {
                    "key": key,
                    "count": queryset.count(),
                    "reports": list(queryset[:LISTED]),
                    "url": f"{inbox}?{urlencode(query)}",
                }
            )
        return {"groups": groups, "inbox_url": inbox}
