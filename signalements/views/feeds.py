"""Alerts as RSS/Atom: new reports in an area or around a point, and the updates of one report."""

import math
import re

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from civic.core.geo import bbox_around, distance_m
from civic.territory.models import Area

from ..models import Report
from ..services import coordinates_clean

FEED_SIZE = 50
# Characters XML 1.0 cannot carry (Django's feed writer refuses them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain_text(text: str) -> str:
    """What residents wrote, for a feed: readers show RSS descriptions and Atom summaries as HTML,
    so the text is escaped there and shows as the text it is, never as markup or script."""
    return escape(_CONTROL.sub("", text or ""))


class NewReportsFeed(Feed):
    """``?area=<id>`` or ``?lon=..&lat=..&radius=<m>`` (radius up to 5 km); everything otherwise."""

    def get_object(self, request):
        params = request.GET
        if params.get("area"):
            try:
                return {"area": get_object_or_404(Area, pk=int(params["area"]))}
            except ValueError:
                raise Http404 from None
        if params.get("lon") or params.get("lat"):
            try:
                lon, lat = coordinates_clean(params.get("lon"), params.get("lat"))
                radius = float(params.get("radius", 500))
            except (ValidationError, ValueError):
                raise Http404 from None
            if not math.isfinite(radius):  # nan passes min() and max()
                raise Http404
            radius = min(max(radius, 10), 5000)
            return {"point": (lon, lat), "radius": radius}
        return {}

    def title(self, obj):
        if "area" in obj:
            return _("New reports in %(area)s") % {"area": obj["area"].name}
        if "point" in obj:
            return _("New reports within %(radius)s m") % {"radius": int(obj["radius"])}
        return _("New reports")

    def link(self, obj):
        return reverse("report-list")

    def description(self, obj):
        return self.title(obj)

    def items(self, obj):
        reports = Report.objects.public().select_related("category").order_by("-created_at")
        if "area" in obj:
            area = obj["area"]
            return list(reports.filter(area__in=Area.objects.descendants_of(area, include_self=True))[:FEED_SIZE])
        if "point" in obj:
            lon, lat = obj["point"]
            candidates = reports.in_bbox(*bbox_around(lon, lat, obj["radius"]))[: FEED_SIZE * 4]
            return [r for r in candidates if distance_m(lon, lat, r.longitude, r.latitude) <= obj["radius"]][:FEED_SIZE]
        return list(reports[:FEED_SIZE])

    def item_title(self, item):
        return _CONTROL.sub("", f"{item.category.name} · {item.get_state_display()}")

    def item_description(self, item):
        return plain_text(item.description)

    def item_pubdate(self, item):
        return item.created_at


class NewReportsAtomFeed(NewReportsFeed):
    feed_type = Atom1Feed
    subtitle = NewReportsFeed.description


class ReportUpdatesFeed(Feed):
    def get_object(self, request, pk):
        report = get_object_or_404(Report.objects.public().select_related("category"), pk=pk)
        return report

    def title(self, obj):
        return _("Updates of report #%(id)s (%(category)s)") % {"id": obj.pk, "category": obj.category.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return plain_text(obj.description)

    def items(self, obj):
        return obj.updates.public().order_by("-created_at")[:FEED_SIZE]

    def item_title(self, item):
        if item.new_state:
            return _("State: %(state)s") % {"state": item.get_new_state_display()}
        return item.get_kind_display()

    def item_description(self, item):
        return plain_text(item.text)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at
