from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "civic.territory"
    label = "civic_territory"
    verbose_name = _("Territory")
