"""Incident reports in the Wagtail admin: the staff screens and settings live in ``signalements/backoffice/``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from .backoffice.dashboard import ReportsPanel
from .backoffice.viewsets import ReportSetupGroup, ReportsStaffViewSet, StaffMenuItem


@hooks.register("register_admin_viewset")
def register_staff_viewset():
    return ReportsStaffViewSet()


@hooks.register("register_admin_menu_item")
def register_report_menu():
    menu = Menu(
        items=[
            StaffMenuItem(
                _("Inbox"), reverse("signalements_staff:inbox"), name="reports-inbox", icon_name="mail", order=100
            ),
            StaffMenuItem(
                _("Indicators"),
                reverse("signalements_staff:indicators"),
                name="reports-indicators",
                icon_name="table",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("Incident reports"), menu, name="reports", icon_name="warning", order=240)


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    if ReportsPanel.is_shown(request):
        panels.insert(0, ReportsPanel(request))


register_snippet(ReportSetupGroup)
