"""Staff follow a funded project: dated milestones with text, photos (the shared image pipeline) and
progress, each told to the project's followers (``services.milestone_add``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from signalements.forms import MultipleFileField

from ..models import Project
from ..services import milestone_add
from .base import HOME, StaffScreenMixin, errors_to_form

FOLLOW_UP = {"url": reverse_lazy("bp_follow_up:index"), "label": gettext_lazy("Follow-up of projects")}


class MilestoneForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(
        label=gettext_lazy("Progress of the project (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("Empty: unchanged."),
    )
    photos = MultipleFileField(label=gettext_lazy("Photos"), required=False)
    photo_alt = forms.CharField(
        label=gettext_lazy("Description of the photos"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For people who cannot see them."),
    )


def funded_projects():
    return (
        Project.objects.filter(selected=True)
        .select_related("budget", "budget__page")
        .annotate(milestone_count=Count("milestones"))
        .order_by("-budget__page__voting_closes", "budget__sort_order", "title")
    )


class FollowUpIndexView(StaffScreenMixin, TemplateView):
    template_name = "budget_participatif/admin/follow_up_index.html"
    page_title = gettext_lazy("Follow-up of projects")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "projects": list(funded_projects())}


class ProjectFollowUpView(StaffScreenMixin, FormView):
    template_name = "budget_participatif/admin/follow_up_project.html"
    form_class = MilestoneForm
    parents = (HOME, FOLLOW_UP)

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(Project.objects.select_related("budget", "budget__page"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.project.title

    def get_initial(self):
        return {"date": timezone.localdate(), "progress": self.project.progress}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["milestones"] = self.project.milestones.prefetch_related("photos").order_by("-date", "-pk")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            milestone = milestone_add(
                project=self.project,
                agent=self.request.user,
                date=data["date"],
                title=data["title"],
                description=data["description"],
                progress=data["progress"],
                photos=data["photos"],
                photo_alt=data["photo_alt"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Milestone “%(title)s” added; the project's followers are told.") % {"title": milestone.title},
        )
        return redirect("bp_follow_up:project", pk=self.project.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
