"""What incident reports hold about a person: "my space" section, export and erasure."""

from civic.accounts.personal_data import photo_files, supports_erase

from .models import PendingPhoto, Report, ReportAlert, ReportSupporter, ReportUpdate

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
        photos, photo_paths = photo_files("reports", report.pk, report.photos.all())
        files.extend(photo_paths)
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
    supports_erase(
        links=ReportSupporter.objects.filter(user=user),
        target_field="report_id",
        targets=Report.objects.all(),
        count_field="supporter_count",
    )
    ReportAlert.objects.filter(user=user).delete()
    # Photos a report form kept for a report never sent (they expire within a day anyway).
    from .services.pending_photos import pending_photos_delete

    pending_photos_delete(photos=PendingPhoto.objects.filter(user=user))
