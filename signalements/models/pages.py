from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from civic.spaces.models import SpaceAction, SpaceMixin


class ReportsPortalPage(SpaceMixin, Page):
    """The incident reports space: where residents report problems and follow them (/signalements/)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    premoderation = models.BooleanField(
        _("pre-moderation"), default=False, help_text=_("New reports wait for a moderator before they are published.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), *SpaceMixin.space_panels, FieldPanel("premoderation")]
    space_permanent = True
    parent_page_types = ["civic_cms.HomePage"]
    subpage_types = []
    max_count = 1
    template = "signalements/reports_portal_page.html"

    class Meta:
        verbose_name = _("reports portal")

    #: What the page shows besides its fields (map, filters, list, alert form), built by the views
    #: layer: set in ``SignalementsConfig.ready()`` so that a model never imports a view.
    context_builder = None

    def space_action(self, request) -> SpaceAction:
        from django.urls import reverse

        return SpaceAction(_("Report a problem"), reverse("report-create"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if type(self).context_builder is not None:
            context.update(type(self).context_builder(request))
        return context
