"""Background work (django-tasks): run at once in development and tests, by the worker in production."""

from django_tasks import task

from . import services


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """Email these notifications to the recipients who want emails at once (queued by ``notify``)."""
    return services.notification_emails_send(notification_ids=notification_ids)


@task()
def send_digests() -> int:
    """Send the daily digests that are due (what ``manage.py send_digests --enqueue`` queues)."""
    return services.digests_send()
