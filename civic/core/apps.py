from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civic.core"
    label = "civic_core"
    verbose_name = _("Core")

    def ready(self):
        from . import openapi  # noqa: F401 - registers the GeoJSON schema extension with drf-spectacular
        from .coordinates import territory_bounds_forget

        # The territory's bounds (civic.core.coordinates) come from the areas and the site's map bounds.
        for model in ("civic_territory.Area", "civic_cms.SiteIdentity"):
            post_save.connect(territory_bounds_forget, sender=model, dispatch_uid=f"territory-bounds-save-{model}")
            post_delete.connect(territory_bounds_forget, sender=model, dispatch_uid=f"territory-bounds-delete-{model}")
