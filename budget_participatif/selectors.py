"""Reads on participatory budgets: what pages and the back office show."""

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.moderation.models import ModerationState

from .models import (
    Ballot,
    BallotChoice,
    BallotType,
    Budget,
    BudgetPage,
    CountResult,
    Idea,
    IdeaStatus,
    Phase,
    Project,
    VoteScope,
)


def budgets_of(page: BudgetPage):
    return (
        Budget.objects.filter(page=page)
        .select_related("area")
        .annotate(project_count=Count("projects", filter=Q(projects__on_ballot=True)))
    )


def budgets_for_voter(*, page: BudgetPage, user) -> list[Budget]:
    """The budgets a person may vote in, under the campaign's rule (all of them for anonymous people)."""
    budgets = list(budgets_of(page))
    if user is None or not user.is_authenticated or page.vote_scope != VoteScope.HOME_AND_CITY:
        return budgets
    home = user.home_area
    if home is None:
        return budgets
    allowed = []
    for budget in budgets:
        area, depth = home, 0
        while area is not None and budget.area_id is not None and area.pk != budget.area_id and depth < 10:
            area, depth = area.parent, depth + 1
        if budget.area_id is None or area is not None:
            allowed.append(budget)
    return allowed


def ballots_of(*, user, page: BudgetPage) -> dict[int, Ballot]:
    if user is None or not user.is_authenticated:
        return {}
    return {ballot.budget_id: ballot for ballot in Ballot.objects.filter(budget__page=page, voter=user)}


def campaign_overview(*, page: BudgetPage, user) -> dict:
    phase = page.current_phase
    ideas = Idea.objects.of_page(page).visible_to(user)
    return {
        "phase": phase,
        "phases": page.phases(),
        "budgets": list(budgets_of(page)),
        "my_budgets": {budget.pk for budget in budgets_for_voter(page=page, user=user)},
        "my_ballots": ballots_of(user=user, page=page),
        "idea_count": ideas.count(),
        "latest_ideas": list(ideas.select_related("area")[:6]),
        "show_results": phase in (Phase.RESULTS, Phase.FOLLOW_UP),
        "show_follow_up": phase == Phase.FOLLOW_UP,
    }


def ideas_for_list(*, page: BudgetPage, user, theme: str = "", area_id: int | None = None, status: str = ""):
    ideas = Idea.objects.of_page(page).visible_to(user).select_related("area", "author", "review")
    if theme:
        ideas = ideas.filter(theme=theme)
    if area_id:
        ideas = ideas.filter(area_id=area_id)
    if status:
        ideas = ideas.filter(status=status)
    return ideas.annotate(
        comment_count=Count("comments", filter=Q(comments__moderation_state=ModerationState.PUBLISHED), distinct=True)
    ).order_by("-created_at", "-pk")


def ballot_projects(*, budget: Budget):
    return list(
        Project.objects.on_ballot().filter(budget=budget).prefetch_related("ideas__author").order_by("title", "pk")
    )


def scored_projects(*, budgets) -> dict[int, tuple[list[Project], int]]:
    """{budget id: (its projects on the ballot with ``score``, most supported first; its ballot count)}
    for any number of budgets in three queries. The score is the votes, or the points of a cumulative ballot."""
    budgets = list(budgets)
    ids = [budget.pk for budget in budgets]
    tallies = {
        project_id: (votes, points or 0)
        for project_id, votes, points in BallotChoice.objects.filter(ballot__budget_id__in=ids)
        .values("project_id")
        .annotate(votes=Count("pk"), points=Sum("value"))
        .values_list("project_id", "votes", "points")
    }
    ballots = dict(
        Ballot.objects.filter(budget_id__in=ids)
        .values("budget_id")
        .annotate(n=Count("pk"))
        .values_list("budget_id", "n")
    )
    cumulative = {budget.pk for budget in budgets if budget.ballot_type == BallotType.CUMULATIVE}
    found: dict[int, list[Project]] = {budget_id: [] for budget_id in ids}
    for project in Project.objects.on_ballot().filter(budget_id__in=ids):
        votes, points = tallies.get(project.pk, (0, 0))
        project.score = points if project.budget_id in cumulative else votes
        found[project.budget_id].append(project)
    for projects in found.values():
        projects.sort(key=lambda p: (-p.score, p.title))
    return {budget_id: (projects, ballots.get(budget_id, 0)) for budget_id, projects in found.items()}


def budget_results(*, budget: Budget) -> dict:
    """Votes (or points), cost and selection of each project on the ballot, most supported first."""
    projects, ballot_count = scored_projects(budgets=[budget])[budget.pk]
    top = max((p.score for p in projects), default=0) or 1
    for project in projects:
        project.bar_percent = round(100 * project.score / top)
        project.budget_percent = round(100 * project.cost / budget.amount, 1) if budget.amount else 0
    selected_cost = sum(p.cost for p in projects if p.selected)
    return {
        "projects": projects,
        "ballot_count": ballot_count,
        "selected_cost": selected_cost,
        "selected_percent": round(100 * selected_cost / budget.amount, 1) if budget.amount else 0,
        "score_label": "points" if budget.ballot_type == BallotType.CUMULATIVE else "votes",
    }


def follow_up_projects(*, page: BudgetPage):
    return (
        Project.objects.filter(budget__page=page, selected=True)
        .select_related("budget", "budget__area")
        .prefetch_related(Prefetch("milestones"))
        .order_by("implementation_status", "title")
    )


def ideas_awaiting_review(*, page: BudgetPage | None = None):
    ideas = Idea.objects.filter(status__in=[IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW])
    return ideas.filter(page=page) if page is not None else ideas


def _euros(value) -> str:
    """An amount in euros for a sentence: ``48,50`` or ``1 200`` in French."""
    value = float(value)
    if value == int(value):
        return formats.number_format(int(value), force_grouping=True)
    return formats.number_format(value, 2, force_grouping=True)


def _project_explanation(entry: dict, project: Project, titles: dict[int, str], share: float, rule: str) -> str:
    if entry["stage"] == "greedy":
        left = _euros(entry["left"])
        if entry["status"] == "selected" and rule == "mes-add1":
            return _(
                "Selected with the money left after the Equal Shares rounds: when its turn came, %(left)s € of "
                "the budget were left, enough for its cost."
            ) % {"left": left}
        if entry["status"] == "selected":
            return _("Selected: when its turn came, %(left)s € of the budget were left, enough for its cost.") % {
                "left": left
            }
        return _("Not selected: when its turn came, only %(left)s € of the budget were left, less than its cost.") % {
            "left": left
        }
    n = entry["supporters"]
    if entry["status"] == "selected":
        shares = entry["shares"]
        if len(shares) == 1:
            return ngettext(
                "Selected in round %(round)d: paid by its only supporter, %(amount)s €.",
                "Selected in round %(round)d: its cost was shared among %(n)d supporters, %(amount)s € each.",
                n,
            ) % {"round": entry["round"], "n": n, "amount": _euros(shares[0][1])}
        groups = ", ".join(
            ngettext("%(count)d paid %(amount)s €", "%(count)d paid %(amount)s € each", count)
            % {"count": count, "amount": _euros(amount)}
            for count, amount in shares
        )
        return _(
            "Selected in round %(round)d: its cost was shared among %(n)d supporters; those with less money left "
            "paid less: %(groups)s."
        ) % {"round": entry["round"], "n": n, "groups": groups}
    if n == 0:
        return _("Not selected: nobody voted for it.")
    values = {
        "n": n,
        "left": _euros(entry["left"]),
        "cost": _euros(project.cost),
        "missing": _euros(entry["missing"]),
        "more": entry["more_supporters"] or 1,
        "share": _euros(share),
        "round": entry["round"],
        "by": titles.get(entry.get("by"), ""),
    }
    if entry["round"] == 0:
        text = (
            ngettext(
                "Not selected: from the start, its only supporter had %(left)s € (each voter's share) for a cost of "
                "%(cost)s €: %(missing)s € short.",
                "Not selected: from the start, its %(n)d supporters had only %(left)s € together (%(share)s € each) for "
                "a cost of %(cost)s €: %(missing)s € short.",
                n,
            )
            % values
        )
    else:
        text = (
            ngettext(
                "Not selected: overtaken in round %(round)d by “%(by)s”. After that round its only supporter had "
                "%(left)s € left for a cost of %(cost)s €: %(missing)s € short.",
                "Not selected: overtaken in round %(round)d by “%(by)s”. After that round its %(n)d supporters had only "
                "%(left)s € left together for a cost of %(cost)s €: %(missing)s € short.",
                n,
            )
            % values
        )
    more = (
        ngettext(
            "It would have needed at least %(more)d more supporter.",
            "It would have needed at least %(more)d more supporters.",
            values["more"],
        )
        % values
    )
    text = f"{text} {more}"
    if entry.get("completion_left") is not None:
        text += " " + _(
            "The money left after the rounds, %(left)s €, then went to the most voted projects that fitted: it "
            "was not enough for this one."
        ) % {"left": _euros(entry["completion_left"])}
    return text


def count_explanations(*, budget: Budget, result: CountResult | None) -> dict:
    """Why each project of a stored count won or lost, in words: ``{"intro": str, "projects": {pk: str}}``.

    Read from the explanation stored with the count (nothing is recounted); empty when the count
    has none (counted before explanations were stored, or no ballots).
    """
    explanation = (result.details or {}).get("explanation") if result else None
    if not explanation:
        return {"intro": "", "projects": {}}
    projects = {project.pk: project for project in Project.objects.filter(budget=budget, on_ballot=True)}
    titles = {pk: project.title for pk, project in projects.items()}
    share = explanation.get("share", 0)
    texts = {}
    for key, entry in explanation["projects"].items():
        project = projects.get(int(key))
        if project is not None:
            texts[project.pk] = _project_explanation(entry, project, titles, share, explanation["rule"])
    if explanation["rule"] == "greedy":
        intro = _(
            "Projects were taken from the most voted down, as long as what was left of the budget covered their cost."
        )
    else:
        intro = _(
            "With Equal Shares, the budget is divided equally among the %(n)d voters: %(share)s € each. "
            "Round after round, the project its supporters can afford at the lowest price is bought with their "
            "shares; a project is out once its supporters no longer hold its cost together."
        ) % {"n": result.ballots_counted, "share": _euros(explanation.get("initial_share", share))}
        if explanation["rule"] == "mes-add1" and explanation.get("initial_share") != share:
            intro += " " + _(
                "To spend more of the budget, each share was raised to %(share)s € (the outcome stays within the "
                "budget); the money left at the end went to the most voted projects that still fitted."
            ) % {"share": _euros(share)}
    return {"intro": intro, "projects": texts}
