"""Writes: notifications (in-app, live and by email), follows, email preferences and digests."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Q, prefetch_related_objects
from django.utils import timezone

from . import emails
from .models import EmailFrequency, Follow, Notification, NotificationPreference
from .selectors import space_of, target_key

logger = logging.getLogger(__name__)


# --- Live delivery ----------------------------------------------------------------------------


def user_group_name(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def push_to_users(*, messages: Iterable[tuple[int, dict]]) -> None:
    """Send each (user id, message) to every WebSocket that person has open, on any server process."""
    messages = list(messages)
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all():
        for user_id, message in messages:
            try:
                await layer.group_send(user_group_name(user_id), {"type": "notification.message", "message": message})
            except Exception:  # live delivery is best effort: the notification is stored either way
                logger.exception("could not push a live message to user %s", user_id)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception("could not push live messages")


def push_to_user(*, user_id: int, message: dict) -> None:
    """Send a message to every WebSocket the person has open, on any server process."""
    push_to_users(messages=[(user_id, message)])


# --- Notifications ----------------------------------------------------------------------------


def notify(*, recipient, title: str, body: str = "", url: str = "", kind: str = "", target=None) -> Notification:
    """Store a notification for ``recipient``; once committed, push it live and email it if they wish so."""
    [notification] = _notifications_create(
        recipients=[recipient], title=title, body=body, url=url, kind=kind, target=target
    )
    notification.recipient = recipient
    return notification


def notify_followers(
    *,
    target,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    exclude=None,
    also_follow_space_of=None,
) -> list[Notification]:
    """Notify every active follower of ``target`` (one notification each), except ``exclude``.

    ``exclude``: a person, an id, or several (usually whoever acted). ``also_follow_space_of``: an
    object whose space's followers are notified too (a page, or a contribution with a ``space``).
    The cost in queries does not grow with the number of followers.
    """
    keys = [target_key(target)]
    if also_follow_space_of is not None:
        space = space_of(also_follow_space_of)
        if space is not None:
            keys.append(target_key(space))
    condition = Q()
    for content_type_id, object_pk in dict.fromkeys(keys):
        condition |= Q(content_type_id=content_type_id, object_pk=object_pk)
    followers = Follow.objects.filter(condition, user__is_active=True)
    excluded = _user_ids(exclude)
    if excluded:
        followers = followers.exclude(user_id__in=excluded)
    recipient_ids = list(followers.order_by("user_id").values_list("user_id", flat=True).distinct())
    if not recipient_ids:
        return []
    return _notifications_create(recipients=recipient_ids, title=title, body=body, url=url, kind=kind, target=target)


def _user_ids(people) -> set[int]:
    if people is None:
        return set()
    if isinstance(people, int) or hasattr(people, "pk"):
        people = [people]
    return {person if isinstance(person, int) else person.pk for person in people}


def _notifications_create(*, recipients, title, body, url, kind, target) -> list[Notification]:
    """One notification per recipient (a person or a person's id), in one insert."""
    content_type_id, object_pk = target_key(target) if target is not None else (None, "")
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient_id=getattr(recipient, "pk", recipient),
                title=title[:200],
                body=body,
                url=url,
                kind=kind,
                target_content_type_id=content_type_id,
                target_object_pk=object_pk,
            )
            for recipient in recipients
        )
        transaction.on_commit(lambda: _deliver(notifications))
    return notifications


def _deliver(notifications: list[Notification]) -> None:
    """After commit: push each notification live with the unread count, and queue the immediate emails."""
    recipient_ids = {notification.recipient_id for notification in notifications}
    unread = dict(
        Notification.objects.filter(recipient_id__in=recipient_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values_list("recipient_id", "count")
    )
    push_to_users(
        messages=(
            (
                notification.recipient_id,
                {
                    "event": "notification",
                    "notification": notification.as_message(),
                    "unread": unread.get(notification.recipient_id, 0),
                },
            )
            for notification in notifications
        )
    )
    not_immediately = set(
        NotificationPreference.objects.filter(user_id__in=recipient_ids)
        .exclude(email_frequency=EmailFrequency.IMMEDIATELY)
        .values_list("user_id", flat=True)
    )
    to_email = [n.pk for n in notifications if n.recipient_id not in not_immediately]
    if to_email:
        from .tasks import send_notification_emails

        try:
            send_notification_emails.enqueue(notification_ids=to_email)
        except Exception:  # the notification is stored and shown; a lost email is logged, not raised
            logger.exception("could not queue the emails of notifications %s", to_email)


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark some (or all) of the person's notifications read; returns how many changed."""
    notifications = Notification.objects.for_user(user).unread()
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    changed = notifications.update(read_at=timezone.now())
    if changed:
        unread = Notification.objects.for_user(user).unread().count()
        push_to_user(user_id=user.pk, message={"event": "unread", "unread": unread})
    return changed


# --- Follows ----------------------------------------------------------------------------------


def follow_create(*, user, target) -> Follow:
    """``user`` follows ``target`` from now on; following twice changes nothing."""
    content_type_id, object_pk = target_key(target)
    with transaction.atomic():
        follow, _created = Follow.objects.get_or_create(user=user, content_type_id=content_type_id, object_pk=object_pk)
    return follow


def follow_delete(*, user, target) -> bool:
    """``user`` stops following ``target``; returns whether they were following it."""
    with transaction.atomic():
        deleted, _detail = Follow.objects.of_target(*target_key(target)).filter(user=user).delete()
    return bool(deleted)


# --- Email preferences ------------------------------------------------------------------------


def notification_preference_update(*, user, email_frequency: str, language: str = "") -> NotificationPreference:
    """Save how ``user`` wants their emails. Switching to the digest starts it from now."""
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        if email_frequency == EmailFrequency.DAILY and preference.email_frequency != EmailFrequency.DAILY:
            preference.digest_since = timezone.now()
        preference.email_frequency = email_frequency
        preference.language = language
        preference.save()
    return preference


def email_unsubscribe(*, user_id: int, scope: str = emails.UNSUBSCRIBE_SCOPE_EMAIL) -> NotificationPreference | None:
    """Stop every notification email to the person (the one-click unsubscribe). None if they are gone."""
    if scope != emails.UNSUBSCRIBE_SCOPE_EMAIL:
        raise ValueError(f"Unknown unsubscribe scope: {scope}")
    with transaction.atomic():
        if not get_user_model().objects.filter(pk=user_id).exists():
            return None
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user_id)
        if preference.email_frequency != EmailFrequency.NEVER:
            preference.email_frequency = EmailFrequency.NEVER
            preference.save(update_fields=["email_frequency", "updated_at"])
    return preference


# --- Sending emails ---------------------------------------------------------------------------


def _claim(notifications, *, now) -> list[Notification]:
    """Mark ``notifications`` (a queryset) emailed and return them, skipping any another run holds or sent."""
    claimed = list(
        notifications.filter(emailed_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("created_at", "pk")
    )
    if claimed:
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=now)
    return claimed


def _unclaim(notifications, *, now) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications], emailed_at=now).update(emailed_at=None)


def _send(connection, message, *, about) -> bool:
    try:
        connection.send_messages([message()])
    except Exception:
        logger.exception("could not send the email about %s", about)
        return False
    return True


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """Email each of these notifications to its recipient if they want emails at once; returns how many went.

    A notification is marked emailed before it goes, so a retry never sends it twice; if sending
    fails, the mark is removed so that a later retry can send it. The mail server connection opens
    first: if it cannot, nothing is marked.
    """
    now = timezone.now()
    with get_connection() as connection:
        with transaction.atomic():
            claimed = _claim(
                Notification.objects.filter(pk__in=notification_ids, recipient__is_active=True).exclude(
                    recipient__notification_preference__email_frequency__in=[
                        EmailFrequency.DAILY,
                        EmailFrequency.NEVER,
                    ]
                ),
                now=now,
            )
        if not claimed:
            return 0
        users = get_user_model().objects.filter(pk__in={n.recipient_id for n in claimed})
        users = {user.pk: user for user in users.select_related("notification_preference")}
        organisation = emails.site_name()
        failed = []
        for notification in claimed:
            notification.recipient = users[notification.recipient_id]
            preference = getattr(notification.recipient, "notification_preference", None)
            language = preference.email_language if preference else settings.LANGUAGE_CODE
            message = partial(emails.notification_email, notification, language=language, organisation=organisation)
            if not _send(connection, message, about=f"notification {notification.pk}"):
                failed.append(notification)
    if failed:
        _unclaim(failed, now=now)
    return len(claimed) - len(failed)


def digests_send(*, now=None) -> int:
    """Send the daily digest to everyone who chose it and has news; returns how many digests went.

    A person whose last digest is more recent than NOTIFICATIONS_DIGEST_MIN_INTERVAL is skipped, so
    running this more often than daily does not send more than one digest a day.
    """
    now = now or timezone.now()
    due_before = now - timedelta(seconds=settings.NOTIFICATIONS_DIGEST_MIN_INTERVAL)
    preferences = NotificationPreference.objects.filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=due_before),
        email_frequency=EmailFrequency.DAILY,
        user__is_active=True,
    )
    pending = Notification.objects.not_emailed().filter(
        recipient__notification_preference__in=preferences,
        created_at__gte=F("recipient__notification_preference__digest_since"),
    )
    ids_by_user = defaultdict(list)
    for user_id, notification_id in pending.values_list("recipient_id", "pk"):
        ids_by_user[user_id].append(notification_id)
    if not ids_by_user:
        return 0
    organisation = emails.site_name()
    sent = 0
    with get_connection() as connection:
        for preference in preferences.filter(user_id__in=ids_by_user).select_related("user"):
            sent += _digest_send(
                preference=preference,
                notification_ids=ids_by_user[preference.user_id],
                now=now,
                organisation=organisation,
                connection=connection,
            )
    return sent


def _digest_send(*, preference, notification_ids, now, organisation, connection) -> int:
    previous_digest_at = preference.last_digest_at
    with transaction.atomic():
        claimed = _claim(Notification.objects.filter(pk__in=notification_ids), now=now)
        if not claimed:
            return 0
        NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
    prefetch_related_objects(claimed, "target")
    since = max(filter(None, [previous_digest_at, preference.digest_since]))
    message = partial(
        emails.digest_email,
        user=preference.user,
        notifications=claimed,
        since=since,
        language=preference.email_language,
        organisation=organisation,
    )
    if not _send(connection, message, about=f"the digest of user {preference.user_id}"):
        _unclaim(claimed, now=now)
        NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_at=previous_digest_at)
        return 0
    return 1
