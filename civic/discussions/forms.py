from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; links are made clickable. Be respectful: comments are moderated."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conf.get("CIVIC_DISCUSSIONS_MAX_LENGTH")
        self.fields["body"].max_length = limit
        self.fields["body"].widget.attrs["maxlength"] = limit
        self.fields["body"].validators[:] = []
        self.fields["body"].error_messages["required"] = _("Write your comment first.")


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = conf.get("CIVIC_DISCUSSIONS_MAX_LENGTH")
        self.fields["body"].error_messages["required"] = _("Write your comment first.")
