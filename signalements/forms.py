"""Forms of the web flow. They only read what people typed; services decide and store."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Priority, QuestionDatatype, ReportState
from .services.lifecycle import STAFF_STATES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by signalements.photos."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [file for file in files if file]


def question_field_name(category_id: int, code: str) -> str:
    return f"q_{category_id}_{code}"


def _question_field(question) -> forms.Field:
    common = {"label": question.label, "required": False, "help_text": question.help_text}
    if question.datatype == QuestionDatatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if question.datatype == QuestionDatatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.datatype == QuestionDatatype.DATETIME:
        return forms.CharField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
    if question.datatype == QuestionDatatype.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *question.choice_list()], **common)
    if question.datatype == QuestionDatatype.MULTIPLE:
        return forms.MultipleChoiceField(choices=question.choice_list(), widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=200, **common)


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is the problem?"),
        queryset=Category.objects.filter(active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a category from the list."),
            "invalid_choice": _("Choose a category from the list."),
        },
        required=False,
    )
    latitude = forms.CharField(
        label=_("Latitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    address = forms.CharField(label=_("Address or landmark (optional)"), required=False, max_length=250)
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        required=False,
    )
    photos = MultipleFileField(
        label=_("Photos (up to 3)"), required=False, help_text=_("JPEG, PNG, WebP or HEIC. Location data is removed.")
    )
    reporter_name = forms.CharField(label=_("Your name"), required=False, max_length=120)
    reporter_email = forms.CharField(
        label=_("Your email address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    reporter_phone = forms.CharField(
        label=_("Your phone (optional, seen only by the council)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    hide_name = forms.BooleanField(label=_("Do not show my name publicly"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, categories=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex
        if user is not None and user.is_authenticated:
            for name in ("reporter_name", "reporter_email"):
                del self.fields[name]
        self.question_fields = {}
        for category in self.categories:
            for question in category.questions.all():
                name = question_field_name(category.pk, question.code)
                self.fields[name] = _question_field(question)
                self.question_fields.setdefault(category.pk, []).append(name)

    def answers_for(self, category) -> dict:
        answers = {}
        for question in category.questions.all():
            value = self.cleaned_data.get(question_field_name(category.pk, question.code))
            if value not in (None, "", []):
                answers[question.code] = value
        return answers

    def question_groups(self):
        """(category, [bound fields]) for the template."""
        return [
            (category, [self[name] for name in self.question_fields.get(category.pk, [])])
            for category in self.categories
            if category.pk in self.question_fields
        ]

    def add_service_errors(self, message_dict: dict, category=None) -> None:
        for field, messages in message_dict.items():
            name = field
            if field.startswith("question_") and category is not None:
                name = question_field_name(category.pk, field.removeprefix("question_"))
            if field == "location":
                name = "latitude"
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ReportUpdateForm(forms.Form):
    text = forms.CharField(label=_("Your update"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photos = MultipleFileField(label=_("Photo (optional)"), required=False)


class StaffUpdateForm(ReportUpdateForm):
    new_state = forms.ChoiceField(label=_("New state"), required=False)
    internal = forms.BooleanField(label=_("Internal note (not shown to the public)"), required=False)
    expected_fix_date = forms.DateField(
        label=_("Expected fix date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    responsible_body = forms.CharField(
        label=_("Body to contact (when not our responsibility)"), required=False, max_length=250
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReportState.choices)
        self.fields["new_state"].choices = [("", _("(unchanged)")), *[(state, labels[state]) for state in STAFF_STATES]]
        self.fields["text"].label = _("Public update")


class ReopenForm(forms.Form):
    text = forms.CharField(label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3}))
