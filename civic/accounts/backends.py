"""Authentication backends: the session's person is loaded with what most requests ask of them next.

Every request of a logged-in person loads the user from the session (``get_user``). Pages where
people take part then ask whether a moderation block is in force on them, and the ballot whether
they confirmed an email address: two more queries each time. Here both come with the user, as two
``EXISTS`` in the same query, and are kept on the object as ``_civic_blocked`` (read by
``civic.moderation.rules.is_blocked``) and ``_civic_verified_email`` (read by ``has_verified_email``).
"""

from allauth.account import auth_backends as allauth_backends
from allauth.account.models import EmailAddress
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef


def user_with_participation(user_id):
    """The active-or-not user ``user_id`` with their block and verified-email flags, or None."""
    from civic.moderation.models import UserBlock

    user_model = get_user_model()
    return (
        user_model._default_manager.annotate(
            _civic_blocked=Exists(UserBlock.objects.active().filter(user=OuterRef("pk"))),
            _civic_verified_email=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        )
        .filter(pk=user_id)
        .first()
    )


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
