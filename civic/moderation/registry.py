"""Which models are contributions that moderators look after.

Each module registers its contribution models once, in its ``AppConfig.ready()``::

    from civic.moderation import registry

    registry.register(Report, space_attr="portal_page", text_fields=["title", "description"])

``space_attr`` is a dotted attribute path from the contribution to its participatory space,
whose ``premoderation`` (bool) says whether new contributions wait for a moderator. When the
path leads to another registered contribution (a comment's ``target``), that one's space is used.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from . import conf


@dataclass(frozen=True)
class Entry:
    model: type[models.Model]
    space_attr: str | None
    text_fields: tuple[str, ...]
    author_attr: str | None = "author"  # None: staff write it, nobody is its author
    url: Callable[[models.Model], str | None] | None = None
    context: Callable[[models.Model], list[tuple[str, str]]] | None = None
    queue_prefetch: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


_registry: dict[type[models.Model], Entry] = {}


def register(
    model: type[models.Model],
    *,
    space_attr: str | None = None,
    text_fields: Iterable[str] = ("body",),
    author_attr: str | None = "author",
    url: Callable[[models.Model], str | None] | None = None,
    context: Callable[[models.Model], list[tuple[str, str]]] | None = None,
    queue_prefetch: Iterable[str] = (),
) -> Entry:
    """Make ``model`` (which uses the ``Moderated`` mixin) moderatable. Idempotent."""
    from .models import Moderated

    if not issubclass(model, Moderated):
        raise ImproperlyConfigured(f"{model.__name__} must use the civic.moderation.models.Moderated mixin.")
    names = {f.name for f in model._meta.get_fields()}
    text_fields = tuple(text_fields)
    missing = [name for name in text_fields if name not in names]
    if missing or not text_fields:
        raise ImproperlyConfigured(f"{model.__name__} has no text field(s) {missing or '(none given)'}.")
    entry = Entry(
        model=model,
        space_attr=space_attr,
        text_fields=text_fields,
        author_attr=author_attr,
        url=url,
        context=context,
        queue_prefetch=tuple(queue_prefetch),
    )
    _registry[model] = entry
    return entry


def unregister(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def entries() -> list[Entry]:
    return sorted(_registry.values(), key=lambda entry: entry.key)


def authored_entries() -> list[Entry]:
    """The types that residents write (those with an author), for what concerns a person."""
    return [entry for entry in entries() if entry.author_attr is not None]


def is_registered(model_or_obj) -> bool:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return model._meta.concrete_model in _registry


def entry_for(model_or_obj) -> Entry:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    try:
        return _registry[model._meta.concrete_model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} is not registered for moderation.") from None


def entry_for_key(key: str) -> Entry | None:
    return next((entry for entry in _registry.values() if entry.key == key), None)


def get_item(content_type_id: int, object_pk: str):
    """The registered contribution with this content type and pk, or None."""
    from civic.core.ids import model_for_id, object_for_key

    model = model_for_id(content_type_id)
    if model is None or model not in _registry:
        return None
    return object_for_key(content_type_id, object_pk)


def _follow(obj, path: str):
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def space_of(item):
    """The participatory space an item belongs to, or None."""
    entry = entry_for(item)
    if not entry.space_attr:
        return None
    space = _follow(item, entry.space_attr)
    seen = {id(item)}
    while space is not None and is_registered(space) and id(space) not in seen:
        seen.add(id(space))
        inner = entry_for(space)
        space = _follow(space, inner.space_attr) if inner.space_attr else None
    return space


def premoderation_for(space) -> bool:
    """Whether contributions in ``space`` wait for a moderator before they are published."""
    value = getattr(space, "premoderation", None) if space is not None else None
    if value is None:
        return bool(conf.get("CIVIC_MODERATION_PREMODERATION"))
    return bool(value)


def author_of(item):
    attr = entry_for(item).author_attr
    return _follow(item, attr) if attr else None


def author_id_of(item):
    attr = entry_for(item).author_attr
    if attr is None:
        return None
    if "." not in attr:
        return getattr(item, f"{attr}_id", None)
    author = author_of(item)
    return author.pk if author is not None else None


def text_of(item) -> dict[str, str]:
    return {name: getattr(item, name) or "" for name in entry_for(item).text_fields}


def url_of(item) -> str | None:
    entry = entry_for(item)
    if entry.url is not None:
        return entry.url(item)
    return object_url(item)


def object_url(obj) -> str | None:
    """A public URL of any object: Wagtail pages and models with get_absolute_url."""
    if obj is None:
        return None
    if hasattr(obj, "get_url"):
        try:
            return obj.get_url()
        except Exception:  # a page outside any site has no URL
            return None
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return None


def context_of(item) -> list[tuple[str, str]]:
    entry = entry_for(item)
    return entry.context(item) if entry.context else []


def label_of(item, length: int = 120) -> str:
    text = " ".join(" ".join(text_of(item).values()).split())
    if len(text) > length:
        text = text[: length - 1].rstrip() + "…"
    return f"{entry_for(item).label} #{item.pk}: {text}"
