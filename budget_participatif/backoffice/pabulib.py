"""Staff import and export Pabulib ``.pb`` files: a budget's anonymised ballots out, a new budget in.

An import is checked whole before anything is written (``budget_import_pabulib``): a refused file
changes nothing and the message names the line at fault.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from ..models import Budget, BudgetPage
from ..services import budget_export_pabulib, budget_import_pabulib
from .base import BUDGETS, HOME, StaffRequiredMixin, StaffScreenMixin, errors_to_form
from .desk_forms import districts

MAX_PABULIB_BYTES = 50 * 1024 * 1024


class PabulibImportForm(forms.Form):
    campaign = forms.ModelChoiceField(label=gettext_lazy("Campaign"), queryset=BudgetPage.objects.none())
    file = forms.FileField(label=gettext_lazy("Pabulib file (.pb)"), help_text=gettext_lazy("UTF-8, at most 50 MB."))
    name = forms.CharField(
        label=gettext_lazy("Name of the budget"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: the file's description."),
    )
    area = forms.ModelChoiceField(label=gettext_lazy("District"), queryset=BudgetPage.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = BudgetPage.objects.order_by("-voting_closes")
        self.fields["area"].queryset = districts()
        self.fields["area"].empty_label = _("City-wide budget")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PABULIB_BYTES:
            raise ValidationError(_("This file is larger than 50 MB."))
        return upload


class PabulibImportView(StaffScreenMixin, FormView):
    template_name = "budget_participatif/admin/pabulib_import.html"
    form_class = PabulibImportForm
    page_title = gettext_lazy("Import a Pabulib file")
    parents = (HOME, BUDGETS)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            budget = budget_import_pabulib(
                page=data["campaign"], text=data["file"].read(), name=data["name"].strip(), area=data["area"]
            )
        except ValidationError as exc:
            errors_to_form(form, ValidationError({"file": exc.messages}))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request,
            _("“%(name)s” imported: %(projects)d projects, %(ballots)d ballots.")
            % {"name": budget.name, "projects": budget.projects.count(), "ballots": budget.ballots.count()},
        )
        return redirect("bp_ballots:ballot", pk=budget.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PabulibExportView(StaffRequiredMixin, View):
    """The budget's anonymised ballots, for staff at any time (the public file waits for the results)."""

    def get(self, request, pk):
        budget = get_object_or_404(Budget.objects.select_related("page", "area"), pk=pk)
        response = HttpResponse(budget_export_pabulib(budget=budget), content_type="text/plain; charset=utf-8")
        name = slugify(f"{budget.page.slug}-{budget.name}")[:100] or "budget"
        response["Content-Disposition"] = f'attachment; filename="{name}-{budget.pk}.pb"'
        return response
