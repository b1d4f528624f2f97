"""Staff screens for ideas: the review queue, one idea's review, merging ideas into a project."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from civic.moderation.exceptions import ParticipationError

from ..models import Budget, BudgetPage, Idea, IdeaReview, IdeaStatus, Verdict
from ..services import idea_put_on_ballot, idea_review, ideas_merge
from .base import HOME, REVIEW_QUEUE, StaffRequiredMixin, StaffScreenMixin, errors_to_form, safe_next
from .forms import TO_REVIEW, IdeaReviewForm, IdeasMergeForm, PutOnBallotForm, QueueFilterForm, money
from .services import ballot_ensure_open

QUEUE_PAGE_SIZE = 50


def queue_ideas(*, filters: QueueFilterForm, user):
    """The ideas the queue lists, filtered, with everything a row shows in the same query."""
    ideas = Idea.objects.select_related("page", "area", "author", "project", "review", "review__agent")
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("campaign"):
        ideas = ideas.filter(page=data["campaign"])
    status = data.get("status") or ""
    if status == TO_REVIEW:
        ideas = ideas.filter(
            Q(status__in=[IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW]) | Q(review__verdict=Verdict.PENDING)
        ).exclude(status=IdeaStatus.ON_BALLOT)
    elif status:
        ideas = ideas.filter(status=status)
    if data.get("service"):
        ideas = ideas.filter(review__service=data["service"])
    if data.get("mine"):
        ideas = ideas.filter(review__agent=user)
    if data.get("q"):
        ideas = ideas.filter(Q(title__icontains=data["q"]) | Q(description__icontains=data["q"]))
    return ideas.order_by("created_at", "pk")


class ReviewQueueView(StaffScreenMixin, TemplateView):
    """Every idea with its review state; tick several to merge them into one project."""

    template_name = "budget_participatif/admin/review_queue.html"
    page_title = gettext_lazy("Ideas to review")
    header_icon = "check"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        if "status" not in params:
            params["status"] = TO_REVIEW
        filters = QueueFilterForm(params)
        ideas = queue_ideas(filters=filters, user=self.request.user)
        page = Paginator(ideas, QUEUE_PAGE_SIZE).get_page(params.get("p"))
        query = params.copy()
        query.pop("p", None)
        context.update(
            filters=filters,
            page_obj=page,
            ideas=page.object_list,
            query_string=query.urlencode(),
            current_url=self.request.get_full_path(),
        )
        return context


class IdeaReviewView(StaffScreenMixin, TemplateView):
    """One idea: what the resident proposed, and the service's review (assignment, verdict, cost)."""

    template_name = "budget_participatif/admin/review_form.html"
    parents = (HOME, REVIEW_QUEUE)
    header_icon = "check"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.idea = get_object_or_404(
            Idea.objects.select_related("page", "area", "author", "project", "project__budget"), pk=kwargs["pk"]
        )
        self.review = IdeaReview.objects.select_related("agent").filter(idea=self.idea).first()

    def get_page_title(self):
        return _("Review: %(title)s") % {"title": self.idea.title}

    def initial(self) -> dict:
        review = self.review
        if review is None:
            return {"agent": self.request.user.pk, "verdict": Verdict.PENDING, "cost_estimate": self.idea.cost_guess}
        return {
            "service": review.service,
            "agent": review.agent_id or self.request.user.pk,
            "verdict": review.verdict,
            "public_reason": review.public_reason,
            "cost_estimate": review.cost_estimate,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.idea
        known_services = IdeaReview.objects.exclude(service="").values_list("service", flat=True).distinct()
        ballot_form = None
        if idea.project_id is None and idea.status == IdeaStatus.FEASIBLE:
            ballot_form = PutOnBallotForm(page=idea.page)
            ballot_form.fields["budget"].initial = _matching_budget(idea)
        context.update(
            idea=idea,
            review=self.review,
            form=kwargs.get("form") or IdeaReviewForm(initial=self.initial()),
            ballot_form=ballot_form,
            known_services=sorted(known_services),
            photos=list(idea.photos.all()),
            next_url=safe_next(self.request, reverse("bp_review:queue")),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = IdeaReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea_review(
                    idea=self.idea,
                    agent=data["agent"],
                    verdict=data["verdict"],
                    public_reason=data["public_reason"],
                    cost_estimate=data["cost_estimate"],
                    service=data["service"].strip(),
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            except ParticipationError as exc:
                form.add_error("agent", exc.message)
            else:
                verdict = Verdict(data["verdict"])
                if verdict == Verdict.PENDING:
                    message = _("“%(title)s” is assigned to %(agent)s.") % {
                        "title": self.idea.title,
                        "agent": data["agent"],
                    }
                else:
                    message = _("“%(title)s”: %(verdict)s. The author is told, with the public reason.") % {
                        "title": self.idea.title,
                        "verdict": verdict.label,
                    }
                messages.success(request, message)
                return HttpResponseRedirect(reverse("bp_review:idea", args=[self.idea.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _matching_budget(idea) -> Budget | None:
    """The budget of the idea's district if there is one, else the campaign's city-wide budget."""
    budgets = list(Budget.objects.filter(page_id=idea.page_id))
    for budget in budgets:
        if idea.area_id and budget.area_id == idea.area_id:
            return budget
    return next((budget for budget in budgets if budget.area_id is None), budgets[0] if budgets else None)


class IdeaPutOnBallotView(StaffRequiredMixin, View):
    """POST only: one feasible idea becomes a project on a budget's ballot, at its cost estimate."""

    def post(self, request, pk):
        idea = get_object_or_404(Idea.objects.select_related("page", "review", "project"), pk=pk)
        back = safe_next(request, reverse("bp_review:idea", args=[idea.pk]))
        form = PutOnBallotForm(request.POST, page=idea.page)
        if not form.is_valid():
            messages.error(request, _("Choose one of the campaign's budgets."))
            return redirect(back)
        put_on_ballot(request, idea=idea, budget=form.cleaned_data["budget"])
        return redirect(back)


def put_on_ballot(request, *, idea: Idea, budget: Budget) -> None:
    """Call the service and say what happened (or why not) in the admin's messages."""
    try:
        ballot_ensure_open(budget)
        if idea.project_id is not None:
            raise ValidationError(_("This idea is already part of the project “%(title)s”.") % {"title": idea.project})
        project = idea_put_on_ballot(idea=idea, budget=budget, agent=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, f"“{idea.title}”: {error}")
    except ParticipationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(title)s” is on the ballot of %(budget)s at %(cost)s.")
            % {"title": project.title, "budget": budget, "cost": money(project.cost)},
        )


class IdeasMergeView(StaffScreenMixin, TemplateView):
    """Several ideas of one campaign become one project that credits (and tells) every author."""

    template_name = "budget_participatif/admin/merge_form.html"
    parents = (HOME, REVIEW_QUEUE)
    header_icon = "resubmit"
    page_title = gettext_lazy("Merge ideas into a project")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.campaign = get_object_or_404(BudgetPage, pk=kwargs["page_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        if form is None:
            chosen = [value for value in self.request.GET.getlist("idea") if value.isdigit()]
            form = IdeasMergeForm(page=self.campaign)
            chosen_ideas = list(form.fields["ideas"].queryset.filter(pk__in=chosen))
            form.initial = {
                "ideas": [idea.pk for idea in chosen_ideas],
                "title": chosen_ideas[0].title if chosen_ideas else "",
                "budget": self.request.GET.get("budget")
                or (_matching_budget(chosen_ideas[0]) if chosen_ideas else None),
                "on_ballot": True,
            }
        context.update(campaign=self.campaign, form=form, next_url=safe_next(self.request, reverse("bp_review:queue")))
        return context

    def post(self, request, *args, **kwargs):
        form = IdeasMergeForm(request.POST, page=self.campaign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["on_ballot"]:
                    ballot_ensure_open(data["budget"])
                project = ideas_merge(
                    ideas=data["ideas"],
                    budget=data["budget"],
                    agent=request.user,
                    title=data["title"],
                    description=data["description"],
                    cost=data["cost"],
                    on_ballot=data["on_ballot"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            except ParticipationError as exc:
                form.add_error(None, exc.message)
            else:
                authors = {idea.author_id for idea in data["ideas"] if idea.author_id}
                messages.success(
                    request,
                    _("The project “%(title)s” (%(cost)s) is made of %(ideas)d idea(s); %(authors)d author(s) told.")
                    % {
                        "title": project.title,
                        "cost": money(project.cost),
                        "ideas": len(data["ideas"]),
                        "authors": len(authors),
                    },
                )
                return redirect(reverse("bp_ballots:ballot", args=[project.budget_id]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IdeasMergeStartView(StaffRequiredMixin, View):
    """From ideas ticked anywhere (the queue, a ballot screen): open the merge form of their campaign."""

    def get(self, request):
        ids = [value for value in request.GET.getlist("idea") if value.isdigit()]
        back = safe_next(request, reverse("bp_review:queue"))
        pages = set(Idea.objects.filter(pk__in=ids).values_list("page_id", flat=True))
        if not pages:
            messages.error(request, _("Tick the ideas to merge first."))
            return redirect(back)
        if len(pages) > 1:
            messages.error(request, _("These ideas belong to different campaigns: merge ideas of one campaign."))
            return redirect(back)
        budget = request.GET.get("budget", "")
        query = urlencode(
            [("idea", pk) for pk in ids] + ([("budget", budget)] if budget.isdigit() else []) + [("next", back)]
        )
        return redirect(f"{reverse('bp_review:merge', args=[pages.pop()])}?{query}")
