from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from civic.core.models import TimeStampedModel


class AreaKind(models.TextChoices):
    INTERCOMMUNALITY = "intercommunalite", _("Intercommunality")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    QUARTIER = "quartier", _("Neighbourhood")


#: How deep the parent chain may go (commune, district, neighbourhood...): a cycle or a bad import stops here.
MAX_DEPTH = 10


class AreaQuerySet(models.QuerySet):
    def containing(self, point):
        """Areas whose boundary contains the point (SRID 4326), smallest first."""
        return self.filter(geometry__contains=point).order_by("-depth", "name")

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def ancestors_of(self, area, *, include_self: bool = True):
        """``area`` (an Area or its id) and the areas that contain it by the parent chain, smallest
        first: a district, then its commune. One query per level (a territory has a few levels)."""
        area_id = getattr(area, "pk", area)
        ids, seen = [], set()
        while area_id is not None and area_id not in seen and len(ids) < MAX_DEPTH:
            seen.add(area_id)
            ids.append(area_id)
            area_id = Area.objects.filter(pk=area_id).values_list("parent_id", flat=True).first()
        if not include_self:
            ids = ids[1:]
        return self.filter(pk__in=ids).order_by("-depth", "name")

    def descendants_of(self, area, *, include_self: bool = True):
        """``area`` (an Area or its id) and every area inside it, at any depth. One query per level."""
        area_id = getattr(area, "pk", area)
        if area_id is None:
            return self.none()
        ids, frontier = [area_id], [area_id]
        for _level in range(MAX_DEPTH):
            frontier = [
                pk for pk in Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True) if pk not in ids
            ]
            if not frontier:
                break
            ids.extend(frontier)
        if not include_self:
            ids = ids[1:]
        return self.filter(pk__in=ids)


class Area(TimeStampedModel):
    """A part of the territory: a commune, a district, a neighbourhood..."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices, default=AreaKind.COMMUNE)
    code = models.CharField(
        _("official code"), max_length=40, blank=True, help_text=_("INSEE code of a commune, or a local code.")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    geometry = models.MultiPolygonField(_("boundary"), srid=4326)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~models.Q(code=""), name="territory_area_unique_kind_code"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.code = self.code.strip()
        self.depth = (self.parent.depth + 1) if self.parent_id else 0
        super().save(*args, **kwargs)
