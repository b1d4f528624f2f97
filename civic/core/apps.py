from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civic.core"
    label = "civic_core"
    verbose_name = _("Core")

    def ready(self):
        from . import openapi  # noqa: F401 - registers the GeoJSON schema extension with drf-spectacular
