from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from civic.core.models import TimeStampedModel


class AreaKind(models.TextChoices):
    INTERCOMMUNALITY = "intercommunalite", _("Intercommunality")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    QUARTIER = "quartier", _("Neighbourhood")


class AreaQuerySet(models.QuerySet):
    def containing(self, point):
        """Areas whose boundary contains the point (SRID 4326), smallest first."""
        return self.filter(geometry__contains=point).order_by("-depth", "name")

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def ancestors_of(self, area, *, include_self: bool = False):
        """The areas that contain ``area`` (its parent, their parent...), smallest first; ``area``
        itself first with ``include_self``. One query for the tree, one for the areas."""
        pk = getattr(area, "pk", area)
        ids = _ancestor_ids(_parents(), pk) | ({pk} if include_self and pk is not None else set())
        return self.filter(pk__in=ids).order_by("-depth", "name")

    def descendants_of(self, area, *, include_self: bool = False):
        """The areas inside ``area`` (its children, their children...); ``area`` itself too with
        ``include_self``. One query for the tree, one for the areas."""
        pk = getattr(area, "pk", area)
        if pk is None:  # no area: nothing inside it (not the whole tree under the roots)
            return self.none()
        ids = _descendant_ids(_parents(), pk) | ({pk} if include_self else set())
        return self.filter(pk__in=ids)

    def lineage_ids(self, area) -> set[int]:
        """``area``, the areas containing it and the areas inside it: what concerns someone living there.
        Empty when the area does not exist. One query."""
        pk, parents = getattr(area, "pk", area), _parents()
        if pk not in parents:
            return set()
        return {pk} | _ancestor_ids(parents, pk) | _descendant_ids(parents, pk)


def _parents() -> dict[int, int | None]:
    return dict(Area.objects.values_list("pk", "parent_id"))


def _ancestor_ids(parents: dict[int, int | None], pk) -> set[int]:
    ids: set[int] = set()
    while (pk := parents.get(pk)) is not None and pk not in ids:
        ids.add(pk)
    return ids


def _descendant_ids(parents: dict[int, int | None], pk) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for child, parent_id in parents.items():
        children.setdefault(parent_id, []).append(child)
    ids: set[int] = set()
    todo = [pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in ids:
                ids.add(child)
                todo.append(child)
    return ids


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
