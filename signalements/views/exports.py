"""Open data: public reports as CSV and GeoJSON, without any personal data. Every CSV cell goes through
``spreadsheet_cell`` (a description cannot become a live formula); the GeoJSON keeps the texts as written."""

import csv

from django.http import StreamingHttpResponse
from django.utils import translation

from civic.core.exports import spreadsheet_cell
from civic.core.geojson import GEOJSON_MEDIA_TYPE, feature_collection_stream, row_feature

from ..selectors import ReportFilters, reports_public_list

OPEN_DATA_FIELDS = [
    "id",
    "category",
    "category_name",
    "group",
    "state",
    "state_label",
    "area",
    "longitude",
    "latitude",
    "created_at",
    "closed_at",
    "supporters",
    "description",
]


def open_data_rows(reports, *, language: str | None = None):
    """Public fields only: never the reporter, their contact, internal notes or the assigned agent. Labels
    in ``language`` (the request's: a streamed answer is written after the request's language is gone)."""
    language = language or translation.get_language()
    for report in reports.iterator(chunk_size=2000):
        with translation.override(language):
            state_label = str(report.get_state_display())
        yield {
            "id": report.pk,
            "category": report.category.code,
            "category_name": report.category.name,
            "group": report.category.group,
            "state": report.state,
            "state_label": state_label,
            "area": report.area.name if report.area_id else "",
            "longitude": round(report.longitude, 6),
            "latitude": round(report.latitude, 6),
            "created_at": report.created_at.isoformat(),
            "closed_at": report.closed_at.isoformat() if report.closed_at else "",
            "supporters": report.supporter_count,
            "description": report.description,
        }


class _Echo:
    def write(self, value):
        return value


def _reports(request):
    return reports_public_list(filters=ReportFilters.from_params(request.GET)).order_by("pk")


def export_csv(request):
    writer = csv.DictWriter(_Echo(), fieldnames=OPEN_DATA_FIELDS)
    language = translation.get_language()

    def lines():
        yield writer.writeheader() or ",".join(OPEN_DATA_FIELDS) + "\r\n"
        for row in open_data_rows(_reports(request), language=language):
            yield writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="signalements.csv"'
    return response


def export_geojson(request):
    language = translation.get_language()

    def chunks():
        return feature_collection_stream(
            row_feature(row) for row in open_data_rows(_reports(request), language=language)
        )

    response = StreamingHttpResponse(chunks(), content_type=GEOJSON_MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="signalements.geojson"'
    return response
