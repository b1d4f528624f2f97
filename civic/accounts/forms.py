from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.template import loader
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from civic.core.emails import email_message, email_queue
from civic.territory.models import Area

from .models import User
from .names import display_name_clean


class SignupExtraForm(forms.Form):
    """Fields allauth's signup form adds to email and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown next to what you publish. You may use a pseudonym."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return display_name_clean(self.cleaned_data["display_name"])

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "home_area"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def clean_display_name(self):
        return display_name_clean(self.cleaned_data["display_name"], user=self.instance)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_area"].queryset = Area.objects.order_by("kind", "name")


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password (when the account has one) and a ticked box."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased for good."),
        required=True,
        error_messages={"required": _("Tick this box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password


class AdminPasswordResetForm(WagtailPasswordResetForm):
    """Wagtail admin's password reset, on the one email path: the link is built on SITE_URL (not
    on the host the request came by) and the email is sent by the task queue."""

    def save(self, *args, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["extra_email_context"] = {
            **(kwargs.get("extra_email_context") or {}),
            "domain": site.netloc,
            "protocol": site.scheme,
        }
        return super().save(*args, **kwargs)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        email_queue(email_message(subject=subject, body=body, to=[to_email], html=html, from_email=from_email))
