from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "civic.cms"
    label = "civic_cms"
    verbose_name = _("Site pages")

    def ready(self):
        from . import signals

        signals.connect()
