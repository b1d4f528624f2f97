"""Notification emails: one per notification or a daily digest, multipart, with a one-click unsubscribe.

Composition only: who receives what, and when, is decided in services.py.
"""

from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from civic.core.emails import site_url

UNSUBSCRIBE_SALT = "civic.notifications.unsubscribe"
#: The only scope so far: every notification email (immediate and digest).
UNSUBSCRIBE_SCOPE_EMAIL = "email"
UNSUBSCRIBE_SCOPES = {UNSUBSCRIBE_SCOPE_EMAIL}


def unsubscribe_token(*, user_id: int, scope: str = UNSUBSCRIBE_SCOPE_EMAIL) -> str:
    """A signed, timestamped, salted token that lets its bearer unsubscribe ``user_id`` from ``scope``."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(user id, scope) from a token; raises ``signing.SignatureExpired`` or ``signing.BadSignature``."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("s") not in UNSUBSCRIBE_SCOPES:
        raise signing.BadSignature("Unexpected unsubscribe token content.")
    return data["u"], data["s"]


def absolute_url(url: str) -> str:
    """``url`` made absolute against the site's public address (``SITE_URL``, see civic.core.emails)."""
    return site_url(url)


def unsubscribe_mailbox() -> str:
    return settings.NOTIFICATIONS_UNSUBSCRIBE_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def site_name() -> str:
    """The organisation's name from the default site's identity settings."""
    from wagtail.models import Site

    from civic.cms.models import SiteIdentity

    site = Site.objects.filter(is_default_site=True).first()
    identity = SiteIdentity.objects.filter(site=site).only("organisation_name").first() if site else None
    return identity.organisation_name if identity else settings.WAGTAIL_SITE_NAME


def _headers(token: str) -> dict[str, str]:
    return list_unsubscribe_headers(url=absolute_url(reverse("notification-unsubscribe", args=[token])), token=token)


def list_unsubscribe_headers(*, url: str, token: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe headers for ``url`` (absolute; it must accept a POST without a
    CSRF token), with a mailto fallback carrying ``token``; shared by every email list of the site."""
    links = [f"<{url}>"]
    mailbox = unsubscribe_mailbox()
    if mailbox:
        links.append(f"<mailto:{mailbox}?subject={quote('unsubscribe ' + token)}>")
    return {
        "List-Unsubscribe": ", ".join(links),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
        "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
    }


def _message(*, user, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    token = unsubscribe_token(user_id=user.pk)
    context = {
        **context,
        "recipient": user,
        "language_code": translation.get_language(),
        "notifications_url": absolute_url(reverse("notification-list")),
        "preferences_url": absolute_url(reverse("notification-preferences")),
        "unsubscribe_url": absolute_url(reverse("notification-unsubscribe", args=[token])),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the title holds
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=_headers(token),
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def notification_email(notification, *, language: str, organisation: str) -> EmailMultiAlternatives:
    """The email telling ``notification.recipient`` about one notification, in ``language``."""
    with translation.override(language):
        return _message(
            user=notification.recipient,
            subject=f"[{organisation}] {notification.title}",
            template="notification",
            context={
                "organisation": organisation,
                "notification": notification,
                "link": absolute_url(notification.url) if notification.url else None,
            },
        )


def digest_groups(notifications: Iterable) -> list[dict]:
    """Notifications grouped by what they are about (in order of first appearance), loose ones last."""
    groups: dict = {}
    for notification in notifications:
        target = notification.target if notification.target_content_type_id else None
        key = (notification.target_content_type_id, notification.target_object_pk) if target is not None else None
        group = groups.setdefault(key, {"about": str(target) if target is not None else None, "items": []})
        group["items"].append(
            {"notification": notification, "link": absolute_url(notification.url) if notification.url else None}
        )
    loose = groups.pop(None, None)
    return [*groups.values(), *([loose] if loose else [])]


def digest_email(*, user, notifications: list, since, language: str, organisation: str) -> EmailMultiAlternatives:
    """One email listing ``notifications`` (oldest first), grouped by what they are about."""
    with translation.override(language):
        count = len(notifications)
        subject = ngettext(
            "[%(organisation)s] Your daily summary: %(count)d new notification",
            "[%(organisation)s] Your daily summary: %(count)d new notifications",
            count,
        ) % {"organisation": organisation, "count": count}
        return _message(
            user=user,
            subject=subject,
            template="digest",
            context={
                "organisation": organisation,
                "count": count,
                "since": since,
                "groups": digest_groups(notifications),
            },
        )
