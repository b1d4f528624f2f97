"""What incident reports hold about a person: "my space" section, export and erasure."""

from django.db.models import Count

from .models import Report, ReportAlert, ReportSupporter, ReportUpdate

SECTION_SIZE = 5


def my_space_section(user) -> dict:
    reports = Report.objects.filter(reporter=user)
    return {
        "reports": list(reports.select_related("category").order_by("-created_at")[:SECTION_SIZE]),
        "report_count": reports.count(),
        "alert_count": ReportAlert.objects.filter(user=user).count(),
    }


def export(user) -> tuple[dict, list[tuple[str, str]]]:
    reports = Report.objects.filter(reporter=user).select_related("category", "area").prefetch_related("photos")
    files = []
    rows = []
    for report in reports.order_by("pk"):
        photos = []
        for photo in report.photos.all():
            name = f"photos/reports/{report.pk}/{photo.pk}-{photo.image.name.rsplit('/', 1)[-1]}"
            files.append((name, photo.image.name))
            photos.append(name)
        rows.append(
            {
                "number": report.pk,
                "created_at": report.created_at,
                "category": report.category.name,
                "description": report.description,
                "address": report.address,
                "location": report.location,
                "area": report.area.name if report.area_id else None,
                "state": report.get_state_display(),
                "extra_answers": report.extra_answers,
                "reporter_name": report.reporter_name,
                "reporter_email": report.reporter_email,
                "reporter_phone": report.reporter_phone,
                "hide_name": report.hide_name,
                "photos": photos,
            }
        )
    updates = ReportUpdate.objects.filter(author=user, by_staff=False).order_by("pk")
    alerts = ReportAlert.objects.filter(user=user).select_related("area").prefetch_related("categories")
    data = {
        "reports": rows,
        "updates": [{"report": u.report_id, "date": u.created_at, "text": u.text} for u in updates],
        "supported_reports": list(ReportSupporter.objects.filter(user=user).values_list("report_id", flat=True)),
        "alerts": [
            {
                "email": alert.email,
                "area": alert.area.name if alert.area_id else None,
                "centre": alert.location,
                "radius_m": alert.radius,
                "categories": [category.name for category in alert.categories.all()],
            }
            for alert in alerts
        ],
    }
    return data, files


def erase(user) -> None:
    """The reports stay (the street still has its pothole), without who made them; supports go and
    the reports' supporter counts follow."""
    Report.objects.filter(reporter=user).update(reporter_name="", reporter_email="", reporter_phone="")
    supported = list(ReportSupporter.objects.filter(user=user).values_list("report_id", flat=True))
    ReportSupporter.objects.filter(user=user).delete()
    counts = dict(
        ReportSupporter.objects.filter(report_id__in=supported)
        .values("report_id")
        .annotate(n=Count("pk"))
        .values_list("report_id", "n")
    )
    for report_id in supported:
        Report.objects.filter(pk=report_id).update(supporter_count=counts.get(report_id, 0))
    ReportAlert.objects.filter(user=user).delete()
