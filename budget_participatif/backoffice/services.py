"""Writes of the back office that the domain services do not cover: composing a budget's ballot.

``ballot_frozen`` is the rule every back-office screen applies: once the vote opens, the ballot no
longer changes (ballots already cast name its projects and the meter shows their costs).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civic.moderation.exceptions import NotAllowed

from ..models import Budget, Idea, IdeaStatus, Phase, Project


def ballot_frozen(budget: Budget, now=None) -> bool:
    """True once the campaign's vote has opened: the ballot is then fixed."""
    return budget.page.phase_at(now) in (Phase.VOTING, Phase.RESULTS, Phase.FOLLOW_UP)


def ballot_ensure_open(budget: Budget, now=None) -> None:
    if ballot_frozen(budget, now):
        raise NotAllowed(
            _("The vote opened on %(date)s: the projects on this ballot and their costs can no longer change.")
            % {"date": formats.date_format(timezone.localtime(budget.page.voting_opens), "DATE_FORMAT")},
            code="frozen",
        )


def ballot_projects_update(*, budget: Budget, agent, changes: dict[int, tuple[bool, int]], now=None) -> int:
    """Decide which of the budget's projects go on its ballot and at what cost; returns how many changed.

    ``changes`` maps a project id of this budget to ``(on_ballot, cost)``. Everything is checked
    before anything is written; the ideas of each project follow it ("on the ballot" or back to
    "feasible").
    """
    if not agent.has_perm("budget_participatif.review_idea", None):
        raise NotAllowed(_("Only council staff compose the ballots."), code="forbidden")
    ballot_ensure_open(budget, now)
    projects = {project.pk: project for project in Project.objects.filter(budget=budget, pk__in=list(changes))}
    errors = []
    for project_id, (_on_ballot, cost) in changes.items():
        project = projects.get(project_id)
        if project is None:
            errors.append(_("Project %(id)s is not in this budget.") % {"id": project_id})
        elif cost is None or cost <= 0:
            errors.append(_("“%(title)s”: give a positive cost.") % {"title": project.title})
        elif cost > budget.amount:
            errors.append(
                _("“%(title)s” costs more than the whole budget (%(amount)s €).")
                % {"title": project.title, "amount": formats.number_format(budget.amount, force_grouping=True)}
            )
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for project_id, (on_ballot, cost) in changes.items():
            project = projects[project_id]
            if project.on_ballot == on_ballot and project.cost == cost:
                continue
            project.on_ballot, project.cost = on_ballot, cost
            project.save(update_fields=["on_ballot", "cost", "updated_at"])
            Idea.objects.filter(project=project).update(
                status=IdeaStatus.ON_BALLOT if on_ballot else IdeaStatus.FEASIBLE, updated_at=timezone.now()
            )
            changed += 1
    return changed
