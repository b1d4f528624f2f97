"""Writes: what happens to a report after it is published (updates, states, assignment, duplicates, reopening)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.moderation.exceptions import NotAllowed
from civic.moderation.services import contribution_announce, contribution_screen
from civic.notifications.models import Follow
from civic.notifications.selectors import target_key
from civic.notifications.services import follow_create, notify

from .. import conf
from ..models import CLOSED_STATES, OPEN_STATES, Priority, Report, ReportState, ReportUpdate, UpdateKind
from ..photos import photos_process
from .notices import KIND_ASSIGNED, followers_notify, reporter_state_email, service_notify, staff_path
from .reports import _photo_save

#: States staff may set by an update (duplicates go through report_mark_duplicate).
STAFF_STATES = (*OPEN_STATES, *[state for state in CLOSED_STATES if state != ReportState.DUPLICATE], ReportState.HIDDEN)


def _state_change(report: Report, new_state: str, *, now) -> str:
    """Apply ``new_state`` and its timestamps to ``report`` (unsaved); returns the previous state."""
    previous = report.state
    report.state = new_state
    if previous == ReportState.NEW and new_state != ReportState.NEW and report.acknowledged_at is None:
        report.acknowledged_at = now
    if new_state in CLOSED_STATES and previous not in CLOSED_STATES:
        report.closed_at = now
    elif new_state in OPEN_STATES:
        report.closed_at = None
    return previous


def _state_title(report: Report) -> str:
    return _("Report #%(id)s is now: %(state)s") % {"id": report.pk, "state": report.get_state_display()}


def report_update_create(
    *,
    report: Report,
    author,
    text: str = "",
    new_state: str = "",
    internal: bool = False,
    photos=(),
    expected_fix_date: date | None = None,
    responsible_body: str = "",
) -> ReportUpdate:
    """Post an update on a report. Staff may change its state and write internal notes; residents add
    text and photos to an open report, moderated like every contribution."""
    staff = author.has_perm("signalements.manage_report", report)
    text = (text or "").strip()
    new_state = new_state or ""
    if new_state == report.state:
        new_state = ""
    errors: dict[str, list[str]] = {}
    if not staff:
        if not author.has_perm("signalements.update_report", report):
            raise NotAllowed(_("You cannot add an update to this report."), code="not_allowed")
        if new_state or internal:
            raise NotAllowed(_("Only the council's staff may change the state of a report."), code="staff_only")
    if new_state and new_state not in STAFF_STATES:
        errors["new_state"] = [_("This state cannot be chosen here.")]
    if new_state == ReportState.PLANNED and not (expected_fix_date or report.expected_fix_date):
        errors["expected_fix_date"] = [_("Give the date by which the repair is planned.")]
    if new_state == ReportState.NOT_RESPONSIBLE and not (responsible_body or "").strip():
        errors["responsible_body"] = [_("Say which body the resident should contact.")]
    if not text and not new_state and not photos:
        errors["text"] = [_("Write something, change the state or add a photo.")]
    if len(text) > 4000:
        errors["text"] = [_("Keep the text under 4,000 characters.")]
    if errors:
        raise ValidationError(errors)
    try:
        processed = photos_process(photos)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    now = timezone.now()
    update = ReportUpdate(report=report, author=author, by_staff=staff, text=text, internal=internal and staff)
    if not staff:
        contribution_screen(item=update)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        fields = ["updated_at"]
        if new_state:
            update.previous_state = _state_change(report, new_state, now=now)
            update.new_state = new_state
            update.kind = UpdateKind.STATE
            fields += ["state", "acknowledged_at", "closed_at"]
        elif update.internal:
            update.kind = UpdateKind.NOTE
        if expected_fix_date and staff:
            report.expected_fix_date = expected_fix_date
            fields.append("expected_fix_date")
        if responsible_body and staff:
            report.responsible_body = responsible_body.strip()[:250]
            fields.append("responsible_body")
        report.save(update_fields=fields)
        update.report = report
        update.save()
        for position, item in enumerate(processed):
            _photo_save(report=report, processed=item, position=position, update=update)
        if author.is_authenticated and not staff:
            follow_create(user=author, target=report)
        if not update.internal and update.is_published:
            title = _state_title(report) if new_state else _("New update on report #%(id)s") % {"id": report.pk}
            followers_notify(report=report, title=title, body=text[:300], exclude=author)
            if new_state:
                reporter_state_email(report=report, title=title, body=text)
    contribution_announce(item=update)
    return update


def report_assign(*, report: Report, agent, by) -> Report:
    """Give the report to an agent of its service (or None to take it back); they are told at once."""
    if not by.has_perm("signalements.manage_report", report):
        raise NotAllowed(_("You cannot assign this report."), code="not_allowed")
    if agent is not None and not (agent.is_active and agent.has_role("agent")):
        raise ValidationError({"assigned_to": [_("Only an active agent can be given a report.")]})
    with transaction.atomic():
        report.assigned_to = agent
        report.save(update_fields=["assigned_to", "updated_at"])
        label = str(agent) if agent is not None else _("nobody")
        ReportUpdate.objects.create(
            report=report,
            author=by,
            by_staff=True,
            internal=True,
            kind=UpdateKind.ASSIGNED,
            text=_("Assigned to %(name)s") % {"name": label},
        )
        if agent is not None and agent.pk != by.pk:
            notify(
                recipient=agent,
                title=_("Report #%(id)s is assigned to you") % {"id": report.pk},
                body=report.description[:300],
                url=staff_path(report),
                kind=KIND_ASSIGNED,
                target=report,
            )
    return report


def report_set_priority(*, report: Report, priority: str, by) -> Report:
    if not by.has_perm("signalements.manage_report", report):
        raise NotAllowed(_("You cannot change this report."), code="not_allowed")
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose a priority from the list.")]})
    with transaction.atomic():
        report.priority = priority
        report.save(update_fields=["priority", "updated_at"])
        ReportUpdate.objects.create(
            report=report,
            author=by,
            by_staff=True,
            internal=True,
            kind=UpdateKind.PRIORITY,
            text=report.get_priority_display(),
        )
    return report


def report_staff_changes_apply(*, report: Report, by, changes: dict, post_update: bool) -> None:
    """What the staff form asks, in one transaction: a new priority (when it differs) and, when
    ``post_update``, the update (text, photos, state, internal note, expected date, body to contact)."""
    with transaction.atomic():
        if changes.get("priority") and changes["priority"] != report.priority:
            report_set_priority(report=report, priority=changes["priority"], by=by)
        if post_update:
            report_update_create(
                report=report,
                author=by,
                text=changes["text"],
                photos=changes["photos"],
                new_state=changes.get("new_state", ""),
                internal=changes.get("internal", False),
                expected_fix_date=changes.get("expected_fix_date"),
                responsible_body=changes.get("responsible_body", ""),
            )


#: How far a chain of duplicates is followed when looking for a cycle.
DUPLICATE_CHAIN_LIMIT = 50


def _duplicate_refusal(report: Report, original: Report) -> str:
    """Why ``report`` cannot be closed as a duplicate of ``original`` ("" when it can)."""
    if original.pk == report.pk:
        return _("A report cannot be a duplicate of itself: give the number of the other report.")
    if report.state == ReportState.DUPLICATE:
        return _("This report is already a duplicate of #%(id)s.") % {"id": report.duplicate_of_id}
    current, seen = original, 0
    while current.duplicate_of_id is not None and seen < DUPLICATE_CHAIN_LIMIT:
        if current.duplicate_of_id == report.pk:
            return _("#%(id)s is a duplicate of this report: marking this one would make a cycle.") % {
                "id": original.pk
            }
        current, seen = current.duplicate_of, seen + 1
    if original.state == ReportState.DUPLICATE:
        return _("#%(id)s is itself a duplicate of #%(original)s: choose #%(original)s.") % {
            "id": original.pk,
            "original": original.duplicate_of_id,
        }
    if original.portal_id != report.portal_id:
        return _("#%(id)s belongs to another reports portal: choose a report of this one.") % {"id": original.pk}
    if not original.is_public:
        return _("#%(id)s is not published: choose a published report as the original.") % {"id": original.pk}
    return ""


def report_mark_duplicate(*, report: Report, original: Report, by, text: str = "") -> Report:
    """Close ``report`` as a duplicate of ``original``: its timeline links to the original, its followers
    (its reporter among them) are told and now follow the original instead, a reporter without an account
    is emailed. Refused for the report itself, a cycle of duplicates, a duplicate as the original, another
    portal's report or an unpublished one."""
    from civic.notifications.emails import absolute_url
    from civic.notifications.services import notify_followers

    from .notices import KIND_UPDATE

    if not by.has_perm("signalements.manage_report", report):
        raise NotAllowed(_("You cannot change this report."), code="not_allowed")
    refusal = _duplicate_refusal(report, original)
    if refusal:
        raise ValidationError({"duplicate_of": [refusal]})
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        previous = _state_change(report, ReportState.DUPLICATE, now=now)
        report.duplicate_of = original
        report.save(update_fields=["state", "duplicate_of", "acknowledged_at", "closed_at", "updated_at"])
        link = absolute_url(original.get_absolute_url())
        message = text.strip() or _("This problem is already reported as #%(id)s: follow it there.") % {
            "id": original.pk
        }
        message = f"{message}\n{link}"
        ReportUpdate.objects.create(
            report=report,
            author=by,
            by_staff=True,
            kind=UpdateKind.DUPLICATE,
            text=message,
            previous_state=previous,
            new_state=ReportState.DUPLICATE,
        )
        title = _state_title(report)
        notify_followers(
            target=report, title=title, body=message, url=original.get_absolute_url(), kind=KIND_UPDATE, exclude=by
        )
        reporter_state_email(report=report, title=title, body=message)
        content_type_id, object_pk = target_key(report)
        follows = Follow.objects.of_target(content_type_id, object_pk)
        follower_ids = list(follows.values_list("user_id", flat=True))
        for user in get_user_model().objects.filter(pk__in=follower_ids, is_active=True):
            follow_create(user=user, target=original)
        follows.delete()
    return report


def report_reopen(*, report: Report, user, text: str) -> Report:
    """The reporter says "still not fixed" within SIGNALEMENTS_REOPEN_DAYS: the report is open again."""
    if not user.has_perm("signalements.reopen_report", report):
        if report.reporter_id == getattr(user, "pk", None) and report.closed_at:
            limit = report.closed_at + timedelta(days=conf.get("SIGNALEMENTS_REOPEN_DAYS"))
            if timezone.now() > limit:
                raise NotAllowed(
                    _("This report was closed too long ago to be reopened: please report the problem again."),
                    code="too_late",
                )
        raise NotAllowed(_("You cannot reopen this report."), code="not_allowed")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say what is still wrong.")]})
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        previous = _state_change(report, ReportState.NEW, now=now)
        report.reopened_count += 1
        report.save(update_fields=["state", "closed_at", "reopened_count", "updated_at"])
        ReportUpdate.objects.create(
            report=report,
            author=user,
            kind=UpdateKind.REOPENED,
            text=text,
            previous_state=previous,
            new_state=ReportState.NEW,
        )
        service_notify(report=report)
        followers_notify(
            report=report,
            title=_("Report #%(id)s is reopened: still not fixed") % {"id": report.pk},
            body=text,
            exclude=user,
        )
    return report
