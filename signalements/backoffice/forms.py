"""The forms of a report's staff page that the residents' pages do not have: assignment, duplicate."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import Report


class ReportAssignForm(forms.Form):
    agent = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("(nobody: take it back)")
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        agents = get_user_model().objects.filter(groups__name="agent", is_active=True)
        if report.service_id:
            agents = agents.filter(report_services=report.service_id)
        self.fields["agent"].queryset = agents.order_by("display_name").distinct()
        self.fields["agent"].initial = report.assigned_to_id


class ReportDuplicateForm(forms.Form):
    original = forms.IntegerField(
        label=_("Number of the original report"),
        min_value=1,
        help_text=_(
            "The report is closed with a link to it; its followers follow it from now on; the reporter is told."
        ),
        error_messages={"invalid": _("Give the number of a report, such as 1234.")},
    )
    text = forms.CharField(
        label=_("Message to the reporter (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_original(self):
        number = self.cleaned_data["original"]
        original = Report.objects.select_related("duplicate_of").filter(pk=number).first()
        if original is None:
            raise forms.ValidationError(_("There is no report #%(id)s.") % {"id": number})
        return original
