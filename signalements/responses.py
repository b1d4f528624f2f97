"""Response templates: which ones a report offers, and their text with the report's details filled in."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("number", "category", "area", "address", "service", "expected_date")


def template_placeholders_check(text: str) -> None:
    """ValidationError naming each unknown ``{placeholder}`` in ``text``."""
    unknown = sorted({name for name in PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {
                "text": [
                    _("Unknown placeholder(s): %(unknown)s. Use only: %(known)s.")
                    % {
                        "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                        "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                    }
                ]
            }
        )


def template_render(text: str, *, report) -> str:
    """``text`` with the placeholders replaced by ``report``'s details (an unknown one is left as typed)."""
    values = {
        "number": str(report.pk),
        "category": report.category.name if report.category_id else "",
        "area": report.area.name if report.area_id else "",
        "address": report.address,
        "service": report.service.name if report.service_id else "",
        "expected_date": formats.date_format(report.expected_fix_date, "DATE_FORMAT")
        if report.expected_fix_date
        else "",
    }
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def templates_for(report):
    """Active templates offered for ``report``: those for its service (or every service) and its category (or every one)."""
    from .models import ResponseTemplate

    return (
        ResponseTemplate.objects.filter(active=True)
        .filter(Q(services__isnull=True) | Q(services=report.service_id))
        .filter(Q(categories__isnull=True) | Q(categories=report.category_id))
        .distinct()
        .order_by("title")
    )
