from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import DecisionAction, FlagReason, ModerationState
from .selectors import AGE_CHOICES, QueueView, reason_choices


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("Help the moderators understand the problem. Do not write personal data."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


DECIDE_CHOICES = [
    (DecisionAction.APPROVE.value, _("Approve: publish it")),
    (DecisionAction.HIDE.value, _("Hide it from the public")),
    (DecisionAction.REJECT.value, _("Reject it")),
]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=DECIDE_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author. Required to hide or reject."),
    )
    notify_author = forms.BooleanField(label=_("Tell the author"), required=False, initial=True)
    expected_state = forms.ChoiceField(choices=ModerationState.choices, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if (
            data.get("action") in (DecisionAction.HIDE, DecisionAction.REJECT)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give a reason: the author will read it."))
        return data


class SelectedItemsField(forms.MultipleChoiceField):
    """The queue's checkboxes: any value is accepted here, ``clean_items`` parses them."""

    def valid_value(self, value):
        return True


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=DECIDE_CHOICES)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    items = SelectedItemsField(required=True, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].error_messages["required"] = _("Select at least one item.")

    def clean_items(self):
        # Each value is "content_type_id:pk:state:version", as rendered in the queue.
        parsed = []
        for value in self.cleaned_data["items"]:
            try:
                content_type_id, pk, state, version = value.rsplit(":", 3)
                parsed.append((int(content_type_id), pk, state, int(version)))
            except ValueError:
                raise forms.ValidationError(_("Invalid selection; reload the queue.")) from None
        return parsed

    def clean(self):
        data = super().clean()
        if (
            data.get("action") in (DecisionAction.HIDE, DecisionAction.REJECT)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give a reason: the authors will read it."))
        return data


class ModeratorEditForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you edit it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the author, e.g. “Phone number removed”."),
    )
    publish = forms.BooleanField(label=_("Publish it after the edit"), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        model = type(item)
        for name in reversed(registry.entry_for(item).text_fields):
            field = model._meta.get_field(name)
            self.fields = {
                f"text_{name}": forms.CharField(
                    label=str(field.verbose_name).capitalize(),
                    initial=getattr(item, name),
                    widget=forms.Textarea(attrs={"rows": 5}),
                ),
                **self.fields,
            }
        self.initial.setdefault("expected_version", item.moderation_version)

    def changes(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"text_{name}"].replace("\r\n", "\n").strip()
            for name in registry.entry_for(self.item).text_fields
        }


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Sent to the person.")
    )
    ends_at = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Leave empty to block until someone lifts the block."),
    )
    hide_content = forms.BooleanField(
        label=_("Also hide everything they have published"), required=False, initial=False
    )


class UnblockForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    restore_content = forms.BooleanField(
        label=_("Publish again what the block had hidden"), required=False, initial=True
    )


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(label=_("Show"), choices=QueueView.choices, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    space = forms.CharField(label=_("Space"), required=False, widget=forms.Select)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    age = forms.ChoiceField(label=_("Waiting"), choices=AGE_CHOICES, required=False)

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types"))] + [
            (entry.key, entry.label) for entry in registry.entries()
        ]
        self.fields["space"].widget.choices = [("", _("All spaces")), *spaces]
        self.fields["reason"].choices = [("", _("All reasons")), *reason_choices()]

    def value(self, name: str) -> str:
        """The cleaned value of one filter; a filter with an invalid value is ignored (and shows its error)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class DecisionLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *DecisionAction.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "query": (data.get("q") or "").strip(),
        }
