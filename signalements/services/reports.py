"""Writes: creating, confirming and supporting reports."""

import secrets
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.core.coordinates import coordinates_clean
from civic.core.ratelimit import email_limit_message, rate_limit_hit, report_limit_message
from civic.moderation.exceptions import NotAllowed
from civic.moderation.services import contribution_announce, contribution_screen, user_ensure_can_contribute
from civic.notifications.services import follow_create
from civic.territory.selectors import area_containing

from .. import conf
from ..models import Category, Report, ReportPhoto, ReportState, ReportSupporter, ReportUpdate, Source, UpdateKind
from ..photos import ProcessedPhoto, photos_process
from ..questions import answers_clean
from ..selectors import portal_page, service_for
from .notices import confirmation_email, service_notify

#: The longest idempotency key stored (the column's length); Open311 stores a digest of the client's key.
IDEMPOTENCY_KEY_LENGTH = 64


def _validate(*, category, longitude, latitude, description, reporter, reporter_name, reporter_email, extra_answers):
    errors: dict[str, list[str]] = {}
    area = None
    outside = _("This place is outside our territory: we can only deal with problems within the commune.")
    try:
        longitude, latitude = coordinates_clean(longitude, latitude, outside=outside)
        area = area_containing(longitude=longitude, latitude=latitude)
        if area is None:
            errors["location"] = [outside]
    except ValidationError as error:
        errors.update(error.message_dict)
    if category is None or not isinstance(category, Category) or not category.active:
        errors["category"] = [_("Choose a category from the list.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the problem in a few words.")]
    elif len(description) > 4000:
        errors["description"] = [_("Keep the description under 4,000 characters.")]
    if reporter is None:
        if not (reporter_name or "").strip():
            errors["reporter_name"] = [_("Give your name, or log in.")]
        try:
            validate_email(reporter_email or "")
        except ValidationError:
            errors["reporter_email"] = [_("Give your email address: we send you a link to confirm the report.")]
    answers = {}
    if "category" not in errors:
        try:
            answers = answers_clean(list(category.questions.all()), extra_answers)
        except ValidationError as error:
            errors.update({f"question_{code}": messages for code, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return longitude, latitude, area, description, answers


def _limits_check(*, reporter, reporter_email: str, ip: str | None) -> None:
    """Each report notifies a team, and an anonymous one emails the address typed: both are limited
    per account, per address and per IP address (``civic.core.ratelimit``)."""
    rate_limit_hit("report", message=report_limit_message(), user=getattr(reporter, "pk", None), ip=ip)
    if reporter is None:
        rate_limit_hit("email", message=email_limit_message(), field="reporter_email", address=reporter_email, ip=ip)


def _photo_save(*, report, processed: ProcessedPhoto, position: int, update=None) -> ReportPhoto:
    photo = ReportPhoto(
        report=report,
        update=update,
        original_name=processed.name,
        position=position,
        width=processed.width,
        height=processed.height,
    )
    stem = f"{report.pk}-{secrets.token_hex(4)}"
    photo.image.save(f"{stem}.jpg", processed.image, save=False)
    photo.thumbnail.save(f"{stem}-thumb.jpg", processed.thumbnail, save=False)
    photo.save()
    return photo


def report_create(
    *,
    category: Category | None,
    longitude,
    latitude,
    description: str,
    reporter=None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    hide_name: bool = False,
    extra_answers: dict | None = None,
    photos=(),
    processed_photos: list[ProcessedPhoto] | None = None,
    address: str = "",
    idempotency_key: str = "",
    source: str = Source.WEB,
    open311_client=None,
    ip: str | None = None,
) -> Report:
    """Create a report; raises ValidationError (a dict by field) and stores nothing when anything is wrong.

    A logged-in reporter's report is published and routed at once; anyone else's waits for the
    confirmation link emailed to them. The same ``idempotency_key`` twice returns the first report.
    """
    idempotency_key = (idempotency_key or "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_LENGTH:
        # Never cut: two different requests whose keys share a prefix would be taken for one.
        raise ValidationError(
            {
                "idempotency_key": [
                    _("The idempotency key is too long: %(limit)s characters at most.")
                    % {"limit": IDEMPOTENCY_KEY_LENGTH}
                ]
            }
        )
    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    if reporter is not None:
        try:
            user_ensure_can_contribute(user=reporter)
        except NotAllowed as refusal:
            raise ValidationError({"__all__": [str(refusal)]}) from None
    longitude, latitude, area, description, answers = _validate(
        category=category,
        longitude=longitude,
        latitude=latitude,
        description=description,
        reporter=reporter,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        extra_answers=extra_answers,
    )
    _limits_check(reporter=reporter, reporter_email=reporter_email, ip=ip)
    if processed_photos is None:
        try:
            processed_photos = photos_process(photos)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    now = timezone.now()
    report = Report(
        portal=portal_page(),
        category=category,
        service=service_for(category=category, area=area),
        area=area,
        location=Point(longitude, latitude, srid=4326),
        address=(address or "").strip()[:250],
        description=description,
        extra_answers=answers,
        reporter=reporter,
        reporter_name=(reporter_name or "").strip()[:120],
        reporter_email=reporter_email if reporter is None else "",
        reporter_phone=(reporter_phone or "").strip()[:40],
        hide_name=hide_name,
        source=source,
        open311_client=open311_client,
        idempotency_key=idempotency_key or None,
    )
    if reporter is not None:
        report.state, report.confirmed_at = ReportState.NEW, now
    else:
        report.state, report.confirmation_token = ReportState.UNCONFIRMED, secrets.token_urlsafe(32)
    contribution_screen(item=report)
    try:
        with transaction.atomic():
            report.save()
            ReportUpdate.objects.create(report=report, author=reporter, kind=UpdateKind.CREATED, new_state=report.state)
            for position, processed in enumerate(processed_photos):
                _photo_save(report=report, processed=processed, position=position)
            if reporter is not None:
                follow_create(user=reporter, target=report)
                service_notify(report=report)
            else:
                confirmation_email(report=report)
    except IntegrityError:
        if idempotency_key:
            existing = Report.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    contribution_announce(item=report)
    return report


def report_confirm(*, token: str) -> Report:
    """Publish a report whose reporter opened the emailed link; confirming twice changes nothing."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(confirmation_token=token).first()
        if report is None:
            raise ValidationError(
                _("This confirmation link is not valid. The report may have expired."), code="invalid"
            )
        if report.state != ReportState.UNCONFIRMED:
            return report
        if timezone.now() - report.created_at > timedelta(hours=conf.get("SIGNALEMENTS_CONFIRMATION_HOURS")):
            raise ValidationError(
                _("This confirmation link has expired: please report the problem again."), code="expired"
            )
        report.state, report.confirmed_at = ReportState.NEW, timezone.now()
        report.save(update_fields=["state", "confirmed_at", "updated_at"])
        ReportUpdate.objects.create(
            report=report, kind=UpdateKind.CONFIRMED, previous_state=ReportState.UNCONFIRMED, new_state=ReportState.NEW
        )
        service_notify(report=report)
    return report


def reports_expire_unconfirmed(*, now=None) -> int:
    """Delete the reports whose confirmation never came; returns how many."""
    now = now or timezone.now()
    limit = now - timedelta(hours=conf.get("SIGNALEMENTS_CONFIRMATION_HOURS"))
    with transaction.atomic():
        expired = Report.objects.filter(state=ReportState.UNCONFIRMED, created_at__lt=limit)
        photos = list(ReportPhoto.objects.filter(report__in=expired))
        count = expired.count()
        expired.delete()
    for photo in photos:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
    return count


def report_support(*, report: Report, user) -> Report:
    """ "This is my problem too": ``user`` becomes a supporter and a follower of the report."""
    if not user.has_perm("signalements.support_report", report):
        raise NotAllowed(_("You cannot support this report."), code="not_allowed")
    with transaction.atomic():
        _link, created = ReportSupporter.objects.get_or_create(report=report, user=user)
        if created:
            Report.objects.filter(pk=report.pk).update(supporter_count=F("supporter_count") + 1)
        follow_create(user=user, target=report)
    report.refresh_from_db(fields=["supporter_count"])
    return report
