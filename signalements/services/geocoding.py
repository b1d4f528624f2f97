"""Reverse geocoding: the street nearest a report's or an alert's position, asked of an address service
(the Base Adresse Nationale's reverse API by default). Off unless the ReportSettings site setting turns it
on; run from the task queue after the commit, with a short timeout; a failure leaves the street empty."""

import logging

import requests
from django.db import transaction
from wagtail.models import Site

from ..models import Report, ReportAlert, ReportSettings

logger = logging.getLogger(__name__)

#: Seconds to connect and to read: a slow service costs a worker this much, never a resident.
TIMEOUT = (2, 3)


def geocoding_url() -> str:
    """The address service's URL when reverse geocoding is on (default site's setting), else ''."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        return ""
    settings = ReportSettings.for_site(site)
    return settings.reverse_geocoding_url.strip() if settings.reverse_geocoding else ""


def street_at(*, longitude: float, latitude: float, url: str) -> str:
    """The nearest address ("12 Rue de la Gare") the service knows, or '' (none found, or any failure)."""
    try:
        response = requests.get(
            url,
            params={"lon": f"{longitude:.6f}", "lat": f"{latitude:.6f}", "limit": 1},
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("reverse geocoding failed at %s, %s: %s", longitude, latitude, error)
        return ""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        return ""
    properties = features[0].get("properties") or {}
    name = properties.get("name") or properties.get("label") or ""
    return name.strip()[:250] if isinstance(name, str) else ""


def report_street_find(*, report_id: int) -> str:
    """Fill the street of a report from its position; returns it ('' when off or not found)."""
    url = geocoding_url()
    report = Report.objects.filter(pk=report_id).only("pk", "longitude", "latitude", "street").first()
    if not url or report is None or report.street:
        return report.street if report else ""
    street = street_at(longitude=report.longitude, latitude=report.latitude, url=url)
    if street:
        Report.objects.filter(pk=report_id).update(street=street)
    return street


def alert_street_find(*, alert_id: int) -> str:
    """Fill the street of an alert's centre; returns it ('' when off, not found, or not a point alert)."""
    url = geocoding_url()
    alert = ReportAlert.objects.filter(pk=alert_id, location__isnull=False).first()
    if not url or alert is None or alert.centre_street:
        return alert.centre_street if alert else ""
    street = street_at(longitude=alert.longitude, latitude=alert.latitude, url=url)
    if street:
        ReportAlert.objects.filter(pk=alert_id).update(centre_street=street)
    return street


def street_find_later(*, report: Report | None = None, alert: ReportAlert | None = None) -> None:
    """Once the current transaction commits, queue the search of the street (nothing when it is off)."""
    report_id = report.pk if report is not None else None
    alert_id = alert.pk if alert is not None else None

    def enqueue():
        from .. import tasks

        try:
            if not geocoding_url():
                return
            if report_id is not None:
                tasks.find_report_street.enqueue(report_id=report_id)
            if alert_id is not None:
                tasks.find_alert_street.enqueue(alert_id=alert_id)
        except Exception:  # the report or alert is stored; a street never found is only logged
            logger.exception("could not queue the street search of report %s / alert %s", report_id, alert_id)

    transaction.on_commit(enqueue)
