"""The voting desk and the voting codes, in the Wagtail admin (agents and administrators).

Voting desk (``/admin/budget-participatif/desk/<budget id>/``): an agent identifies the voter by
account email or voting code and sees whether they already voted in this budget, then types the
choices of a paper ballot or records the vote of a person helped at the desk. Everything goes
through ``paper_ballot_enter``: the rules and messages are those of the online ballot, the channel
is recorded, a ballot from another channel is refused, and a correction needs a ticked box.

Voting codes (``/admin/budget-participatif/desk/codes/<campaign id>/``): issued and used codes per
batch; generation, whose clear codes leave once, as the CSV answer of the form (only keyed hashes
are stored); import of codes printed elsewhere, checked line by line before anything is stored.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic.core.exports import spreadsheet_cell as _cell
from civic.moderation.exceptions import NotAllowed

from ..models import Ballot, BallotChannel, Budget, BudgetPage, VotingCode
from ..selectors import ballot_projects
from ..services import paper_ballot_enter, voting_codes_generate, voting_codes_import
from ..views.ballots import selections_from
from .base import HOME, STAFF_PERMISSION, StaffRequiredMixin
from .desk_forms import BallotEntryForm, CodeGenerateForm, CodeImportForm, VoterForm

DESK = {"url": reverse_lazy("bp_desk:index"), "label": gettext_lazy("Voting desk and codes")}


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STAFF_PERMISSION, None)


class StaffOnlyMixin(StaffRequiredMixin, WagtailAdminTemplateMixin):
    """Agents and administrators (the same permission as the other budget staff screens)."""

    header_icon = "form"


# --- The voting desk -----------------------------------------------------------------------------


def _existing_ballot(budget: Budget, voter, code) -> Ballot | None:
    identity = Q(pk__in=[])
    if voter is not None:
        identity |= Q(voter=voter)
    if code is not None:
        identity |= Q(voting_code=code)
    return (
        Ballot.objects.filter(identity, budget=budget)
        .select_related("entered_by")
        .prefetch_related("choices")
        .order_by("pk")
        .first()
    )


def _refusal(existing: Ballot | None, voter, code) -> str:
    """Why this person cannot vote at the desk in this budget ("" when they can, or may correct)."""
    if existing is None:
        return ""
    if voter is not None and existing.voter_id not in (None, voter.pk):
        return _("This voting code was already used by another person in this budget.")
    if code is not None and existing.voting_code_id not in (None, code.pk):
        return _("This person already voted in this budget with another voting code.")
    if existing.channel in (BallotChannel.ONLINE, BallotChannel.IMPORTED):
        return _(
            "This person already voted in this budget (channel: %(channel)s, on %(date)s). "
            "A ballot is only replaced through its own channel: they cannot vote again at the desk."
        ) % {
            "channel": existing.get_channel_display(),
            "date": formats.date_format(timezone.localtime(existing.updated_at), "SHORT_DATETIME_FORMAT"),
        }
    return ""


class DeskIndexView(StaffOnlyMixin, TemplateView):
    """Every campaign with its budgets (a desk each) and its voting codes."""

    template_name = "budget_participatif/admin/desk_index.html"
    page_title = gettext_lazy("Voting desk and codes")

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        budgets = Budget.objects.select_related("area").annotate(
            ballot_count=Count("ballots"),
            desk_count=Count("ballots", filter=Q(ballots__channel__in=[BallotChannel.PAPER, BallotChannel.ASSISTED])),
        )
        campaigns = (
            BudgetPage.objects.order_by("-voting_opens", "pk")
            .annotate(
                code_count=Count("voting_codes"),
                used_code_count=Count("voting_codes", filter=Q(voting_codes__first_used_at__isnull=False)),
            )
            .prefetch_related(Prefetch("budgets", queryset=budgets))
        )
        context["campaigns"] = campaigns
        return context


class DeskView(StaffOnlyMixin, TemplateView):
    """One budget's desk: identify the voter (step 1), then enter the ballot (step 2)."""

    template_name = "budget_participatif/admin/desk_budget.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.budget = get_object_or_404(Budget.objects.select_related("page", "area"), pk=kwargs["budget_id"])

    def get_page_title(self):
        return _("Voting desk: %(budget)s") % {"budget": self.budget.name}

    def get_breadcrumbs_items(self):
        return [HOME, DESK, {"url": "", "label": self.budget.name}]

    def get(self, request, *args, **kwargs):
        return self.render(step="identify", voter_form=VoterForm(page=self.budget.page))

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("budget_participatif.enter_ballot", self.budget):
            return self.render(step="closed", status=403)
        if request.POST.get("step") == "enter":
            return self.enter()
        return self.identify()

    def identify(self):
        form = VoterForm(self.request.POST, page=self.budget.page)
        if not form.is_valid():
            return self.render(step="identify", voter_form=form, status=400)
        existing = _existing_ballot(self.budget, form.voter, form.code)
        refusal = _refusal(existing, form.voter, form.code)
        if refusal:
            return self.render(step="refused", voter=form.voter, code=form.code, existing=existing, refusal=refusal)
        initial = {**form.cleaned_data, "channel": existing.channel if existing else BallotChannel.PAPER}
        if existing is not None:
            initial.update(birth_year=existing.declared_birth_year, area=existing.declared_area_id)
        current = {str(choice.project_id): str(choice.value) for choice in existing.choices.all()} if existing else {}
        entry = BallotEntryForm(initial=initial, budget=self.budget)
        return self.render(
            step="ballot", entry_form=entry, voter=form.voter, code=form.code, existing=existing, current=current
        )

    def enter(self):
        form = BallotEntryForm(self.request.POST, budget=self.budget)
        pairs, shown = selections_from(self.budget, self.request.POST)
        if not form.is_valid():
            if form.has_error("email") or form.has_error("voting_code") or form.non_field_errors():
                return self.render(
                    step="identify", voter_form=VoterForm(self.request.POST, page=self.budget.page), status=400
                )
            existing = _existing_ballot(self.budget, form.voter, form.code)
            return self.render(
                step="ballot",
                entry_form=form,
                voter=form.voter,
                code=form.code,
                existing=existing,
                current=shown,
                status=400,
            )
        data = form.cleaned_data
        existing = _existing_ballot(self.budget, form.voter, form.code)
        try:
            ballot = paper_ballot_enter(
                budget=self.budget,
                agent=self.request.user,
                selections=pairs,
                voter=form.voter,
                voting_code=data["voting_code"],
                assisted=data["channel"] == BallotChannel.ASSISTED,
                declared_birth_year=data.get("birth_year"),
                declared_area=data.get("area"),
                replace=data["correct"],
            )
        except (ValidationError, NotAllowed) as exc:
            existing = _existing_ballot(self.budget, form.voter, form.code)
            if isinstance(exc, NotAllowed):
                errors = [_refusal(existing, form.voter, form.code) or exc.message]
            else:
                errors = exc.messages
            return self.render(
                step="ballot",
                entry_form=form,
                voter=form.voter,
                code=form.code,
                existing=existing,
                current=shown,
                errors=errors,
                status=400,
            )
        if existing is not None:
            text = _("The ballot of %(voter)s is corrected (%(channel)s). Next voter.")
        else:
            text = _("The ballot of %(voter)s is recorded (%(channel)s). Next voter.")
        messages.success(
            self.request,
            text % {"voter": self.voter_label(form.voter, form.code), "channel": ballot.get_channel_display()},
        )
        return redirect("bp_desk:budget", budget_id=self.budget.pk)

    @staticmethod
    def voter_label(voter, code) -> str:
        if voter is not None:
            return f"{voter} <{voter.email}>"
        return _("voting code #%(id)s") % {"id": code.pk}

    def render(self, *, step, status=200, current=None, errors=(), **extra):
        budget = self.budget
        projects = ballot_projects(budget=budget) if step == "ballot" else []
        for project in projects:
            project.current = (current or {}).get(str(project.pk), "")
        channels = dict(BallotChannel.choices)
        counts = Ballot.objects.filter(budget=budget).values_list("channel").annotate(n=Count("pk")).order_by("channel")
        context = self.get_context_data(
            budget=budget,
            campaign=budget.page,
            step=step,
            projects=projects,
            errors=list(errors),
            voting_open=budget.page.is_voting_open(),
            channel_counts=[(channels.get(channel, channel), n) for channel, n in counts],
            **extra,
        )
        if "voter" in extra:
            context["voter_label"] = self.voter_label(extra["voter"], extra.get("code"))
        return self.render_to_response(context, status=status)


# --- Voting codes --------------------------------------------------------------------------------


class CampaignCodesMixin(StaffOnlyMixin):
    header_icon = "key"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.campaign = get_object_or_404(BudgetPage, pk=kwargs["page_id"])

    def codes_crumb(self):
        return {"url": reverse("bp_desk:codes", args=[self.campaign.pk]), "label": _("Voting codes")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)


class CodesView(CampaignCodesMixin, TemplateView):
    """How many codes each batch holds and how many were used."""

    template_name = "budget_participatif/admin/codes_index.html"

    def get_page_title(self):
        return _("Voting codes: %(campaign)s") % {"campaign": self.campaign.title}

    def get_breadcrumbs_items(self):
        return [HOME, DESK, {"url": "", "label": _("Voting codes: %(campaign)s") % {"campaign": self.campaign.title}}]

    def get_context_data(self, **kwargs):
        batches = list(
            VotingCode.objects.filter(page=self.campaign)
            .values("batch", "area__name")
            .annotate(
                issued=Count("pk"),
                used=Count("pk", filter=Q(first_used_at__isnull=False)),
                created=Min("created_at"),
            )
            .order_by("created", "batch")
        )
        totals = {"issued": sum(row["issued"] for row in batches), "used": sum(row["used"] for row in batches)}
        return super().get_context_data(batches=batches, totals=totals, **kwargs)


class CodesGenerateView(CampaignCodesMixin, TemplateView):
    """Generate codes; the answer to the form is the CSV file itself, the only copy of the clear codes."""

    template_name = "budget_participatif/admin/codes_generate.html"
    page_title = gettext_lazy("Generate voting codes")

    def get_breadcrumbs_items(self):
        return [HOME, DESK, self.codes_crumb(), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CodeGenerateForm(page=self.campaign)))

    def post(self, request, *args, **kwargs):
        form = CodeGenerateForm(request.POST, page=self.campaign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                codes = voting_codes_generate(
                    page=self.campaign, count=data["count"], area=data["area"], batch=data["batch"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return self.csv_response(codes, data)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def csv_response(self, codes: list[str], data: dict) -> HttpResponse:
        campaign_url = self.campaign.get_full_url(self.request) or ""
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([_("Code"), _("Batch"), _("District"), _("Campaign"), _("Where to vote")])
        area, batch = str(data["area"] or ""), _cell(data["batch"])
        title = _cell(self.campaign.title)
        writer.writerows([code, batch, area, title, campaign_url] for code in codes)
        messages.success(
            self.request,
            _("%(count)d codes generated in the batch “%(batch)s”. Their file was downloaded once: keep it safe.")
            % {"count": len(codes), "batch": data["batch"]},
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = slugify(f"codes-{self.campaign.slug}-{data['batch']}")[:120] or "codes"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class CodesImportView(CampaignCodesMixin, TemplateView):
    """Register codes printed elsewhere: the whole list, or nothing with the lines to fix."""

    template_name = "budget_participatif/admin/codes_import.html"
    page_title = gettext_lazy("Import voting codes")

    def get_breadcrumbs_items(self):
        return [HOME, DESK, self.codes_crumb(), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CodeImportForm(page=self.campaign)))

    def post(self, request, *args, **kwargs):
        form = CodeImportForm(request.POST, request.FILES, page=self.campaign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                count = voting_codes_import(
                    page=self.campaign, codes=data["codes"], area=data["area"], batch=data["batch"].strip()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(self.request, _("%(count)d codes imported.") % {"count": count})
                return redirect("bp_desk:codes", page_id=self.campaign.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


app_name = "bp_desk"
urlpatterns = [
    path("", DeskIndexView.as_view(), name="index"),
    path("<int:budget_id>/", DeskView.as_view(), name="budget"),
    path("codes/<int:page_id>/", CodesView.as_view(), name="codes"),
    path("codes/<int:page_id>/generate/", CodesGenerateView.as_view(), name="codes_generate"),
    path("codes/<int:page_id>/import/", CodesImportView.as_view(), name="codes_import"),
]
