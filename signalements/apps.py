from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalementsConfig(AppConfig):
    name = "signalements"
    label = "signalements"
    verbose_name = _("Incident reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.core.images import register_stored_images
        from civic.moderation import registry
        from civic.spaces import registry as spaces

        from . import receivers, rules  # noqa: F401
        from .models import Report, ReportPhoto, ReportsPortalPage, ReportUpdate
        from .photos import photo_limits, thumbnail_limits
        from .views.portal import portal_context

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
        receivers.connect()
        ReportsPortalPage.context_builder = staticmethod(portal_context)
        register_stored_images(ReportPhoto, "image", limits=photo_limits, size_fields=("width", "height"))
        register_stored_images(ReportPhoto, "thumbnail", limits=thumbnail_limits)
