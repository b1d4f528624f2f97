"""Background work (django-tasks): run at once in development and tests, by the worker in production."""

from django_tasks import task


@task()
def send_report_alerts(*, report_id: int) -> int:
    """Email a newly published report to the alerts it matches (queued when the report is published)."""
    from .services.alerts import report_alerts_send

    return report_alerts_send(report_id=report_id)


@task()
def find_report_street(*, report_id: int) -> str:
    """Ask the address service for the street of a new report (queued when reverse geocoding is on)."""
    from .services.geocoding import report_street_find

    return report_street_find(report_id=report_id)


@task()
def find_alert_street(*, alert_id: int) -> str:
    """Ask the address service for the street of a new alert's centre."""
    from .services.geocoding import alert_street_find

    return alert_street_find(alert_id=alert_id)
