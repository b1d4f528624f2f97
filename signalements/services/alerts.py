"""Writes on email alerts: subscribe (confirmed by an emailed link unless it is the person's own
address), confirm, unsubscribe, and the emails that tell subscribers of each new published report."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic.core.emails import email_queue
from civic.core.ratelimit import email_limit_message, rate_limit_hit
from civic.notifications.emails import absolute_url, list_unsubscribe_headers, site_name
from civic.territory.selectors import area_containing

from .. import conf
from ..models import Report, ReportAlert, ReportAlertDelivery
from .reports import coordinates_clean

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "signalements.alerts.unsubscribe"


# --- Tokens -----------------------------------------------------------------------------------


def alert_unsubscribe_token(alert: ReportAlert) -> str:
    """Signed token of the one-click unsubscribe link; it names the alert and its address."""
    return signing.dumps({"a": alert.pk, "e": alert.email}, salt=UNSUBSCRIBE_SALT)


def alert_from_unsubscribe_token(token: str) -> ReportAlert | None:
    """The alert a token names, or None when it is already gone; raises ``signing.BadSignature``
    (or ``SignatureExpired``) for a forged or expired token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("e"), str):
        raise signing.BadSignature("Unexpected unsubscribe token content.")
    return ReportAlert.objects.filter(pk=data["a"], email=data["e"]).first()


# --- Subscribing ------------------------------------------------------------------------------


def _radius_clean(radius, errors) -> int | None:
    low, high = conf.get("SIGNALEMENTS_ALERT_MIN_RADIUS"), conf.get("SIGNALEMENTS_ALERT_MAX_RADIUS")
    message = _("Choose a radius between %(low)s and %(high)s metres.") % {"low": low, "high": high}
    try:
        value = int(str(radius).strip())
    except (TypeError, ValueError):
        errors["radius"] = [message]
        return None
    if not low <= value <= high:
        errors["radius"] = [message]
        return None
    return value


def alert_subscribe(
    *,
    email: str = "",
    user=None,
    area=None,
    longitude=None,
    latitude=None,
    radius=None,
    categories=(),
    ip: str | None = None,
) -> ReportAlert:
    """Subscribe ``email`` to new reports in ``area``, or within ``radius`` metres of a point.

    A logged-in person's own address is confirmed at once; any other address gets a confirmation
    link first. The same subscription asked twice is returned (its confirmation link sent again).
    Raises ``ValidationError`` keyed by field (``email``, ``area``, ``location``, ``radius``) before
    anything is stored.
    """
    user = user if user is not None and user.is_authenticated else None
    email = (email or "").strip().lower() or (user.email.lower() if user else "")
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid email address, such as name@example.org.")]
    point = None
    if area is None:
        if longitude in (None, "") or latitude in (None, ""):
            errors["location"] = [_("Choose an area, or give a point (latitude and longitude) and a radius.")]
        else:
            outside = _("This point is outside the territory: choose a place within it.")
            try:
                longitude, latitude = coordinates_clean(longitude, latitude, outside=outside)
            except ValidationError as error:
                errors.update(error.message_dict)
            else:
                if area_containing(longitude=longitude, latitude=latitude) is None:
                    errors["location"] = [outside]
                else:
                    point = Point(longitude, latitude, srid=4326)
        radius = _radius_clean(radius, errors)
    else:
        radius = None
    categories = list(categories or [])
    if not errors and ReportAlert.objects.filter(email=email).count() >= conf.get("SIGNALEMENTS_ALERTS_PER_EMAIL"):
        errors["email"] = [
            _("This address already has %(n)s alerts: remove one before adding another.")
            % {"n": conf.get("SIGNALEMENTS_ALERTS_PER_EMAIL")}
        ]
    if errors:
        raise ValidationError(errors)
    own_address = user is not None and email == user.email.lower()
    existing = _same_alert(email=email, area=area, point=point, radius=radius, categories=categories)
    if not own_address and (existing is None or not existing.is_confirmed):
        # A confirmation link goes to an address anyone may type: limited per address and per IP.
        rate_limit_hit("email", message=email_limit_message(), field="email", address=email, ip=ip)
    with transaction.atomic():
        if existing is not None:
            alert = existing
            if own_address and not alert.is_confirmed:
                alert.confirmed_at = timezone.now()
                alert.user = user
                alert.save(update_fields=["confirmed_at", "user"])
        else:
            alert = ReportAlert.objects.create(
                email=email,
                user=user if own_address else None,
                area=area,
                location=point,
                radius=radius,
                language=translation.get_language() or "",
                confirmed_at=timezone.now() if own_address else None,
            )
            alert.categories.set(categories)
        if not alert.is_confirmed:
            transaction.on_commit(lambda: email_queue(_confirmation_message(alert)))
    return alert


def _same_alert(*, email, area, point, radius, categories) -> ReportAlert | None:
    candidates = ReportAlert.objects.filter(email=email, area=area, radius=radius).prefetch_related("categories")
    wanted = {category.pk for category in categories}
    for alert in candidates:
        same_place = area is not None or (
            alert.location is not None
            and abs(alert.longitude - point.x) < 1e-6
            and abs(alert.latitude - point.y) < 1e-6
        )
        if same_place and {category.pk for category in alert.categories.all()} == wanted:
            return alert
    return None


def alert_confirm(*, token: str) -> ReportAlert:
    """Confirm the alert whose emailed link holds ``token``; ValidationError when there is none."""
    with transaction.atomic():
        alert = ReportAlert.objects.select_for_update().filter(confirmation_token=token or "").first()
        if alert is None:
            raise ValidationError(_("This confirmation link is not valid: the alert may have been removed."))
        if alert.confirmed_at is None:
            alert.confirmed_at = timezone.now()
            alert.save(update_fields=["confirmed_at"])
    return alert


def alert_delete(*, alert: ReportAlert) -> None:
    with transaction.atomic():
        alert.delete()


def alerts_expire_unconfirmed(*, now=None) -> int:
    """Delete the alerts whose emailed confirmation link was not opened within
    SIGNALEMENTS_CONFIRMATION_HOURS (an address typed by someone else is not kept); returns how many."""
    limit = (now or timezone.now()) - timedelta(hours=conf.get("SIGNALEMENTS_CONFIRMATION_HOURS"))
    with transaction.atomic():
        _total, per_model = ReportAlert.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()
    return per_model.get(ReportAlert._meta.label, 0)


# --- Emails -----------------------------------------------------------------------------------


def _send(message, *, about: str, connection=None) -> bool:
    try:
        (connection or get_connection()).send_messages([message])
    except Exception:  # a lost email is logged, not raised: what was stored stays
        logger.exception("could not send the email of %s", about)
        return False
    return True


def _email(*, alert: ReportAlert, subject: str, template: str, context: dict, unsubscribe: bool):
    organisation = site_name()
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        token = alert_unsubscribe_token(alert)
        unsubscribe_url = absolute_url(reverse("report-alert-unsubscribe", args=[token]))
        context = {
            **context,
            "alert": alert,
            "organisation": organisation,
            "language_code": translation.get_language(),
            "unsubscribe_url": unsubscribe_url,
            "manage_url": absolute_url(reverse("report-alert-list")),
        }
        message = EmailMultiAlternatives(
            subject=" ".join(f"[{organisation}] {subject}".split()),
            body=render_to_string(f"signalements/emails/{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[alert.email],
            headers=list_unsubscribe_headers(url=unsubscribe_url, token=token) if unsubscribe else {},
        )
        message.attach_alternative(render_to_string(f"signalements/emails/{template}.html", context), "text/html")
    return message


def _confirmation_message(alert: ReportAlert):
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        subject = _("Confirm your alert on new reports")
    return _email(
        alert=alert,
        subject=subject,
        template="alert_confirm",
        context={"confirm_url": absolute_url(reverse("report-alert-confirm", args=[alert.confirmation_token]))},
        unsubscribe=False,
    )


def _report_message(alert: ReportAlert, report: Report):
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        subject = _("New report: %(category)s") % {"category": report.category.name}
    return _email(
        alert=alert,
        subject=subject,
        template="alert_report",
        context={"report": report, "link": absolute_url(report.get_absolute_url())},
        unsubscribe=True,
    )


def report_alerts_queue(*, report: Report) -> None:
    """Once the current transaction commits, queue the alert emails of ``report`` (task backend)."""
    report_id = report.pk

    def enqueue():
        from ..tasks import send_report_alerts

        try:
            send_report_alerts.enqueue(report_id=report_id)
        except Exception:  # the report is stored and published; lost alerts are logged, not raised
            logger.exception("could not queue the alerts of report %s", report_id)

    transaction.on_commit(enqueue)


def report_alerts_send(*, report_id: int) -> int:
    """Email a published report to each confirmed alert it matches, once per alert; returns how many went.

    Each (alert, report) pair is recorded before the email goes, so a retry or a reopened report
    never sends it twice; if sending fails the record is removed so that a retry can send it.
    The email holds what the public page shows, never the reporter's name or contact.
    """
    report = Report.objects.select_related("category", "area").filter(pk=report_id).first()
    if report is None or not report.is_public:
        return 0
    alerts = (
        ReportAlert.objects.confirmed()
        .exclude(deliveries__report=report)
        .matching(report, max_radius=conf.get("SIGNALEMENTS_ALERT_MAX_RADIUS"))
    )
    reporter_email = (report.contact_email or "").lower()
    sent = 0
    connection = get_connection()
    for alert in alerts:
        if alert.email == reporter_email:
            continue  # they know: they reported it
        try:
            with transaction.atomic():
                delivery = ReportAlertDelivery.objects.create(alert=alert, report=report)
        except IntegrityError:
            continue  # another run sent it
        if _send(
            _report_message(alert, report), about=f"report {report.pk} to alert {alert.pk}", connection=connection
        ):
            sent += 1
        else:
            delivery.delete()
    return sent
