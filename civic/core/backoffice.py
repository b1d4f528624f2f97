"""What every module's staff screens in the Wagtail admin share: one staff mixin, safe redirects,
service errors on forms.

A module's back office (``<module>/backoffice/``) names the permission that lets staff in::

    class ReportStaffMixin(StaffScreenMixin):
        staff_permission = "signalements.view_inbox"
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")}


class StaffRequiredMixin:
    """Refuses (403) anyone without the module's ``staff_permission`` (checked without an object)."""

    staff_permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.staff_permission:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its staff_permission.")
        if not request.user.has_perm(self.staff_permission, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffScreenMixin(StaffRequiredMixin, WagtailAdminTemplateMixin):
    """A staff page in the Wagtail admin, with its breadcrumbs (``parents`` + its own title)."""

    parents = (HOME,)
    header_icon = "decimal"

    def get_breadcrumbs_items(self):
        return [*self.parents, {"url": "", "label": self.get_page_title()}]


def safe_next(request, fallback: str) -> str:
    """The ``next`` parameter when it points inside this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return str(fallback)


def errors_to_form(form, exc) -> None:
    """Copy a service's ValidationError onto the form: per field when it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
