from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    """The site's front page: an introduction, the territory's map and editorial blocks."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    show_map = models.BooleanField(_("show the territory map"), default=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("show_map"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from civic.spaces.views import home_spaces_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_spaces_context(request))
        return context


class StandardPage(Page):
    """An editorial page: about, legal notice, accessibility statement, help..."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["civic_cms.HomePage", "civic_cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteIdentity(ClusterableModel, BaseSiteSetting):
    """Who runs the site and how its maps look."""

    organisation_name = models.CharField(_("organisation name"), max_length=200, default="Ma commune")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    map_center_latitude = models.FloatField(_("map centre latitude"), default=46.6)
    map_center_longitude = models.FloatField(_("map centre longitude"), default=2.4)
    map_zoom = models.PositiveSmallIntegerField(_("map zoom"), default=13)
    map_bounds = models.CharField(
        _("map bounds"),
        max_length=120,
        blank=True,
        help_text=_("west,south,east,north in degrees; the map cannot be moved outside them. Empty: no limit."),
    )
    tile_url = models.CharField(
        _("tile URL"),
        max_length=300,
        blank=True,
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        help_text=_("A {z}/{x}/{y} template of the tile server. Empty: maps show areas without a background."),
    )
    tile_attribution = models.CharField(
        _("tile attribution"), max_length=300, blank=True, default="© OpenStreetMap contributors"
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("logo"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("map_center_latitude"),
                FieldPanel("map_center_longitude"),
                FieldPanel("map_zoom"),
                FieldPanel("map_bounds"),
                FieldPanel("tile_url"),
                FieldPanel("tile_attribution"),
            ],
            heading=_("Maps"),
        ),
        InlinePanel("footer_links", heading=_("Footer links"), label=_("link")),
    ]

    class Meta:
        verbose_name = _("site identity")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not -90 <= self.map_center_latitude <= 90 or not -180 <= self.map_center_longitude <= 180:
            raise ValidationError(_("The map centre must be a latitude within ±90 and a longitude within ±180."))
        if self.map_bounds and self.bounds is None:
            raise ValidationError({"map_bounds": _("Give four numbers: west,south,east,north.")})

    @property
    def bounds(self) -> list[float] | None:
        try:
            west, south, east, north = (float(value) for value in self.map_bounds.split(","))
        except ValueError:
            return None
        if west >= east or south >= north:
            return None
        return [west, south, east, north]

    def map_config(self) -> dict:
        return {
            "center": [self.map_center_latitude, self.map_center_longitude],
            "zoom": self.map_zoom,
            "bounds": self.bounds,
            "tileUrl": self.tile_url,
            "attribution": self.tile_attribution,
        }


class FooterLink(Orderable):
    setting = ParentalKey(SiteIdentity, related_name="footer_links", on_delete=models.CASCADE)
    label = models.CharField(_("label"), max_length=80)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("external URL"), blank=True)

    panels = [FieldPanel("label"), FieldPanel("page"), FieldPanel("url")]

    def __str__(self):
        return self.label

    @property
    def href(self) -> str:
        return self.page.url if self.page_id else self.url
