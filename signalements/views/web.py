"""Residents' pages: report a problem, read a report, support, update, reopen, confirm, my reports."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from civic.cms.models import SiteIdentity
from civic.core.ratelimit import client_ip
from civic.moderation.exceptions import NotAllowed
from civic.territory.selectors import area_containing

from .. import conf
from ..forms import ReopenForm, ReportForm, ReportUpdateForm, StaffUpdateForm
from ..models import Report
from ..responses import template_render, templates_for
from ..selectors import (
    categories_grouped,
    nearby_open_reports,
    portal_page,
    report_for_idempotency_key,
    report_timeline,
    reports_of_user,
)
from ..services import (
    coordinates_clean,
    report_confirm,
    report_create,
    report_reopen,
    report_staff_changes_apply,
    report_support,
)
from ..services.pending_photos import (
    pending_photo_processed,
    pending_photos_delete,
    pending_photos_of,
    pending_photos_store,
)


def map_config(request) -> dict:
    identity = SiteIdentity.for_request(request)
    return identity.map_config()


def _float_or_none(value):
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def _form_session_key(request) -> str:
    """The session that owns the report form's kept photos, created for someone not logged in."""
    if not request.session.session_key:
        request.session["signalements_report_form"] = True
        request.session.save()
    return request.session.session_key


class ReportCreateView(View):
    """The report form: works without JavaScript, keeps what was typed on error, idempotent on retry."""

    template_name = "signalements/report_form.html"

    def _form(self, data=None, files=None, initial=None):
        groups = categories_grouped()
        categories = [category for _group, items in groups for category in items]
        form = ReportForm(data, files, categories=categories, user=self.request.user, initial=initial or {})
        return form, groups

    def _render(self, form, groups, *, nearby=(), kept=(), status=200):
        chosen = form["category"].value()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "groups": groups,
                "chosen_category": chosen,
                "nearby": nearby,
                "kept_photos": kept,
                "map_config": map_config(self.request),
                "max_photos": conf.get("SIGNALEMENTS_MAX_PHOTOS"),
                "page": portal_page(),
            },
            status=status,
        )

    def get(self, request):
        initial = {key: request.GET[key] for key in ("category", "latitude", "longitude") if request.GET.get(key)}
        form, groups = self._form(initial=initial)
        nearby = self._nearby(initial.get("category"), initial.get("longitude"), initial.get("latitude"))
        return self._render(form, groups, nearby=nearby)

    def _nearby(self, code, longitude, latitude):
        category = (
            next((c for _g, items in categories_grouped() for c in items if c.code == code), None) if code else None
        )
        longitude, latitude = _float_or_none(longitude), _float_or_none(latitude)
        if category is None or longitude is None or latitude is None:
            return []
        try:
            longitude, latitude = coordinates_clean(longitude, latitude)
        except ValidationError:
            return []
        return nearby_open_reports(category=category, longitude=longitude, latitude=latitude)

    def _kept_photos(self, form):
        """The photos kept by an earlier try (less those the person removed), then those sent now,
        each put through the photo pipeline once; refused files are named on the form."""
        request = self.request
        session_key = _form_session_key(request)
        removed = set(request.POST.getlist("remove_photo"))
        named = pending_photos_of(
            tokens=request.POST.getlist("kept_photo") + list(removed), session_key=session_key, user=request.user
        )
        pending_photos_delete(photos=[photo for photo in named if photo.token in removed])
        kept = [photo for photo in named if photo.token not in removed]
        new, errors = pending_photos_store(
            uploads=request.FILES.getlist("photos"), session_key=session_key, user=request.user
        )
        for message in errors:
            form.add_error("photos", message)
        kept += new
        limit = conf.get("SIGNALEMENTS_MAX_PHOTOS")
        if len(kept) > limit:
            form.add_error(
                "photos",
                _("Send at most %(n)s photos: tick “Remove” under %(extra)s of them.")
                % {"n": limit, "extra": len(kept) - limit},
            )
        return kept

    def _sent(self, report):
        if report.confirmation_token and report.state == "unconfirmed":
            return redirect("report-sent")
        return redirect(report.get_absolute_url())

    def post(self, request):
        # A retry of a submission that went through (its answer lost on a weak signal): nothing is
        # processed or stored again, the person lands where the first try led.
        existing = report_for_idempotency_key(request.POST.get("idempotency_key", ""))
        if existing is not None:
            return self._sent(existing)
        form, groups = self._form(request.POST, request.FILES)
        form.is_valid()
        kept = self._kept_photos(form)
        if form.errors:
            return self._render(form, groups, kept=kept, status=400)
        data = form.cleaned_data
        category = data["category"]
        processed = [pending_photo_processed(photo) for photo in kept]
        longitude, latitude = data["longitude"], data["latitude"]
        if not (longitude or "").strip() and not (latitude or "").strip():
            gps = next((photo.gps for photo in processed if photo.gps), None)
            if gps is not None:
                longitude, latitude = gps
                messages.info(request, _("No place was chosen: the position recorded in your photo was used."))
        user = request.user if request.user.is_authenticated else None
        try:
            report = report_create(
                category=category,
                longitude=_float_or_none(longitude) if longitude not in (None, "") else None,
                latitude=_float_or_none(latitude) if latitude not in (None, "") else None,
                description=data["description"],
                address=data["address"],
                reporter=user,
                reporter_name=data.get("reporter_name", "") or (user.display_name if user else ""),
                reporter_email=data.get("reporter_email", ""),
                reporter_phone=data["reporter_phone"],
                hide_name=data["hide_name"],
                extra_answers=form.answers_for(category) if category else {},
                processed_photos=processed,
                idempotency_key=data["idempotency_key"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}, category
            )
            nearby = self._nearby(category.code if category else None, longitude, latitude)
            return self._render(form, groups, nearby=nearby, kept=kept, status=400)
        pending_photos_delete(photos=kept)
        if not (report.confirmation_token and report.state == "unconfirmed"):
            messages.success(request, _("Thank you: your report has been sent to the council's team."))
        return self._sent(report)


class ReportPhotoUploadView(View):
    """The form's script sends the chosen photos here as soon as they are chosen: each goes through the
    photo pipeline once and is kept; the form then carries only their tokens, so a retried submission
    on a weak signal never uploads them again. Without the script the form sends them itself."""

    def post(self, request):
        from civic.core.ratelimit import RateLimited, client_ip, photo_upload_limit_message, rate_limit_hit

        try:
            rate_limit_hit(
                "photo_upload",
                message=photo_upload_limit_message(),
                field="photos",
                user=request.user.pk if request.user.is_authenticated else None,
                ip=client_ip(request),
            )
        except RateLimited as refusal:
            # The script then leaves the files in the form, which sends them itself.
            response = JsonResponse({"photos": [], "errors": [refusal.message_text]}, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        photos, errors = pending_photos_store(
            uploads=request.FILES.getlist("photos"), session_key=_form_session_key(request), user=request.user
        )
        return JsonResponse(
            {
                "photos": [
                    {"token": photo.token, "name": photo.original_name, "thumbnail": photo.thumbnail.url}
                    for photo in photos
                ],
                "errors": errors,
            },
            status=400 if errors and not photos else 200,
        )


class ReportSentView(TemplateView):
    template_name = "signalements/report_sent.html"


class ReportConfirmView(View):
    def get(self, request, token):
        try:
            report = report_confirm(token=token)
        except ValidationError as error:
            return render(
                request, "signalements/report_confirm_failed.html", {"message": error.messages[0]}, status=404
            )
        messages.success(request, _("Your report is confirmed and has been sent to the council's team."))
        return redirect(report.get_absolute_url())


def _report_for(request, pk) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("category", "service", "area__parent", "reporter", "assigned_to", "duplicate_of"),
        pk=pk,
    )
    if not request.user.has_perm("signalements.read_report", report):
        raise Http404
    return report


class ReportDetailView(View):
    template_name = "signalements/report_detail.html"

    def get(self, request, pk, *, update_form=None, staff_form=None, reopen_form=None, status=200):
        report = _report_for(request, pk)
        user = request.user
        staff = user.has_perm("signalements.manage_report", report)
        templates = list(templates_for(report)) if staff else []
        context = {
            "report": report,
            "page": portal_page(),
            "photos": [photo for photo in report.photos.all() if photo.update_id is None],
            "timeline": report_timeline(report, staff=staff, user=user),
            "staff": staff,
            "show_contact": user.has_perm("signalements.view_reporter_contact", report),
            "can_support": user.has_perm("signalements.support_report", report),
            "is_supporter": user.is_authenticated and report.supporter_links.filter(user=user).exists(),
            "can_update": user.has_perm("signalements.update_report", report) and not staff,
            "can_reopen": user.has_perm("signalements.reopen_report", report),
            "can_comment": report.is_public,
            "update_form": update_form or ReportUpdateForm(),
            "staff_form": staff_form
            or (StaffUpdateForm(initial={"priority": report.priority}, templates=templates) if staff else None),
            "reopen_form": reopen_form or ReopenForm(),
            "response_templates": [(item, template_render(item.text, report=report)) for item in templates],
            "map_config": map_config(request),
            "extra_answers": _answers_display(report),
            "place_area": report.area or area_containing(longitude=report.longitude, latitude=report.latitude),
        }
        return render(request, self.template_name, context, status=status)


def _answers_display(report):
    rows = []
    for question in report.category.questions.all():
        if question.code in report.extra_answers:
            value = report.extra_answers[question.code]
            labels = dict(question.choice_list())
            if isinstance(value, list):
                value = ", ".join(labels.get(item, item) for item in value)
            else:
                value = labels.get(str(value), value)
            rows.append((question.label, value))
    return rows


class ReportSupportView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report_for(request, pk)
        try:
            report_support(report=report, user=request.user)
        except NotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you: you support this report and will be told when it changes."))
        return redirect(report.get_absolute_url())


class ReportUpdatePostView(LoginRequiredMixin, View):
    """An update by a resident, or by staff (state, internal note, priority)."""

    def post(self, request, pk):
        report = _report_for(request, pk)
        staff = request.user.has_perm("signalements.manage_report", report)
        detail = ReportDetailView()
        detail.request = request
        if staff and "use_template" in request.POST:
            return detail.get(request, pk, staff_form=_staff_form_from_template(request, report))
        form = (
            StaffUpdateForm(request.POST, request.FILES, templates=templates_for(report))
            if staff
            else ReportUpdateForm(request.POST, request.FILES)
        )
        if not form.is_valid():
            return detail.get(request, pk, **{"staff_form" if staff else "update_form": form, "status": 400})
        data = form.cleaned_data
        try:
            report_staff_changes_apply(
                report=report,
                by=request.user,
                changes=data if staff else {**data, "priority": ""},
                post_update=not staff or bool(data["text"] or data["new_state"] or data["photos"]),
            )
        except NotAllowed as refusal:
            raise PermissionDenied(str(refusal)) from None
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return detail.get(request, pk, **{"staff_form" if staff else "update_form": form, "status": 400})
        messages.success(request, _("Your update has been published."))
        return HttpResponseRedirect(reverse("report-detail", args=[pk]) + "#timeline")


def _staff_form_from_template(request, report) -> StaffUpdateForm:
    """Without JavaScript, "use this template" reloads the staff form with the template's text and
    state, keeping everything else that was typed (photos excepted: a file cannot be sent back)."""
    templates = {item.pk: item for item in templates_for(report)}
    data = request.POST
    initial = {name: data.get(name, "") for name in ("text", "new_state", "expected_fix_date", "responsible_body")}
    initial["priority"] = data.get("priority") or report.priority
    initial["internal"] = data.get("internal") in ("on", "true", "1")
    try:
        chosen = templates.get(int(data.get("response_template") or 0))
    except ValueError:
        chosen = None
    if chosen is None:
        messages.error(request, _("Choose a response template in the list first."))
    else:
        initial["response_template"] = chosen.pk
        initial["text"] = template_render(chosen.text, report=report)
        if chosen.state:
            initial["new_state"] = chosen.state
        messages.info(request, _("The template's text is in the form: check it, then publish."))
    if request.FILES:
        messages.warning(request, _("Add your photos again: they were not kept."))
    return StaffUpdateForm(initial=initial, templates=templates.values())


class ReportReopenView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report_for(request, pk)
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                report_reopen(report=report, user=request.user, text=form.cleaned_data["text"])
            except NotAllowed as refusal:
                messages.error(request, str(refusal))
                return redirect(report.get_absolute_url())
            messages.success(request, _("The report is open again; the team has been told."))
            return redirect(report.get_absolute_url())
        detail = ReportDetailView()
        detail.request = request
        return detail.get(request, pk, reopen_form=form, status=400)


class MyReportsView(LoginRequiredMixin, ListView):
    template_name = "signalements/my_reports.html"
    context_object_name = "reports"
    paginate_by = 20

    def get_queryset(self):
        return reports_of_user(self.request.user)


class ReportListView(TemplateView):
    """The list alternative to the map, with filters (also shown on the portal page)."""

    template_name = "signalements/report_list.html"

    def get_context_data(self, **kwargs):
        from .portal import portal_context

        return {**super().get_context_data(**kwargs), **portal_context(self.request), "page": portal_page()}
