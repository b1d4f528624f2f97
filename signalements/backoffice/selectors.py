"""Reads of the staff screens: which services and reports a person handles, which reports are late."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import OPEN_STATES, Category, Report, ReportState, Service


def staff_sees_every_service(user) -> bool:
    return user.is_superuser or user.has_role("administrator")


def services_for_staff(user):
    """The services whose reports ``user`` sees in the back office: every one for administrators, an
    agent's own services otherwise (never another team's, whose reporters' contacts they may not read)."""
    if staff_sees_every_service(user):
        return Service.objects.all()
    return Service.objects.filter(agents=user)


def reports_for_staff(user, *, service: int | None = None):
    """The reports ``user`` handles in the back office (unconfirmed ones excepted), of one ``service``
    when given. Raises ``Service.DoesNotExist`` for a service that does not exist or is not theirs."""
    reports = Report.objects.exclude(state=ReportState.UNCONFIRMED)
    services = services_for_staff(user)
    if service is not None:
        if not services.filter(pk=service).exists():
            raise Service.DoesNotExist(f"service {service} is not one of the person's services")
        return reports.filter(service_id=service)
    if staff_sees_every_service(user):
        return reports
    return reports.filter(service_id__in=list(services.values_list("pk", flat=True)))


def overdue_condition(now=None) -> Q:
    """The open reports that are late, as one condition: still new after their category's response time,
    or open after its fix time (``Report.overdue`` says which)."""
    now = now or timezone.now()
    by_limits: dict[tuple[int, int], list[int]] = {}
    for category in Category.objects.only("pk", "response_days", "fix_days"):
        by_limits.setdefault((category.response_limit_days, category.fix_limit_days), []).append(category.pk)
    late = Q(pk__in=[])
    for (response, fix), category_ids in by_limits.items():
        late |= Q(category_id__in=category_ids) & (
            Q(state=ReportState.NEW, created_at__lt=now - timedelta(days=response))
            | Q(created_at__lt=now - timedelta(days=fix))
        )
    return Q(state__in=OPEN_STATES) & late
