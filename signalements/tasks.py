"""Background work (django-tasks): run at once in development and tests, by the worker in production."""

from django_tasks import task


@task()
def send_report_alerts(*, report_id: int) -> int:
    """Email a newly published report to the alerts it matches (queued when the report is published)."""
    from .services.alerts import report_alerts_send

    return report_alerts_send(report_id=report_id)
