"""Template helpers of the reports' staff screens."""

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def age(moment) -> str:
    """How long ago, in its largest unit only ("3 days", "2 weeks"): what an agent reads at a glance."""
    return timesince(moment, depth=1) if moment else ""
