from django import template

from civic.notifications.selectors import is_following, target_key

register = template.Library()


@register.inclusion_tag("notifications/follow_button.html", takes_context=True)
def follow_button(context, target, following=None):
    """``{% follow_button object %}``: a button to follow or stop following a space or a contribution.

    Pass ``following=True`` or ``False`` when the page already knows, to spare a query per button.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    if following is None:
        following = is_following(user, target) if authenticated else False
    content_type_id, object_pk = target_key(target)
    return {
        "request": request,
        "authenticated": authenticated,
        "following": following,
        "content_type_id": content_type_id,
        "object_pk": object_pk,
        "target": target,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def target_url(context, target):
    """Where a followed thing lives: a page's URL, or the object's get_absolute_url(); else ""."""
    from wagtail.models import Page

    if isinstance(target, Page):
        return target.get_url(context.get("request")) or ""
    get_absolute_url = getattr(target, "get_absolute_url", None)
    return get_absolute_url() if callable(get_absolute_url) else ""
