from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "civic.spaces"
    label = "civic_spaces"
    verbose_name = _("Participatory spaces")
