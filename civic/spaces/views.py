from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import registry
from .models import SpaceStatus
from .selectors import area_choices, space_cards, spaces_grouped


def space_filters(request) -> dict:
    """The type, area and status filters read from the query string; unknown values are ignored.
    ``area=home`` means the person's home area ("near me")."""
    params = request.GET
    type_key = params.get("type", "")
    if registry.type_for_key(type_key) is None:
        type_key = ""
    status = params.get("status", "")
    if status not in SpaceStatus.values:
        status = ""
    home_area_id = getattr(request.user, "home_area_id", None) if request.user.is_authenticated else None
    area_id = None
    raw_area = params.get("area", "")
    if raw_area == "home":
        area_id = home_area_id
    elif raw_area.isdigit() and len(raw_area) < 12:
        area_id = int(raw_area)
    areas = list(area_choices())
    area = next((choice for choice in areas if choice.pk == area_id), None)
    return {
        "type_key": type_key,
        "status": status,
        "area": area,
        "home_area_id": home_area_id,
        "near_me": area is not None and area.pk == home_area_id,
        "area_choices": areas,
        "type_choices": registry.space_types(),
        "status_choices": SpaceStatus.choices,
    }


def home_spaces_context(request) -> dict:
    """What the home page shows about the spaces: open spaces' actions, then now / coming / ended."""
    filters = space_filters(request)
    cards = space_cards(request, area=filters["area"])
    groups = spaces_grouped(cards)
    actions = [card for card in groups[SpaceStatus.OPEN] if card.action is not None]
    return {
        "space_filters": filters,
        "space_actions": actions,
        "spaces_open": groups[SpaceStatus.OPEN],
        "spaces_upcoming": groups[SpaceStatus.UPCOMING],
        "spaces_closed": groups[SpaceStatus.CLOSED],
    }


class SpaceListView(TemplateView):
    """Every participatory space of the site, filtered by type, area and status."""

    template_name = "spaces/space_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = space_filters(self.request)
        cards = space_cards(self.request, type_key=filters["type_key"], area=filters["area"], status=filters["status"])
        context.update({"space_filters": filters, "cards": cards, "title": _("Participatory spaces")})
        return context
