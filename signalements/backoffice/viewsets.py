"""The staff screens as a Wagtail viewset, and the report settings as snippet viewsets.

URL names: ``signalements_staff:inbox|indicators|export|report``.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..models import Category, CategoryQuestion, Open311Client, ResponseTemplate, Service, ServiceRoute
from .base import STAFF_PERMISSION
from .exports import ReportExportView
from .inbox import InboxView, IndicatorsView
from .report import ReportStaffView


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STAFF_PERMISSION, None)


class ReportsStaffViewSet(ViewSet):
    name = "signalements_staff"
    url_prefix = "signalements"
    icon = "warning"
    menu_label = _("Incident reports")
    menu_item_class = StaffMenuItem
    add_to_admin_menu = False  # the "Incident reports" submenu (wagtail_hooks.py) holds its screens

    def get_urlpatterns(self):
        return [
            path("", InboxView.as_view(), name="inbox"),
            path("indicateurs/", IndicatorsView.as_view(), name="indicators"),
            path("export.<str:fmt>", ReportExportView.as_view(), name="export"),
            path("<int:pk>/", ReportStaffView.as_view(), name="report"),
        ]


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "group"
    list_display = ["name", "code", "email"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "group", "service", "response_days", "fix_days", "active"]
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
