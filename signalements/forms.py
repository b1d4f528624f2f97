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
    """The field of an extra question. Not required for Django (only the chosen category's questions
    must be answered, which the service checks), but a required question is marked for people and
    browsers: ``required`` and ``aria-required`` on its input, a star on its label."""
    field = _question_field_for(question)
    field.question_required = question.required
    if question.required:
        attrs = field.widget.attrs
        attrs["data-question-required"] = "true"
        if question.datatype != QuestionDatatype.MULTIPLE:  # each box of a group would be required
            attrs.update({"required": True, "aria-required": "true"})
    return field


def _question_field_for(question) -> forms.Field:
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
    # Chosen templates fill the text and the state (by JavaScript, or by the "use template" button).
    response_template = forms.TypedChoiceField(
        label=_("Response template"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_template"].choices = [("", _("(none)")), *[(item.pk, item.title) for item in templates]]
        labels = dict(ReportState.choices)
        self.fields["new_state"].choices = [("", _("(unchanged)")), *[(state, labels[state]) for state in STAFF_STATES]]
        self.fields["text"].label = _("Public update")


class ReopenForm(forms.Form):
    text = forms.CharField(label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportAlertForm(forms.Form):
    """Subscribe to new reports by email: in an area, or around a point. The service checks the rest."""

    WHERE_AREA, WHERE_POINT = "area", "point"

    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        error_messages={"invalid": _("Give a valid email address, such as name@example.org.")},
    )
    where = forms.ChoiceField(
        label=_("Where"),
        choices=[(WHERE_AREA, _("In an area")), (WHERE_POINT, _("Around a point"))],
        initial=WHERE_AREA,
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False, empty_label=_("(choose)"))
    latitude = forms.CharField(
        label=_("Latitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    radius = forms.IntegerField(label=_("Radius (metres)"), required=False, initial=500)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )

    def __init__(self, *args, user=None, **kwargs):
        from civic.territory.models import Area

        from . import conf

        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["area"].queryset = Area.objects.order_by("depth", "name").only("pk", "name")
        self.fields["categories"].queryset = Category.objects.filter(active=True)
        low, high = conf.get("SIGNALEMENTS_ALERT_MIN_RADIUS"), conf.get("SIGNALEMENTS_ALERT_MAX_RADIUS")
        self.fields["radius"].widget.attrs.update({"min": low, "max": high, "step": 50})
        self.fields["radius"].help_text = _("Between %(low)s and %(high)s metres.") % {"low": low, "high": high}
        if self.user is not None:
            self.fields["email"].initial = self.user.email
            self.fields["email"].help_text = _(
                "Your own address needs no confirmation; another one receives a confirmation link."
            )
        else:
            self.fields["email"].required = True
            self.fields["email"].help_text = _("We send you a link to confirm it first.")

    def clean(self):
        data = super().clean()
        if data.get("where") == self.WHERE_AREA and not data.get("area"):
            self.add_error("area", _("Choose an area, or choose “Around a point”."))
        return data

    def add_service_errors(self, message_dict: dict) -> None:
        for field, messages in message_dict.items():
            name = "latitude" if field == "location" else field
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
