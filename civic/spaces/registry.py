"""The participatory-space types of the site, and what each one adds to the shared pages.

A participation module registers its space page model once, in its ``AppConfig.ready()``::

    from civic.spaces import registry

    registry.register(BudgetPage, label=_("Participatory budgets"), my_space=my_space_section)

Shared apps (the home page, the main menu, the spaces list, "my space", the personal-data
export and erasure) read this registry; they never import a module. The page model follows the
contract of :class:`civic.spaces.models.SpaceMixin`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models


@dataclass(frozen=True)
class SpaceType:
    model: type[models.Model]
    label: str  # plural, for menus and filters: "Participatory budgets"
    order: int = 100

    @property
    def key(self) -> str:
        return self.model._meta.label_lower.replace(".", "-")


@dataclass(frozen=True)
class PersonalData:
    """What a module holds about a person, for "my space" and the RGPD rights.

    ``section(user) -> dict | None``: the context of the module's "my space" section (rendered
    with ``template``), or None to show nothing. ``export(user) -> (data, files)``: JSON-ready data
    and a list of ``(name in the archive, storage path)``. ``erase(user)``: erase what is personal
    and detach what must stay (contributions, ballots) before the account is deleted.
    """

    key: str
    label: str
    order: int = 100
    template: str = ""
    section: Callable | None = None
    export: Callable | None = None
    erase: Callable | None = None


_types: dict[type[models.Model], SpaceType] = {}
_personal: dict[str, PersonalData] = {}


def register(model: type[models.Model], *, label: str, order: int = 100) -> SpaceType:
    """Make ``model`` (a Wagtail page using ``SpaceMixin``) a participatory-space type. Idempotent."""
    from .models import SpaceMixin

    if not issubclass(model, SpaceMixin):
        raise ImproperlyConfigured(f"{model.__name__} must use civic.spaces.models.SpaceMixin.")
    space_type = SpaceType(model=model, label=label, order=order)
    _types[model] = space_type
    return space_type


def register_personal_data(
    key: str,
    *,
    label: str,
    order: int = 100,
    template: str = "",
    section: Callable | None = None,
    export: Callable | None = None,
    erase: Callable | None = None,
) -> PersonalData:
    """Declare what a module holds about people (any app, space or not). Idempotent."""
    if section is not None and not template:
        raise ImproperlyConfigured(f"The '{key}' section needs a template.")
    entry = PersonalData(
        key=key, label=label, order=order, template=template, section=section, export=export, erase=erase
    )
    _personal[key] = entry
    return entry


def unregister(model: type[models.Model]) -> None:
    _types.pop(model, None)


def space_types() -> list[SpaceType]:
    return sorted(_types.values(), key=lambda space_type: (space_type.order, space_type.key))


def type_for_key(key: str) -> SpaceType | None:
    return next((space_type for space_type in _types.values() if space_type.key == key), None)


def type_of(page) -> SpaceType | None:
    return _types.get(type(page)._meta.concrete_model)


def personal_data() -> list[PersonalData]:
    return sorted(_personal.values(), key=lambda entry: (entry.order, entry.key))
