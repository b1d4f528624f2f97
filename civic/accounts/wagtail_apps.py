"""Wagtail's users app, pointed at our user screens (see wagtail_users.py)."""

from wagtail.users.apps import WagtailUsersAppConfig


class CivicWagtailUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "civic.accounts.wagtail_users.UserViewSet"
