"""A budget's ballots as a Pabulib ``.pb`` file (anonymised) and back."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Ballot, BallotChannel, BallotChoice, BallotType, Budget, BudgetPage, CountingRule, Project, Theme
from ..pabulib import Election, PabulibError, Vote, parse
from ..pabulib import Project as PbProject
from .counting import VOTE_TYPES

RULE_NAMES = {CountingRule.GREEDY: "greedy", CountingRule.MES: "equalshares", CountingRule.MES_ADD1: "equalshares/add1"}


def budget_election(*, budget: Budget) -> Election:
    """The budget as a Pabulib election. Voters are numbered 1..n in an order unrelated to who or when."""
    page = budget.page
    projects = list(Project.objects.filter(budget=budget, on_ballot=True).order_by("pk"))
    by_pk = {project.pk: project for project in projects}
    choices: dict[int, list[tuple[str, int]]] = {}
    ranked = budget.ballot_type == BallotType.RANKED
    for ballot_id, project_id, value in (
        BallotChoice.objects.filter(ballot__budget=budget, project_id__in=by_pk)
        .order_by("ballot_id", "value" if ranked else "project_id")
        .values_list("ballot_id", "project_id", "value")
    ):
        choices.setdefault(ballot_id, []).append((by_pk[project_id].pabulib_id, value))
    # Anonymise: order ballots by a keyed hash of their id, then number them.
    salt = f"{budget.pk}:{budget.page.pk}"
    order = sorted(choices, key=lambda pk: hashlib.sha256(f"{salt}:{pk}".encode()).hexdigest())
    points = budget.ballot_type == BallotType.CUMULATIVE
    votes = [
        Vote(
            voter_id=str(number),
            vote=[pid for pid, _value in choices[ballot_id]],
            points=[value for _pid, value in choices[ballot_id]] if points else None,
        )
        for number, ballot_id in enumerate(order, start=1)
    ]
    vote_counts: dict[str, int] = {}
    for vote in votes:
        for pid in vote.vote:
            vote_counts[pid] = vote_counts.get(pid, 0) + 1
    meta = {
        "description": f"{page.title}: {budget.name}",
        "country": "France",
        "unit": page.get_site().site_name if page.get_site() else "",
        "subunit": budget.area.name if budget.area_id else "",
        "instance": str(page.voting_closes.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": str(budget.amount),
        "vote_type": VOTE_TYPES[budget.ballot_type],
        "rule": RULE_NAMES.get(budget.published_rule or budget.counting_rule, "greedy"),
        "date_begin": page.voting_opens.date().isoformat(),
        "date_end": page.voting_closes.date().isoformat(),
        "currency": "EUR",
        "language": "fr",
    }
    if budget.ballot_type == BallotType.KNAPSACK:
        meta["comment"] = "knapsack ballots"
        meta["max_sum_cost"] = str(budget.amount)
        if budget.min_share_percent:
            meta["min_sum_cost"] = str(budget.min_spend)
    elif budget.ballot_type == BallotType.APPROVAL:
        meta["min_length"] = str(budget.min_choices)
        if budget.max_choices is not None:
            meta["max_length"] = str(budget.max_choices)
    elif points:
        meta["max_sum_points"] = str(budget.points_total)
        if budget.points_cap is not None:
            meta["max_points"] = str(budget.points_cap)
    else:
        meta["max_length"] = str(budget.rank_k)
    meta = {key: value for key, value in meta.items() if value != ""}
    return Election(
        meta=meta,
        projects={
            project.pabulib_id: PbProject(
                project.pabulib_id,
                project.cost,
                {
                    "name": project.title,
                    "category": project.theme,
                    "votes": str(vote_counts.get(project.pabulib_id, 0)),
                    "selected": "1" if project.selected else "0",
                },
            )
            for project in projects
        },
        votes=votes,
        project_columns=["project_id", "cost", "name", "category", "votes", "selected"],
        vote_columns=["voter_id", "vote", "points"] if points else ["voter_id", "vote"],
    )


def budget_export_pabulib(*, budget: Budget) -> str:
    """The ``.pb`` text of the budget's anonymised ballots."""
    from ..pabulib import write

    return write(budget_election(budget=budget))


BALLOT_TYPES = {"approval": BallotType.APPROVAL, "cumulative": BallotType.CUMULATIVE, "ordinal": BallotType.RANKED}


def _int(meta: dict, key: str, default=None):
    try:
        return int(meta[key])
    except (KeyError, ValueError):
        return default


def _line_error(line: int, message: str) -> ValidationError:
    if not line:
        return ValidationError(message)
    return ValidationError(_("Line %(line)d: %(problem)s") % {"line": line, "problem": message})


def _check_importable(election: Election, ballot_type: str) -> None:
    """What the file may say but a budget here cannot hold: the first problem, with its line."""
    if int(election.budget) != election.budget:
        raise ValidationError(_("Budgets with decimal amounts cannot be imported."))
    code_length = Project._meta.get_field("code").max_length
    title_length = Project._meta.get_field("title").max_length
    for pid, project in election.projects.items():
        if int(project.cost) != project.cost:
            raise _line_error(
                project.line, _("Project %(id)s has a decimal cost; costs must be whole euros.") % {"id": pid}
            )
        if len(pid) > code_length:
            raise _line_error(
                project.line,
                _("The project id “%(id)s” is longer than %(max)d characters.") % {"id": pid[:50], "max": code_length},
            )
        if len(project.name) > title_length:
            raise _line_error(
                project.line,
                _("The name of project %(id)s is longer than %(max)d characters.") % {"id": pid, "max": title_length},
            )
    if ballot_type == BallotType.CUMULATIVE:
        for vote in election.votes:
            if any(int(points) != points or points < 0 for points in vote.points or []):
                raise _line_error(
                    vote.line,
                    _("The points of voter %(id)s must be whole numbers, 0 or more.") % {"id": vote.voter_id},
                )


def budget_import_pabulib(*, page: BudgetPage, text: str | bytes, name: str = "", area=None) -> Budget:
    """A new budget of ``page`` holding the file's projects and ballots (channel "imported").

    Everything is checked before anything is written: a refused file changes nothing, and the
    message names the line at fault."""
    try:
        election = parse(text)
    except PabulibError as exc:
        raise ValidationError(_("This file is not a valid Pabulib file: %(error)s") % {"error": exc}) from exc
    vote_type = election.vote_type
    meta = election.meta
    if vote_type not in BALLOT_TYPES:
        raise ValidationError(_("Ballots of type “%(type)s” cannot be imported.") % {"type": vote_type})
    ballot_type = BALLOT_TYPES[vote_type]
    if ballot_type == BallotType.APPROVAL and "max_sum_cost" in meta:
        ballot_type = BallotType.KNAPSACK
    _check_importable(election, ballot_type)
    with transaction.atomic():
        budget = Budget.objects.create(
            page=page,
            name=(name or meta.get("description", "") or _("Imported budget"))[:200],
            area=area,
            amount=int(election.budget),
            ballot_type=ballot_type,
            min_choices=_int(meta, "min_length", 1) if ballot_type == BallotType.APPROVAL else 1,
            max_choices=_int(meta, "max_length") if ballot_type == BallotType.APPROVAL else None,
            points_total=_int(meta, "max_sum_points", 10) or 10,
            points_cap=_int(meta, "max_points"),
            rank_k=_int(meta, "max_length", 3) if ballot_type == BallotType.RANKED else 3,
        )
        projects = Project.objects.bulk_create(
            Project(
                budget=budget,
                code=pid,
                title=project.name or pid,
                cost=int(project.cost),
                theme=project.fields.get("category", "") if project.fields.get("category", "") in Theme.values else "",
                on_ballot=True,
                selected=project.fields.get("selected", "0").strip() == "1",
            )
            for pid, project in election.projects.items()
        )
        if any(project.pk is None for project in projects):
            projects = list(Project.objects.filter(budget=budget))
        by_code = {project.code: project for project in projects}
        ballots = Ballot.objects.bulk_create(
            Ballot(budget=budget, channel=BallotChannel.IMPORTED) for _vote in election.votes
        )
        if any(ballot.pk is None for ballot in ballots):
            ballots = list(Ballot.objects.filter(budget=budget).order_by("pk"))
        choices = []
        for ballot, vote in zip(ballots, election.votes, strict=True):
            for position, pid in enumerate(vote.vote):
                if ballot_type == BallotType.CUMULATIVE:
                    value = int(vote.points[position]) if vote.points else 1
                elif ballot_type == BallotType.RANKED:
                    value = position + 1
                else:
                    value = 1
                choices.append(BallotChoice(ballot=ballot, project=by_code[pid], value=value))
        BallotChoice.objects.bulk_create(choices, batch_size=5000)
    return budget


__all__ = ["budget_election", "budget_export_pabulib", "budget_import_pabulib"]
