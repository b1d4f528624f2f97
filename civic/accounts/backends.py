"""Authentication backends: the session's person is loaded with what most requests ask of them next.

Every request of a logged-in person loads the user from the session (``get_user``). Pages where
people take part then ask whether a moderation block is in force on them, and the ballot whether
they confirmed an email address: two more queries each time. Here both come with the user, as two
``EXISTS`` in the same query (written once in SQL), and are kept on the object as ``_civic_blocked`` (read by
``civic.moderation.rules.is_blocked``) and ``_civic_verified_email`` (read by ``has_verified_email``).
"""

from functools import lru_cache

from allauth.account import auth_backends as allauth_backends
from allauth.account.models import EmailAddress
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone


@lru_cache(maxsize=4)
def _participation_sql(vendor: str) -> str:
    """The user by id with the two flags. Written out once rather than built by the ORM on every
    request: compiling the two ``Exists`` took half the CPU time of a ballot (docs/performance.md).
    The block condition is ``UserBlockQuerySet.active``'s, tested to agree with it."""
    from civic.moderation.models import UserBlock

    quote = connection.ops.quote_name
    user, block, email = get_user_model()._meta, UserBlock._meta, EmailAddress._meta
    column = {
        "block_user": block.get_field("user").column,
        "lifted": block.get_field("lifted_at").column,
        "ends": block.get_field("ends_at").column,
        "email_user": email.get_field("user").column,
        "verified": email.get_field("verified").column,
    }
    return (
        f"SELECT {quote(user.db_table)}.*, "  # noqa: S608 - names from the models' metadata
        f"EXISTS (SELECT 1 FROM {quote(block.db_table)} b WHERE b.{quote(column['block_user'])} = "
        f"{quote(user.db_table)}.{quote(user.pk.column)} AND b.{quote(column['lifted'])} IS NULL "
        f"AND (b.{quote(column['ends'])} IS NULL OR b.{quote(column['ends'])} > %s)) AS _civic_blocked, "
        f"EXISTS (SELECT 1 FROM {quote(email.db_table)} e WHERE e.{quote(column['email_user'])} = "
        f"{quote(user.db_table)}.{quote(user.pk.column)} AND e.{quote(column['verified'])}) AS _civic_verified_email "
        f"FROM {quote(user.db_table)} WHERE {quote(user.db_table)}.{quote(user.pk.column)} = %s"
    )


def user_with_participation(user_id):
    """The active-or-not user ``user_id`` with their block and verified-email flags, or None."""
    user_model = get_user_model()
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = list(user_model._default_manager.raw(_participation_sql(connection.vendor), [now, user_id]))
    if not found:
        return None
    user = found[0]
    user._civic_blocked, user._civic_verified_email = bool(user._civic_blocked), bool(user._civic_verified_email)
    return user


def has_verified_email(user) -> bool:
    """Whether ``user`` confirmed an email address (read from the session's user when loaded there)."""
    if not hasattr(user, "_civic_verified_email"):
        user._civic_verified_email = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._civic_verified_email


class ParticipationUserMixin:
    def get_user(self, user_id):
        user = user_with_participation(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(ParticipationUserMixin, django_backends.ModelBackend):
    """Django's username/password backend (the admin's login)."""


class AuthenticationBackend(ParticipationUserMixin, allauth_backends.AuthenticationBackend):
    """allauth's email/password backend (the site's login)."""
