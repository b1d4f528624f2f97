"""Counting a budget with each rule (stored so staff compare them) and publishing the results."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.moderation.exceptions import NotAllowed
from civic.notifications.services import notify_followers

from ..counting import Instance, count
from ..models import BallotChoice, BallotType, Budget, CountingRule, CountResult, Project

VOTE_TYPES = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
}


def budget_instance(*, budget: Budget) -> Instance:
    """The budget's projects on the ballot and its ballots, as the counting engine reads them.

    One query for the projects and one for every choice, whatever the number of ballots.
    """
    on_ballot = list(Project.objects.filter(budget=budget, on_ballot=True).only("pk", "code", "cost"))
    projects = {project.pk: project.pabulib_id for project in on_ballot}
    vote_type = VOTE_TYPES[budget.ballot_type]
    points = budget.ballot_type == BallotType.CUMULATIVE
    ballots: dict[int, list[tuple[str, int]]] = {}
    rows = (
        BallotChoice.objects.filter(ballot__budget=budget, project_id__in=projects)
        .order_by("ballot_id", "value" if budget.ballot_type == BallotType.RANKED else "project_id")
        .values_list("ballot_id", "project_id", "value")
    )
    for ballot_id, project_id, value in rows.iterator(chunk_size=5000):
        ballots.setdefault(ballot_id, []).append((projects[project_id], value))
    costs = {project.pabulib_id: project.cost for project in on_ballot}
    return Instance(
        budget=budget.amount,
        costs=costs,
        ballots=[
            (tuple(pid for pid, _v in choices), tuple(v for _pid, v in choices) if points else None)
            for choices in ballots.values()
        ],
        vote_type=vote_type,
        max_length=budget.rank_k if budget.ballot_type == BallotType.RANKED else None,
    )


def budget_count(*, budget: Budget, rule: str, user=None) -> CountResult:
    """Count the budget's ballots with ``rule`` and store what it selects (replacing an earlier count)."""
    if user is not None and not user.has_perm("budget_participatif.count_budget", budget):
        raise NotAllowed(_("Ballots are counted by council staff once the vote is closed."), code="forbidden")
    if rule not in CountingRule.values:
        raise ValueError(f"unknown rule {rule!r}")
    instance = budget_instance(budget=budget)
    if instance.num_voters:
        outcome = count(instance, rule, explain=True)
        selected_ids, cost, details = outcome.selected, int(outcome.cost), outcome.details
    else:
        selected_ids, cost, details = [], 0, {"note": "no ballots"}
    by_code = {p.pabulib_id: p.pk for p in Project.objects.filter(budget=budget, on_ballot=True)}
    if "explanation" in details:
        details["explanation"] = _explanation_by_pk(details["explanation"], by_code)
    with transaction.atomic():
        result, _created = CountResult.objects.update_or_create(
            budget=budget,
            rule=rule,
            defaults={
                "selected": [by_code[pid] for pid in selected_ids],
                "cost": cost,
                "ballots_counted": instance.num_voters,
                "details": details,
                "counted_by": user,
            },
        )
    return result


def _explanation_by_pk(explanation: dict, by_code: dict[str, int]) -> dict:
    """The engine's explanation (keyed by Pabulib id) keyed by project primary key instead."""
    projects = {}
    for code, entry in explanation["projects"].items():
        if entry.get("by") is not None:
            entry = {**entry, "by": by_code[entry["by"]]}
        projects[str(by_code[code])] = entry
    rounds = [by_code[code] for code in explanation.get("rounds", [])]
    return {**explanation, "projects": projects, **({"rounds": rounds} if "rounds" in explanation else {})}


def results_publish(*, budget: Budget, rule: str, user) -> Budget:
    """Publish what ``rule`` selected (counting again, so late corrections are included)."""
    if not user.has_perm("budget_participatif.publish_budget", budget):
        raise NotAllowed(_("Results are published by an administrator once the vote is closed."), code="forbidden")
    result = budget_count(budget=budget, rule=rule, user=user)
    with transaction.atomic():
        Project.objects.filter(budget=budget).update(selected=False)
        Project.objects.filter(pk__in=result.selected).update(selected=True)
        budget.published_rule = rule
        budget.results_published_at = timezone.now()
        budget.save(update_fields=["published_rule", "results_published_at"])
        for project in Project.objects.filter(pk__in=result.selected):
            notify_followers(
                target=project,
                title=_("“%(title)s” is selected: it will be built.") % {"title": project.title},
                url=project.get_absolute_url(),
                kind="budget.results",
            )
    return budget
