"""``{% load moderation_tags %}``: helpers for the moderation screens."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..screening import EMAIL_RE, FRENCH_PHONE_RE, normalise, watched_pattern

register = template.Library()


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    characters, positions = [], []
    for index, character in enumerate(text):
        for normal in normalise(character):
            characters.append(normal)
            positions.append(index)
    return "".join(characters), positions


def hold_spans(text: str) -> list[tuple[int, int]]:
    """Where personal data and watched words are in ``text`` (start, end), merged and sorted."""
    spans = [match.span() for regex in (EMAIL_RE, FRENCH_PHONE_RE) for match in regex.finditer(text)]
    pattern = watched_pattern()
    if pattern is not None:
        normal, positions = _normalised_with_positions(text)
        for match in pattern.finditer(normal):
            if match.end() > match.start():
                spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@register.filter
def highlight_holds(text):
    """The text, escaped, with line breaks, and what held it (personal data, watched words) in <mark>."""
    text = str(text or "")
    parts, cursor = [], 0
    for start, end in hold_spans(text):
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # noqa: S308 - every piece of text is escaped


@register.inclusion_tag("moderation/_flag_link.html", takes_context=True)
def flag_link(context, item):
    """``{% flag_link report %}``: the way to tell the moderators about a contribution, as comments
    have it (the same form and reasons), for logged-in people who may flag it; "reported" once done."""
    from .. import registry
    from ..models import Flag

    request = context.get("request")
    user = getattr(request, "user", None)
    shown = {"show": False}
    if user is None or not user.is_authenticated or item is None or not registry.is_registered(item):
        return shown
    content_type = ContentType.objects.get_for_model(item)
    if Flag.objects.filter(content_type=content_type, object_pk=str(item.pk), flagged_by=user).exists():
        return {"show": True, "flagged": True}
    if not user.has_perm("civic_moderation.flag_contribution", item):
        return shown
    url = reverse("flag-create", args=[content_type.pk, item.pk])
    return {"show": True, "flagged": False, "url": f"{url}?{urlencode({'next': request.get_full_path()})}"}
