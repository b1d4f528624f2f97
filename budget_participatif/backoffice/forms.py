"""Forms of the participatory budget's staff screens. They only read input: the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from civic.accounts.roles import Role

from ..models import Budget, BudgetPage, CountingRule, Idea, IdeaReview, IdeaStatus, Verdict

TO_REVIEW = "to_review"


def staff_people():
    """People who may be put in charge of a review: active agents and administrators."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[Role.AGENT, Role.ADMINISTRATOR]) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("display_name", "pk")
    )


def money(value) -> str:
    return f"{formats.number_format(value, force_grouping=True)} €"


class QueueFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=BudgetPage.objects.order_by("-ideas_opens"), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ChoiceField(label=_("Reviewing service"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            (TO_REVIEW, _("Waiting for a verdict")),
            *IdeaStatus.choices,
        ]
        services = IdeaReview.objects.exclude(service="").order_by("service").values_list("service", flat=True)
        self.fields["service"].choices = [("", _("All")), *[(s, s) for s in services.distinct()]]


class IdeaReviewForm(forms.Form):
    service = forms.CharField(
        label=_("Reviewing service"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "bp-known-services", "autocomplete": "off"}),
        help_text=_("The council service that studies the idea (green spaces, roads…)."),
    )
    agent = forms.ModelChoiceField(
        label=_("Agent in charge"),
        queryset=staff_people(),
        empty_label=None,
        help_text=_("Recorded on the review; they find the idea with “Assigned to me”."),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    public_reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author and shown on the idea's page. Required when the idea is not feasible."),
    )
    cost_estimate = forms.IntegerField(
        label=_("Cost estimate (€)"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text=_("Required when the idea is feasible: it becomes the project's cost on the ballot."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = staff_people()


class PutOnBallotForm(forms.Form):
    budget = forms.ModelChoiceField(label=_("Budget"), queryset=Budget.objects.none(), empty_label=None)

    def __init__(self, *args, page: BudgetPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = Budget.objects.filter(page=page).select_related("area")


class IdeaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, idea):
        estimate = getattr(getattr(idea, "review", None), "cost_estimate", None)
        cost = money(estimate) if estimate is not None else _("no cost estimate")
        area = idea.area.name if idea.area_id else _("whole commune")
        return f"{idea.title} — {area} — {cost}"


class IdeasMergeForm(forms.Form):
    """Ideas of one campaign that are not in a project yet and not found unfeasible."""

    ideas = IdeaChoiceField(
        label=_("Ideas to merge"),
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "One of the ideas can no longer be merged (it is in a project now, or was found not feasible): "
                "check the list again."
            ),
            "required": _("Tick at least one idea."),
        },
    )
    budget = forms.ModelChoiceField(label=_("Budget"), queryset=Budget.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Project title"), max_length=200)
    description = forms.CharField(
        label=_("Project description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Empty: the first idea's description."),
    )
    cost = forms.IntegerField(
        label=_("Project cost (€)"),
        required=False,
        min_value=1,
        help_text=_("Empty: the sum of the ideas' cost estimates."),
    )
    on_ballot = forms.BooleanField(label=_("Put the project on the ballot"), required=False, initial=True)

    def __init__(self, *args, page: BudgetPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = (
            Idea.objects.filter(page=page, project=None)
            .exclude(status=IdeaStatus.NOT_FEASIBLE)
            .select_related("area", "review", "author")
            .order_by("title", "pk")
        )
        self.fields["budget"].queryset = Budget.objects.filter(page=page).select_related("area")


class BallotProjectsForm(forms.Form):
    """One checkbox (on the ballot) and one cost per project of the budget, named by the project's id."""

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for project in self.projects:
            self.fields[f"on_ballot_{project.pk}"] = forms.BooleanField(
                label=_("On the ballot"), required=False, initial=project.on_ballot
            )
            self.fields[f"cost_{project.pk}"] = forms.IntegerField(
                label=_("Cost (€)"), min_value=1, max_value=10**15, initial=project.cost
            )

    def rows(self):
        for project in self.projects:
            yield project, self[f"on_ballot_{project.pk}"], self[f"cost_{project.pk}"]

    def changes(self) -> dict[int, tuple[bool, int]]:
        data = self.cleaned_data
        return {p.pk: (data[f"on_ballot_{p.pk}"], data[f"cost_{p.pk}"]) for p in self.projects}


class PublishForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Counting rule to publish"), choices=CountingRule.choices, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_("I have compared the rules. Publish: the selected projects are announced and their followers told."),
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
