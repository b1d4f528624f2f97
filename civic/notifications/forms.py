from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EmailFrequency


class NotificationPreferenceForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Email me about my notifications"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("Whatever you choose, your notifications stay listed on this site."),
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
    )
