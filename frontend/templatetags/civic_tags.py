import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def json_script_config(element_id, value):
    """Like json_script, for dictionaries built in Python: data for the JS modules."""
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")),  # noqa: S308
    )
