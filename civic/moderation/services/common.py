"""Helpers shared by the moderation services."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import DecisionAction, ModerationState
from ..signals import contribution_moderated

NOTIFICATION_KIND = "moderation"

#: State each decision leads to.
DECISION_STATES = {
    DecisionAction.APPROVE: ModerationState.PUBLISHED,
    DecisionAction.HIDE: ModerationState.HIDDEN,
    DecisionAction.REJECT: ModerationState.REJECTED,
}


def format_when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def person_name(user) -> str:
    return str(user) if user is not None else _("a former moderator")


def content_type_of(item) -> ContentType:
    return ContentType.objects.get_for_model(item)


def announce_after_commit(item, *, action: str, previous_state: str) -> None:
    model = type(item)

    def send():
        fresh = model._default_manager.filter(pk=item.pk).first()
        if fresh is not None:
            contribution_moderated.send(sender=model, item=fresh, action=action, previous_state=previous_state)

    transaction.on_commit(send)
