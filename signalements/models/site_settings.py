"""Settings of incident reports that the council's staff change in the admin (Settings menu)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

BAN_REVERSE_URL = "https://api-adresse.data.gouv.fr/reverse/"


@register_setting(icon="site")
class ReportSettings(BaseSiteSetting):
    """Reverse geocoding: the street of a report or alert, asked of an address service (off by default)."""

    reverse_geocoding = models.BooleanField(
        _("find the street of each report"),
        default=False,
        help_text=_(
            "When ticked, the position of each new report and alert is sent to the address service below, "
            "which answers with the nearest street. Failures are ignored: the form never waits for it."
        ),
    )
    reverse_geocoding_url = models.URLField(
        _("address service URL"),
        max_length=300,
        default=BAN_REVERSE_URL,
        help_text=_(
            "A service answering like the Base Adresse Nationale's reverse API (GeoJSON, ?lon=&lat=), "
            "such as https://api-adresse.data.gouv.fr/reverse/."
        ),
    )

    panels = [FieldPanel("reverse_geocoding"), FieldPanel("reverse_geocoding_url")]

    class Meta:
        verbose_name = _("reports: street names")
