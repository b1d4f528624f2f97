"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): JSON and XML, the spec's errors.

Reports created here follow the same lifecycle as the others: the person confirms by email.
"""

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from functools import wraps
from xml.etree import ElementTree as ET  # noqa: S405 - we only write XML, never parse it

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from civic.core.ratelimit import RateLimited, client_ip
from civic.notifications.emails import absolute_url

from ..models import OPEN_STATES, Category, Open311Client, Report, Source
from ..services import report_create

logger = logging.getLogger(__name__)

FORMATS = ("json", "xml")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
DEFAULT_DAYS = 90
XML_ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _xml_value(parent, name, value):
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(element, XML_ITEM_NAMES.get(name, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        items = data if isinstance(data, list) else [data]
        item_name = XML_ITEM_NAMES.get(root, "item") if isinstance(data, list) else None
        if item_name:
            for item in items:
                _xml_value(element, item_name, item)
        else:
            for key, value in data.items():
                _xml_value(element, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8", xml_declaration=False)
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render([{"code": status, "description": description}], fmt, root="errors", status=status)


def format_of(path: str) -> str:
    """The format a path asks for: ``xml`` when it ends in ``.xml``, else JSON (also for errors about the format)."""
    return "xml" if path.lower().endswith(".xml") else "json"


def open311_view(*methods: str):
    """An Open311 endpoint answering ``methods``: every error it meets (bad format, bad method, a refusal,
    an unexpected exception) is answered in the spec's error format, in the format asked for."""

    def decorate(view):
        @csrf_exempt  # an API for applications, authenticated by api_key, without cookies
        @wraps(view)
        def wrapper(request, *args, fmt="json", **kwargs):
            if fmt not in FORMATS:
                return error("json", 400, f"Unknown format {fmt!r}: end the path with .json or .xml.")
            if request.method not in methods:
                response = error(fmt, 405, f"{request.method} is not allowed here: use {' or '.join(methods)}.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as problem:
                return error(fmt, problem.status, problem.description)
            except Exception:
                logger.exception("Open311 %s %s failed", request.method, request.path)
                return error(fmt, 500, "The server could not answer this request; try again later.")

        return wrapper

    return decorate


@csrf_exempt
def not_found(request, path: str = ""):
    """Any other path under /open311/v2/: a 404 (or 400 for an unknown format) in the spec's error format."""
    name, dot, extension = path.rpartition(".")
    if not dot or extension.lower() not in FORMATS:
        return error("json", 400 if dot and "/" not in extension else 404, _unknown_path_text(path, dot, extension))
    fmt = extension.lower()
    if name.startswith("requests/"):
        return error(fmt, 404, f"No service request with the id {name.removeprefix('requests/')}.")
    if name.startswith("tokens/"):
        return error(fmt, 404, f"No service request with the token {name.removeprefix('tokens/')}.")
    if name.startswith("services/"):
        return error(fmt, 404, f"No service with the code {name.removeprefix('services/')}.")
    return error(fmt, 404, f"Nothing at {path}: see discovery.{fmt} for the endpoints.")


def _unknown_path_text(path: str, dot: str, extension: str) -> str:
    if dot and "/" not in extension:
        return f"Unknown format {extension!r}: end the path with .json or .xml."
    return f"Nothing at {path or '/'}: end the path with .json or .xml (see discovery.json for the endpoints)."


def _iso(moment) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


# --- Discovery and services ---------------------------------------------------------------------


@open311_view("GET")
def discovery(request, *, fmt):
    base = absolute_url(reverse("open311-discovery", kwargs={"fmt": fmt}).rsplit("discovery", 1)[0])
    data = {
        "changeset": _iso(
            Category.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() or timezone.now()
        ),
        "contact": "",
        "key_service": "",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": _iso(timezone.now()),
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


def _service(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(getattr(category, "question_count", None) or category.questions.exists()),
        "type": "realtime",
        "keywords": category.group,
        "group": category.group,
    }


@open311_view("GET")
def services(request, *, fmt):
    from django.db.models import Count

    categories = Category.objects.filter(active=True).annotate(question_count=Count("questions"))
    return render([_service(category) for category in categories], fmt, root="services")


@open311_view("GET")
def service_definition(request, code, *, fmt):
    category = Category.objects.filter(active=True, code=code).prefetch_related("questions").first()
    if category is None:
        raise Open311Error(404, f"No service with the code {code}.")
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        attribute = {
            "variable": True,
            "code": question.code,
            "datatype": question.datatype,
            "required": question.required,
            "datatype_description": question.help_text or None,
            "order": order,
            "description": question.label,
        }
        if question.is_list:
            attribute["values"] = [{"key": key, "name": label} for key, label in question.choice_list()]
        attributes.append(attribute)
    return render({"service_code": category.code, "attributes": attributes}, fmt, root="service_definition")


# --- Requests ------------------------------------------------------------------------------------


def _request(report, photo_url) -> dict:
    status_notes = None
    last = getattr(report, "last_public_text", None)
    if last:
        status_notes = last
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.state in OPEN_STATES else "closed",
        "status_notes": status_notes,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.service.name if report.service_id else None,
        "service_notice": None,
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(datetime.combine(report.expected_fix_date, datetime.min.time(), tzinfo=UTC))
        if report.expected_fix_date
        else None,
        "address": report.address or (report.area.name if report.area_id else None),
        "address_id": None,
        "zipcode": None,
        "lat": round(report.latitude, 7),
        "long": round(report.longitude, 7),
        "media_url": photo_url,
    }


def _requests_payload(reports) -> list[dict]:
    from django.db.models import OuterRef, Subquery

    from ..models import ReportPhoto, ReportUpdate

    last_text = (
        ReportUpdate.objects.public()
        .filter(report=OuterRef("pk"))
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )
    first_photo = (
        ReportPhoto.objects.filter(report=OuterRef("pk"), update__isnull=True)
        .order_by("position", "pk")
        .values("image")[:1]
    )
    reports = reports.select_related("category", "service", "area").annotate(
        last_public_text=Subquery(last_text), first_photo=Subquery(first_photo)
    )
    from django.core.files.storage import default_storage

    return [
        _request(report, absolute_url(default_storage.url(report.first_photo)) if report.first_photo else None)
        for report in reports
    ]


def _date_param(request, name):
    value = request.GET.get(name)
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:  # well formed but impossible: 2024-13-45
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} must be a W3C date-time, e.g. 2026-05-14T08:30:00Z.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@open311_view("GET", "POST")
def requests_view(request, *, fmt):
    if request.method == "POST":
        return _create(request, fmt=fmt)
    reports = Report.objects.public()
    if ids := request.GET.get("service_request_id"):
        wanted = [part.strip() for part in ids.split(",") if part.strip().isdecimal() and int(part) < 2**63]
        return render(
            _requests_payload(reports.filter(pk__in=wanted).order_by("-created_at")), fmt, root="service_requests"
        )
    if codes := request.GET.get("service_code"):
        reports = reports.filter(category__code__in=[code.strip() for code in codes.split(",")])
    end = _date_param(request, "end_date") or timezone.now()
    start = _date_param(request, "start_date") or end - timedelta(days=DEFAULT_DAYS)
    reports = reports.filter(created_at__gte=start, created_at__lte=end)
    if status := request.GET.get("status"):
        statuses = {part.strip() for part in status.split(",")}
        if not statuses <= {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or open,closed.")
        if statuses == {"open"}:
            reports = reports.open()
        elif statuses == {"closed"}:
            reports = reports.closed()
    try:
        limit = min(max(int(request.GET.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
    except ValueError:
        raise Open311Error(400, "limit must be a number.") from None
    return render(_requests_payload(reports.order_by("-created_at")[:limit]), fmt, root="service_requests")


@open311_view("GET")
def request_detail(request, pk, *, fmt):
    reports = Report.objects.public().filter(pk=pk)
    payload = _requests_payload(reports)
    if not payload:
        raise Open311Error(404, f"No service request with the id {pk}.")
    return render(payload, fmt, root="service_requests")


@open311_view("GET")
def token_detail(request, token, *, fmt):
    report = Report.objects.filter(idempotency_key=f"open311:{token}").exclude(state="hidden").first()
    if report is None:
        raise Open311Error(404, f"No service request with the token {token}.")
    service_request_id = str(report.pk) if report.is_public else None
    return render([{"service_request_id": service_request_id, "token": token}], fmt, root="service_requests")


def _attributes(post) -> dict:
    answers = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]") or key.startswith("attribute[") and key.endswith("[]"):
            code = key[len("attribute[") :].split("]", 1)[0]
            values = post.getlist(key)
            answers[code] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return answers


def idempotency_key(client, key: str) -> str:
    """The stored key of a client's ``Idempotency-Key``: a digest of the whole key (any length), so two keys
    that differ anywhere are two requests. ``open311:`` + 56 hex digits (224 bits of SHA-256) fits the column,
    and the part after ``open311:`` is the request's token."""
    digest = hashlib.sha256(f"{client.pk}:{key}".encode()).hexdigest()
    return f"open311:{digest[:56]}"


def _create(request, *, fmt):
    import secrets

    api_key = request.POST.get("api_key", "")
    client = Open311Client.objects.filter(api_key=api_key, active=True).first() if api_key else None
    if client is None:
        raise Open311Error(403, "A valid api_key is required to create service requests.")
    code = request.POST.get("service_code", "")
    category = Category.objects.filter(active=True, code=code).first()
    if category is None:
        raise Open311Error(
            404 if code else 400, f"No service with the code {code}." if code else "service_code is required."
        )
    if not request.POST.get("lat") or not request.POST.get("long"):
        raise Open311Error(400, "lat and long are required: this jurisdiction does not accept address_string alone.")
    name = " ".join(
        part for part in (request.POST.get("first_name", ""), request.POST.get("last_name", "")) if part
    ).strip()
    key = request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or ""
    try:
        report = report_create(
            category=category,
            longitude=request.POST.get("long"),
            latitude=request.POST.get("lat"),
            description=request.POST.get("description", ""),
            address=request.POST.get("address_string", ""),
            reporter_name=name or request.POST.get("email", "").split("@")[0],
            reporter_email=request.POST.get("email", ""),
            reporter_phone=request.POST.get("phone", ""),
            extra_answers=_attributes(request.POST),
            source=Source.OPEN311,
            open311_client=client,
            idempotency_key=idempotency_key(client, key) if key else f"open311:{secrets.token_urlsafe(12)}",
            ip=client_ip(request),
        )
    except RateLimited as refusal:
        return render([{"code": 429, "description": refusal.message_text}], fmt, root="errors", status=429)
    except ValidationError as problem:
        messages = []
        by_field = problem.message_dict if hasattr(problem, "error_dict") else {"request": problem.messages}
        for field, field_messages in by_field.items():
            messages += [f"{field}: {message}" for message in field_messages]
        return render([{"code": 400, "description": " ".join(messages)}], fmt, root="errors", status=400)
    token = report.idempotency_key.removeprefix("open311:")
    return render(
        [
            {
                "token": token,
                "service_request_id": str(report.pk) if report.is_public else None,
                "service_notice": "Confirm the request with the link sent by email.",
                "account_id": None,
            }
        ],
        fmt,
        root="service_requests",
        status=201,
    )
