from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from .forms import ProfileForm


class AccountSpaceView(LoginRequiredMixin, UpdateView):
    """The person's own space: their profile, roles and links to the rest of their account."""

    form_class = ProfileForm
    template_name = "accounts/account_space.html"
    success_url = reverse_lazy("account-space")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)
