"""Every signal receiver of incident reports, connected in one place: ``connect()``, from ``apps.ready()``.

The live staff inbox, alerts once moderation publishes, and the map's cell counts.
"""

from django.db.models.signals import post_delete, post_save

from civic.moderation.signals import contribution_moderated

from .live import inbox_push
from .models import Report, ReportState


def report_saved(sender, instance: Report, created: bool, raw: bool = False, **kwargs):
    if raw or created or instance.state == ReportState.UNCONFIRMED:
        return  # new reports are pushed by service_notify, once published
    inbox_push(report=instance, event="changed")


def report_moderated(sender, item: Report, **kwargs):
    """A report that moderation publishes (pre-moderation) is emailed to its alerts then; the
    alerts already told of it are not told twice."""
    if item.is_public:
        from .services.alerts import report_alerts_queue

        report_alerts_queue(report=item)


def connect() -> None:
    from .services import map_cells

    post_save.connect(report_saved, sender=Report, dispatch_uid="signalements_inbox_live")
    contribution_moderated.connect(report_moderated, sender=Report, dispatch_uid="signalements_alerts_moderated")
    # Every path that saves or deletes a report keeps the map's cell counts exact.
    post_save.connect(map_cells.report_saved, sender=Report, dispatch_uid="signalements_map_cells_saved")
    post_delete.connect(map_cells.report_deleted, sender=Report, dispatch_uid="signalements_map_cells_deleted")
    contribution_moderated.connect(
        map_cells.report_moderated, sender=Report, dispatch_uid="signalements_map_cells_moderated"
    )
