"""Display names are public: they may not publish personal data nor pass a resident off as the council's staff.

The personal-data rule is moderation's (``civic.moderation.screening``); the impersonation rule
refuses the words of the staff's roles and the names staff members go by, unless the person
is staff themselves.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civic.moderation.screening import find_personal_data, normalise

#: Words (lower case, without accents) that say "I speak for the council"; whole words, any ending.
STAFF_WORDS = (
    "moderation",
    "moderat",
    "admin",
    "mairie",
    "municipal",
    "officiel",
    "official",
    "staff",
    "equipe civic",
    "webmaster",
    "agent",
)
_STAFF_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in STAFF_WORDS) + r")")


def _is_staff(user) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.CIVIC_ADMIN_ROLES).exists()


def _core(name: str) -> str:
    """A name without accents, case, punctuation or what follows a bracket: "Julien Petit (modération)" -> "julien petit"."""
    text = normalise(name).split("(")[0]
    return " ".join(re.findall(r"\w+", text))


def display_name_clean(name: str, *, user=None) -> str:
    """``name`` stripped, or ``ValidationError`` saying what to change; ``user`` is who will bear it."""
    name = (name or "").strip()
    if find_personal_data(name):
        raise ValidationError(
            _("Your display name is public: leave out email addresses and phone numbers."), code="personal_data"
        )
    if _is_staff(user):
        return name
    if _STAFF_RE.search(normalise(name)):
        raise ValidationError(
            _("This name could pass you off as the council's staff or moderators: choose another one."),
            code="impersonation",
        )
    core = _core(name)
    if core:
        staff = get_user_model().objects.filter(groups__name__in=settings.CIVIC_ADMIN_ROLES)
        if user is not None and user.pk:
            staff = staff.exclude(pk=user.pk)
        if any(_core(other) == core for other in staff.values_list("display_name", flat=True).distinct()):
            raise ValidationError(
                _("This name is a staff member's: choose another one, so that nobody mistakes you for them."),
                code="impersonation",
            )
    return name
