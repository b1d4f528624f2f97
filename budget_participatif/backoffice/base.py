"""What every participatory-budget staff screen shares: the staff permission and breadcrumbs. The mixins,
safe redirects and form errors are the core's (``civic.core.backoffice``), shared by every module."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from civic.core import backoffice
from civic.core.backoffice import HOME, errors_to_form, safe_next  # noqa: F401 - the budget's screens import them here

REVIEW_QUEUE = {"url": reverse_lazy("bp_review:queue"), "label": _("Ideas to review")}
BUDGETS = {"url": reverse_lazy("bp_ballots:index"), "label": _("Ballots and results")}

#: Agents and administrators (and superusers): who reviews ideas and composes ballots.
STAFF_PERMISSION = "budget_participatif.review_idea"


class StaffRequiredMixin(backoffice.StaffRequiredMixin):
    """Refuses (403) anyone who is not council staff for the participatory budget."""

    staff_permission = STAFF_PERMISSION


class StaffScreenMixin(backoffice.StaffScreenMixin):
    """A participatory-budget staff page in the Wagtail admin, with its breadcrumbs."""

    staff_permission = STAFF_PERMISSION
