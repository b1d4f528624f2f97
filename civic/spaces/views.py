from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from civic.cms.chrome import generation as chrome_generation
from civic.core.cache import cache_get, cache_set

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


HOME_CACHE_SECONDS = 300


def home_spaces_context(request) -> dict:
    """What the home page shows about the spaces: open spaces' actions, then now / coming / ended.

    Both fragments are the same for everyone looking at the same area, so they are kept in the
    cache under the page chrome's generation (any page published, moved or deleted starts anew),
    for at most five minutes and never past the next phase change of any space.
    """
    filters = space_filters(request)
    area = filters["area"]
    key = f"civic:spaces:home:{chrome_generation()}:{get_language()}:{area.pk if area else 'all'}"
    fragments = cache_get(key)
    if fragments is None:
        now = timezone.now()
        cards = space_cards(request, area=area, now=now)
        groups = spaces_grouped(cards)
        context = {
            "space_actions": [card for card in groups[SpaceStatus.OPEN] if card.action is not None],
            "spaces_open": groups[SpaceStatus.OPEN],
            "spaces_upcoming": groups[SpaceStatus.UPCOMING],
            "spaces_closed": groups[SpaceStatus.CLOSED],
        }
        fragments = {
            "actions": render_to_string("spaces/_home_actions.html", context, request=request),
            "lists": render_to_string("spaces/_home_lists.html", context, request=request),
        }
        boundaries = [
            moment
            for card in cards
            for phase in card.phases
            for moment in (phase.starts, phase.ends)
            if moment is not None and moment > now
        ]
        timeout = min([HOME_CACHE_SECONDS, *((moment - now).total_seconds() for moment in boundaries)])
        cache_set(key, fragments, max(1, int(timeout)))
    return {"space_filters": filters, "home_spaces": fragments}


class SpaceListView(TemplateView):
    """Every participatory space of the site, filtered by type, area and status."""

    template_name = "spaces/space_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = space_filters(self.request)
        cards = space_cards(self.request, type_key=filters["type_key"], area=filters["area"], status=filters["status"])
        context.update({"space_filters": filters, "cards": cards, "title": _("Participatory spaces")})
        return context
