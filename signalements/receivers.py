"""Decoupled side effects of reports: the live staff inbox, and alerts once moderation publishes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from civic.moderation.signals import contribution_moderated

from .live import inbox_push
from .models import Report, ReportState


@receiver(post_save, sender=Report, dispatch_uid="signalements_inbox_live")
def report_saved(sender, instance: Report, created: bool, raw: bool = False, **kwargs):
    if raw or created or instance.state == ReportState.UNCONFIRMED:
        return  # new reports are pushed by service_notify, once published
    inbox_push(report=instance, event="changed")


@receiver(contribution_moderated, sender=Report, dispatch_uid="signalements_alerts_moderated")
def report_moderated(sender, item: Report, **kwargs):
    """A report that moderation publishes (pre-moderation) is emailed to its alerts then; the
    alerts already told of it are not told twice."""
    if item.is_public:
        from .services.alerts import report_alerts_queue

        report_alerts_queue(report=item)
