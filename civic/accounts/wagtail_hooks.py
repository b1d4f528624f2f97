"""The personal-data screen in the Wagtail admin's Settings menu (administrators only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PERMISSION, PersonalDataRequestView


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "donnees-personnelles/",
            PersonalDataRequestView.as_view(),
            name="civic_accounts_admin_personal_data",
        )
    ]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu():
    return PersonalDataMenuItem(
        _("Personal data"), reverse("civic_accounts_admin_personal_data"), icon_name="user", order=650
    )
