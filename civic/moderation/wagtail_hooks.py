"""The moderation menu and screens in the Wagtail admin (moderators and administrators only)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include(admin_urls, namespace="civic_moderation"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    menu = Menu(
        items=[
            PermissionMenuItem(
                _("Queue"),
                reverse("civic_moderation:queue"),
                name="moderation-queue",
                icon_name="warning",
                order=100,
                permission="civic_moderation.view_queue",
            ),
            PermissionMenuItem(
                _("Blocked people"),
                reverse("civic_moderation:blocks"),
                name="moderation-blocks",
                icon_name="lock",
                order=200,
                permission="civic_moderation.view_queue",
            ),
            PermissionMenuItem(
                _("Moderation log"),
                reverse("civic_moderation:decisions"),
                name="moderation-log",
                icon_name="history",
                order=300,
                permission="civic_moderation.view_decisions",
            ),
        ]
    )
    return SubmenuMenuItem(_("Moderation"), menu, name="moderation", icon_name="warning", order=250)
