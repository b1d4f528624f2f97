"""One report in the Wagtail admin: its details and contact, its whole history (internal notes too), and the
staff actions (a public update or state change, an internal note, priority, assignment, duplicate), each
through its service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from civic.core.backoffice import HOME, errors_to_form
from civic.moderation.exceptions import NotAllowed

from ..forms import StaffUpdateForm
from ..models import Report
from ..responses import template_render, templates_for
from ..selectors import report_timeline
from ..services import report_assign, report_mark_duplicate, report_staff_changes_apply
from .base import INBOX, ReportStaffMixin
from .forms import ReportAssignForm, ReportDuplicateForm

ACTIONS = ("update", "assign", "duplicate")


class ReportStaffView(ReportStaffMixin, TemplateView):
    template_name = "signalements/admin/report.html"
    parents = (HOME, INBOX)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.report = get_object_or_404(
            Report.objects.select_related(
                "category", "service", "area", "reporter", "assigned_to", "duplicate_of", "portal"
            ).exclude(state="unconfirmed"),
            pk=kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        self._check_report()
        return super().get(request, *args, **kwargs)

    def _check_report(self):
        # Another service's report: as if it did not exist (its reporter's contact is not theirs to read).
        if not self.request.user.has_perm("signalements.manage_report", self.report):
            raise Http404("No such report among yours.")

    def get_page_title(self):
        return _("Report #%(id)s") % {"id": self.report.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        templates = list(templates_for(report))
        context.update(
            report=report,
            overdue=report.overdue(),
            photos=[photo for photo in report.photos.all() if photo.update_id is None],
            timeline=report_timeline(report, staff=True),
            duplicates=list(report.duplicates.order_by("pk").values_list("pk", flat=True)),
            update_form=kwargs.get("update_form")
            or StaffUpdateForm(initial={"priority": report.priority}, templates=templates),
            assign_form=kwargs.get("assign_form") or ReportAssignForm(report=report),
            duplicate_form=kwargs.get("duplicate_form") or ReportDuplicateForm(),
            response_templates=[(item, template_render(item.text, report=report)) for item in templates],
        )
        return context

    def post(self, request, *args, **kwargs):
        self._check_report()
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, _("Choose an action on the page."))
            return self._back()
        form, done = getattr(self, f"_{action}")(request)
        if action == "update" and "use_template" in request.POST:
            return self.render_to_response(self.get_context_data(update_form=form))
        if done:
            messages.success(request, done)
            return self._back()
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}), status=400)

    def _back(self):
        return HttpResponseRedirect(reverse("signalements_staff:report", args=[self.report.pk]))

    def _update(self, request):
        report = self.report
        templates = list(templates_for(report))
        if "use_template" in request.POST:
            from ..views.web import _staff_form_from_template  # the same "use this template" as the report page

            return _staff_form_from_template(request, report), ""
        form = StaffUpdateForm(request.POST, request.FILES, templates=templates)
        if not form.is_valid():
            return form, ""
        data = form.cleaned_data
        priority_changed = bool(data.get("priority")) and data["priority"] != report.priority
        if not (priority_changed or data["text"] or data["new_state"] or data["photos"]):
            form.add_error("text", _("Write something, change the state or add a photo."))
            return form, ""
        try:
            report_staff_changes_apply(
                report=report,
                by=request.user,
                changes=data,
                post_update=bool(data["text"] or data["new_state"] or data["photos"]),
            )
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
            return form, ""
        except ValidationError as error:
            errors_to_form(form, error)
            return form, ""
        return form, _("Report #%(id)s is updated.") % {"id": report.pk}

    def _assign(self, request):
        form = ReportAssignForm(request.POST, report=self.report)
        if not form.is_valid():
            return form, ""
        agent = form.cleaned_data["agent"]
        try:
            report_assign(report=self.report, agent=agent, by=request.user)
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
            return form, ""
        except ValidationError as error:
            errors_to_form(form, error)
            return form, ""
        if agent is None:
            return form, _("Report #%(id)s is assigned to nobody.") % {"id": self.report.pk}
        return form, _("Report #%(id)s is assigned to %(name)s.") % {"id": self.report.pk, "name": agent}

    def _duplicate(self, request):
        form = ReportDuplicateForm(request.POST)
        if not form.is_valid():
            return form, ""
        original = form.cleaned_data["original"]
        try:
            report_mark_duplicate(
                report=self.report, original=original, by=request.user, text=form.cleaned_data["text"]
            )
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
            return form, ""
        except ValidationError as error:
            for message in error.message_dict.get("duplicate_of", error.messages):
                form.add_error("original", message)
            return form, ""
        return form, _(
            "Report #%(id)s is closed as a duplicate of #%(original)s; its followers follow #%(original)s."
        ) % {
            "id": self.report.pk,
            "original": original.pk,
        }
