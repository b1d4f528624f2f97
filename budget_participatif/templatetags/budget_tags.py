from django import template
from django.utils import formats

register = template.Library()


@register.filter
def money(value):
    """A whole amount with the language's thousands separator: ``300 000`` in French."""
    if value in (None, ""):
        return ""
    return formats.number_format(int(value), force_grouping=True)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
