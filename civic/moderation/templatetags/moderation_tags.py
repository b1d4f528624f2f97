"""``{% load moderation_tags %}``: helpers for the moderation screens."""

from django import template
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
