from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civic.core.coordinates import coordinates_clean
from civic.territory.models import Area, AreaKind

from .models import Theme


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Your idea"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("What, where, for whom? A few sentences are enough."),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    area = forms.ModelChoiceField(
        label=_("District"),
        queryset=Area.objects.filter(kind=AreaKind.QUARTIER),
        required=False,
        empty_label=_("The whole commune"),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    cost_guess = forms.IntegerField(
        label=_("Cost guess (€, optional)"),
        min_value=0,
        required=False,
        help_text=_("If you have an idea of the cost. The council's services will estimate it."),
    )
    # Checked by the core's image pipeline (in ``idea_create``), like a report's photos: its refusal
    # (not an image, damaged, too large, a format other than JPEG, PNG, WebP or HEIC) shows here.
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG, WebP or HEIC. Published without its location and camera details."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}),
    )

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        if data.get("latitude") is not None:
            try:
                data["longitude"], data["latitude"] = coordinates_clean(data["longitude"], data["latitude"])
            except ValidationError as error:
                self.add_error("latitude", error.message_dict["location"])
        return data
