from django import template

from civic.cms.chrome import site_chrome as cached_site_chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """The cached identity, menu and footer links of the current site (see civic.cms.chrome)."""
    request = context.get("request")
    if request is None:
        return {"root_url": "/", "menu": [], "footer_links": []}
    return cached_site_chrome(request)
