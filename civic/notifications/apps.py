from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civic.notifications"
    label = "civic_notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from civic.spaces import registry as spaces

        from . import personal_data

        spaces.register_personal_data(
            "notifications",
            label=_("My notifications and follows"),
            order=60,
            template="notifications/_my_space.html",
            section=personal_data.my_space_section,
            export=personal_data.export,
        )
