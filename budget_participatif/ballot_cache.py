"""What a vote needs to know about a budget, kept in the cache while people vote.

Every ballot reads its budget, the budget's campaign (opening and closing times, who may vote) and
the projects on the ballot with their costs. These change rarely, and the projects not at all once
the vote is open (the ballot freezes), so they are kept in the cache (Redis in production, shared by
every process) for ``BALLOT_CACHE_SECONDS`` at most, and dropped at once when a budget, a project or
a campaign is saved or deleted (signals below, connected in ``apps.py``). Writes that bypass
``save()`` (``QuerySet.update``, ``bulk_create``) call ``budget_ballot_forget`` themselves.

Whether the vote is open is always decided against the current time: only the campaign's settings
are cached, never a verdict.
"""

from django.core.cache import cache
from django.db import transaction

BALLOT_CACHE_SECONDS = 30


def _key(budget_id) -> str:
    return f"civic:budget-ballot:{budget_id}"


def budget_for_ballot(budget_id):
    """(budget with its campaign, {project id: project on the ballot with id, title and cost}) of a
    budget in a live campaign, or None."""
    from .models import Budget

    try:
        budget_id = int(budget_id)
    except (TypeError, ValueError):
        return None
    found = cache.get(_key(budget_id))
    if found is None:
        budget = Budget.objects.select_related("page").filter(pk=budget_id, page__live=True).first()
        if budget is None:
            return None
        projects = {
            project.pk: project for project in budget.projects.on_ballot().only("id", "budget", "title", "cost")
        }
        found = (budget, projects)
        cache.set(_key(budget_id), found, BALLOT_CACHE_SECONDS)
    return found


def budget_ballot_forget(*budget_ids) -> None:
    """Drop the cached budgets now and again when the transaction commits (a vote in between may
    have cached what was there before the change)."""
    keys = [_key(budget_id) for budget_id in budget_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def budget_changed(sender, instance, **kwargs):
    budget_ballot_forget(instance.pk)


def project_changed(sender, instance, **kwargs):
    budget_ballot_forget(instance.budget_id)


def page_changed(sender, instance, **kwargs):
    from .models import Budget, BudgetPage

    # Wagtail saves a page as its specific class or as a plain Page (moves, some unpublishing).
    if isinstance(instance, BudgetPage) or getattr(instance, "specific_class", None) is BudgetPage:
        budget_ballot_forget(*Budget.objects.filter(page_id=instance.pk).values_list("pk", flat=True))
