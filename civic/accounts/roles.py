"""The four roles of the platform, as Django groups created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    AGENT = "agent", _("Agent (council staff)")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles whose members reach the Wagtail admin.
STAFF_ROLES = (Role.AGENT, Role.MODERATOR, Role.ADMINISTRATOR)
