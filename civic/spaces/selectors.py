"""Reads on participatory spaces: the cards of the home page, the spaces list and the menu."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from civic.territory.models import Area

from . import registry
from .models import SpaceAction, SpacePhase, SpaceStatus

CARD_RENDITION = "fill-640x320"


@dataclass
class SpaceCard:
    """A space as lists show it, computed once per request."""

    page: object
    space_type: registry.SpaceType
    url: str
    status: str
    phase: SpacePhase | None
    action: SpaceAction | None
    opens_at: datetime | None
    closes_at: datetime | None
    areas: list = field(default_factory=list)
    phases: list[SpacePhase] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return SpaceStatus(self.status).label

    @property
    def permanent(self) -> bool:
        return self.page.space_permanent

    @property
    def kind(self) -> str:
        return str(self.page._meta.verbose_name)


def _root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


def live_spaces(request, *, type_key: str = "", for_cards: bool = True):
    """The live, public space pages of the request's site, per registered type (a few queries per
    type, whatever the number of spaces), in the specific page class; ``for_cards`` brings their
    areas and card image too."""
    root = _root(request)
    if root is None:
        return []
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION) if for_cards else None
    pages = []
    for space_type in registry.space_types():
        if type_key and space_type.key != type_key:
            continue
        queryset = space_type.model.objects.live().public().descendant_of(root, inclusive=True).order_by("path")
        if for_cards:
            queryset = queryset.prefetch_related("areas", Prefetch("image", queryset=images))
        pages.extend((space_type, page) for page in queryset)
    return pages


def space_cards(
    request,
    *,
    type_key: str = "",
    area: Area | int | None = None,
    status: str = "",
    now: datetime | None = None,
) -> list[SpaceCard]:
    """Cards of the live spaces, filtered by type, by area (a space concerns an area when it names
    the area, one containing it or one inside it, or names none: the whole territory) and status.

    Open spaces come first (permanent ones, then those closing soonest), then upcoming ones (opening
    soonest), then closed ones (latest closed first)."""
    now = now or timezone.now()
    lineage = Area.objects.lineage_ids(area) if area else None
    cards = []
    for space_type, page in live_spaces(request, type_key=type_key):
        areas = list(page.areas.all())
        if lineage is not None and areas and not any(a.pk in lineage for a in areas):
            continue
        state = page.space_state_at(now)
        if status and state.status != status:
            continue
        cards.append(
            SpaceCard(
                page=page,
                space_type=space_type,
                url=page.get_url(request=request),
                status=state.status,
                phase=state.phase,
                action=page.space_action(request),
                opens_at=state.opens_at,
                closes_at=state.closes_at,
                areas=areas,
                phases=state.phases,
            )
        )
    return sorted(cards, key=_order)


def _order(card: SpaceCard):
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    if card.status == SpaceStatus.OPEN:
        return (0, card.closes_at or datetime.min.replace(tzinfo=far.tzinfo), card.page.title)
    if card.status == SpaceStatus.UPCOMING:
        return (1, card.opens_at or far, card.page.title)
    return (2, -(card.closes_at or far).timestamp(), card.page.title)


def spaces_grouped(cards: list[SpaceCard]) -> dict[str, list[SpaceCard]]:
    groups: dict[str, list[SpaceCard]] = {status: [] for status in SpaceStatus.values}
    for card in cards:
        groups[card.status].append(card)
    return groups


def menu_entries(request) -> list[dict]:
    """One main-menu entry per space type that has live spaces: the space itself when it is the
    only one of its type, else the spaces list filtered by that type."""
    from django.urls import reverse

    entries, by_type = [], {}
    for space_type, page in live_spaces(request, for_cards=False):
        by_type.setdefault(space_type, []).append(page)
    for space_type, pages in by_type.items():
        if len(pages) == 1:
            entries.append({"pk": pages[0].pk, "url": pages[0].get_url(request=request), "title": pages[0].title})
        else:
            url = f"{reverse('space-list')}?type={space_type.key}"
            entries.append({"pk": None, "url": url, "title": str(space_type.label)})
    return entries


def area_choices():
    """Areas people filter spaces by: communes, districts and neighbourhoods, largest first."""
    return Area.objects.order_by("depth", "name").only("pk", "name", "depth")
