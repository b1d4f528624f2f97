"""Incident reports in the Wagtail admin: the inbox, indicators, exports, and what staff configure."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import staff
from .models import Category, CategoryQuestion, Open311Client, ResponseTemplate, Service, ServiceRoute


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("signalements.view_inbox")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("signalements/", staff.inbox, name="signalements_inbox"),
        path("signalements/indicateurs/", staff.indicators, name="signalements_indicators"),
        path("signalements/export.<str:fmt>", staff.export, name="signalements_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_report_menu():
    menu = Menu(
        items=[
            StaffMenuItem(_("Inbox"), reverse("signalements_inbox"), name="reports-inbox", icon_name="mail", order=100),
            StaffMenuItem(
                _("Indicators"),
                reverse("signalements_indicators"),
                name="reports-indicators",
                icon_name="table",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("Incident reports"), menu, name="reports", icon_name="warning", order=240)


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "group"
    list_display = ["name", "code", "email"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "group", "service", "nearby_radius", "active"]
    list_filter = ["service", "active"]


class CategoryQuestionViewSet(SnippetViewSet):
    model = CategoryQuestion
    icon = "help"
    list_display = ["label", "category", "datatype", "required"]


class ServiceRouteViewSet(SnippetViewSet):
    model = ServiceRoute
    icon = "redirect"
    list_display = ["category", "area", "service"]


class ResponseTemplateViewSet(SnippetViewSet):
    model = ResponseTemplate
    icon = "doc-full"
    list_display = ["title", "state", "active"]
    list_filter = ["services", "categories", "active"]


class Open311ClientViewSet(SnippetViewSet):
    model = Open311Client
    icon = "code"
    list_display = ["name", "contact_email", "active"]


class ReportSetupGroup(SnippetViewSetGroup):
    menu_label = _("Report settings")
    menu_icon = "cog"
    menu_order = 245
    items = (
        ServiceViewSet,
        CategoryViewSet,
        CategoryQuestionViewSet,
        ServiceRouteViewSet,
        ResponseTemplateViewSet,
        Open311ClientViewSet,
    )


register_snippet(ReportSetupGroup)
