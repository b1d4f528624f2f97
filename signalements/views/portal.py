"""What the portal page (a Wagtail page at /signalements/) shows: map, filters and the list alternative."""

from django.core.paginator import Paginator

from civic.territory.models import Area

from ..models import Category, ReportState
from ..selectors import ReportFilters, reports_public_list

PAGE_SIZE = 20


def filter_choices() -> dict:
    return {
        "categories": Category.objects.filter(active=True).only("code", "name", "group"),
        "areas": Area.objects.order_by("depth", "name").only("pk", "name"),
        "states": [("open", None), ("closed", None)],
        "state_choices": [
            (value, label) for value, label in ReportState.choices if value not in ("unconfirmed", "hidden")
        ],
    }


def portal_context(request) -> dict:
    filters = ReportFilters.from_params(request.GET)
    reports = reports_public_list(filters=filters).prefetch_related("photos")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "page_obj": page,
        "reports": page.object_list,
        "query": query.urlencode(),
        "alert_form": _alert_form(request),
        **filter_choices(),
    }


def _alert_form(request):
    """The email alert form beside the feeds, starting from the list's area and category filters."""
    from ..forms import ReportAlertForm
    from .alerts import alert_form_initial

    return ReportAlertForm(user=request.user, initial=alert_form_initial(request))
