"""Staff exports of the inbox as filtered (CSV, XLSX, GeoJSON): they include the reporters' contact, so
they hold only the reports of the person's services (``base.staff_reports``)."""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from civic.core.exports import spreadsheet_row
from civic.core.geojson import GEOJSON_MEDIA_TYPE, feature_collection

from .base import ReportStaffRequiredMixin, staff_reports

STAFF_EXPORT_FIELDS = [
    "id",
    "category",
    "service",
    "state",
    "state_label",
    "priority",
    "priority_label",
    "overdue",
    "area",
    "longitude",
    "latitude",
    "created_at",
    "acknowledged_at",
    "closed_at",
    "assigned_to",
    "duplicate_of",
    "reporter",
    "reporter_email",
    "reporter_phone",
    "description",
]
FORMATS = ("csv", "xlsx", "geojson")


def staff_export_rows(reports):
    for report in reports.iterator(chunk_size=2000):
        yield {
            "id": report.pk,
            "category": report.category.name,
            "service": report.service.name if report.service else "",
            "state": report.state,
            "state_label": report.get_state_display(),
            "priority": report.priority,
            "priority_label": report.get_priority_display(),
            "overdue": report.overdue(),
            "area": report.area.name if report.area else "",
            "longitude": round(report.longitude, 6),
            "latitude": round(report.latitude, 6),
            "created_at": report.created_at.isoformat(),
            "acknowledged_at": report.acknowledged_at.isoformat() if report.acknowledged_at else "",
            "closed_at": report.closed_at.isoformat() if report.closed_at else "",
            "assigned_to": str(report.assigned_to or ""),
            "duplicate_of": report.duplicate_of_id or "",
            "reporter": report.reporter.display_name if report.reporter else report.reporter_name,
            "reporter_email": report.contact_email,
            "reporter_phone": report.reporter_phone,
            "description": report.description,
        }


class ReportExportView(ReportStaffRequiredMixin, View):
    """``export.csv|xlsx|geojson`` with the inbox's filters."""

    def get(self, request, fmt: str):
        if fmt not in FORMATS:
            raise Http404("Unknown export format.")
        _filters, reports = staff_reports(request)
        rows = staff_export_rows(reports)
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(STAFF_EXPORT_FIELDS)
            writer.writerows(spreadsheet_row(row[field] for field in STAFF_EXPORT_FIELDS) for row in rows)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        elif fmt == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(_("Incident reports"))
            sheet.append(STAFF_EXPORT_FIELDS)
            for row in rows:
                sheet.append(spreadsheet_row(row[field] for field in STAFF_EXPORT_FIELDS))
            buffer = io.BytesIO()
            workbook.save(buffer)
            response = HttpResponse(
                buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        else:
            features = [
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                    "properties": {k: v for k, v in row.items() if k not in ("id", "longitude", "latitude")},
                }
                for row in rows
            ]
            response = HttpResponse(
                json.dumps(feature_collection(features), ensure_ascii=False),
                content_type=GEOJSON_MEDIA_TYPE,
            )
        response["Content-Disposition"] = f'attachment; filename="signalements-staff.{fmt}"'
        return response
