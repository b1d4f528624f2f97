import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live pages directly under the site's home that are marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return site.root_page.get_children().live().in_menu().public().specific()


@register.simple_tag(takes_context=True)
def site_root_url(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.url if site else "/"


@register.simple_tag
def json_script_config(element_id, value):
    """Like json_script, for dictionaries built in Python: data for the JS modules."""
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")),  # noqa: S308
    )
