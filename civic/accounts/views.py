from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, UpdateView

from .forms import AccountDeleteForm, ProfileForm
from .personal_data import account_delete, my_space_sections, personal_data_export


def export_response(archive: bytes, subject_id: int) -> HttpResponse:
    response = HttpResponse(archive, content_type="application/zip")
    name = f"civic-donnees-{subject_id}-{timezone.now():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class AccountSpaceView(LoginRequiredMixin, UpdateView):
    """The person's hub: their profile, and what they did in every module (reports, ideas, ballots,
    comments, follows...), each module adding its section through the spaces kit."""

    form_class = ProfileForm
    template_name = "accounts/account_space.html"
    success_url = reverse_lazy("account-space")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = my_space_sections(self.request.user)
        return context

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)


class PersonalDataExportView(LoginRequiredMixin, View):
    """Download everything the platform holds about me (a ZIP with JSON and my photos)."""

    http_method_names = ["post"]

    def post(self, request):
        return export_response(personal_data_export(user=request.user), request.user.pk)


class AccountDeleteView(LoginRequiredMixin, FormView):
    """Delete my account: personal data erased, contributions kept under "Former participant"."""

    form_class = AccountDeleteForm
    template_name = "accounts/account_delete.html"

    def handle_no_permission(self):
        if self.request.method == "POST":
            # A second submit after the account is gone: say so instead of a login page.
            messages.info(self.request, _("This account has already been deleted."))
            return redirect("/")
        return super().handle_no_permission()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        try:
            account_delete(user=user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(
            self.request,
            _("Your account has been deleted. What you published stays, signed “Former participant”."),
        )
        return redirect("/")
