from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalementsConfig(AppConfig):
    name = "signalements"
    label = "signalements"
    verbose_name = _("Incident reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.moderation import registry
        from civic.spaces import registry as spaces

        from . import receivers, rules  # noqa: F401
        from .models import Report, ReportsPortalPage, ReportUpdate

        spaces.register(ReportsPortalPage, label=_("Incident reports"), order=10)
        from . import personal_data

        spaces.register_personal_data(
            "reports",
            label=_("My reports"),
            order=10,
            template="signalements/_my_space.html",
            section=personal_data.my_space_section,
            export=personal_data.export,
            erase=personal_data.erase,
        )

        registry.register(Report, space_attr="portal", text_fields=["description"], author_attr="reporter")
        registry.register(ReportUpdate, space_attr="report", text_fields=["text"], author_attr="author")

        from .services.map_cells import connect_signals

        connect_signals()
