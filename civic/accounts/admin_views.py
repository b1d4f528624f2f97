"""The staff screen for the RGPD rights: export or delete a person's data on their request, audited.

Administrators only (``civic_accounts.handle_personal_data``), under /admin/donnees-personnelles/.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import PersonalDataRequest, User
from .personal_data import account_delete, personal_data_export
from .views import export_response

PERMISSION = "civic_accounts.handle_personal_data"


class PersonalDataRequestForm(forms.Form):
    email = forms.EmailField(label=_("The person's email address"))
    reason = forms.CharField(
        label=_("Request reference"),
        max_length=200,
        help_text=_("Where the request came from: a letter's date, a ticket number. Kept in the audit."),
    )
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=[("export", _("Download their data")), ("delete", _("Delete their account"))],
        widget=forms.RadioSelect,
    )
    confirm_delete = forms.BooleanField(label=_("I confirm the deletion: it cannot be undone."), required=False)

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email:
            cleaned_data["user"] = User.objects.filter(email__iexact=email).first()
            if cleaned_data["user"] is None:
                self.add_error("email", _("No account has this email address (it may have been deleted already)."))
        if cleaned_data.get("action") == "delete" and not cleaned_data.get("confirm_delete"):
            self.add_error("confirm_delete", _("Tick this box to confirm the deletion."))
        return cleaned_data


class PersonalDataRequestView(WagtailAdminTemplateMixin, FormView):
    form_class = PersonalDataRequestForm
    template_name = "accounts/admin/personal_data.html"
    page_title = _("Personal data")
    header_icon = "user"
    success_url = reverse_lazy("civic_accounts_admin_personal_data")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = PersonalDataRequest.objects.select_related("performed_by")
        context["page_obj"] = Paginator(audit, 50).get_page(self.request.GET.get("page"))
        return context

    def form_valid(self, form):
        user, reason = form.cleaned_data["user"], form.cleaned_data["reason"]
        if form.cleaned_data["action"] == "export":
            archive = personal_data_export(user=user, performed_by=self.request.user, reason=reason)
            return export_response(archive, user.pk)
        if user.pk == self.request.user.pk:
            form.add_error("email", _("Delete your own account from your space, not from here."))
            return self.form_invalid(form)
        try:
            account_delete(user=user, performed_by=self.request.user, reason=reason)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The account #%(number)s has been deleted.") % {"number": user.pk})
        return redirect(self.get_success_url())
