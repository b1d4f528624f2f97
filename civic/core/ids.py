"""Ids that come from outside (URLs, forms, query strings) name nothing when they cannot be one.

Primary keys are 64-bit integers: a word, or a number past 2**63 (which SQLite cannot even bind),
names nothing, so the answer is "not found", never a server error.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def pk_clean(model, value):
    """``value`` as ``model``'s primary key, or None when it cannot be one."""
    if value is None or str(value).strip() == "":
        return None
    try:
        value = model._meta.pk.to_python(str(value).strip())
    except (ValidationError, ValueError, TypeError):
        return None
    if isinstance(value, int) and not ID_MIN <= value <= ID_MAX:
        return None
    return value


def int_id(value) -> int | None:
    """A 64-bit integer id from text, or None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if ID_MIN <= number <= ID_MAX else None


def model_for_id(content_type_id):
    """The model class of a content type id, or None."""
    content_type_id = int_id(content_type_id)
    if content_type_id is None:
        return None
    try:
        return ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def object_for_key(content_type_id, object_pk):
    """The object named by a (content type id, pk) pair from outside, or None."""
    model = model_for_id(content_type_id)
    if model is None:
        return None
    pk = pk_clean(model, object_pk)
    return None if pk is None else model._default_manager.filter(pk=pk).first()
