"""Every signal receiver of participatory budgets, connected in one place: ``connect()``, from ``apps.ready()``.

The cached ballots (``ballot_cache``) are forgotten when a budget, a project or a campaign page changes.
"""

from django.db.models.signals import post_delete, post_save

from . import ballot_cache


def connect() -> None:
    from wagtail.models import Page

    from .models import Budget, BudgetPage, Project

    for signal in (post_save, post_delete):
        saved = signal is post_save
        signal.connect(ballot_cache.budget_changed, sender=Budget, dispatch_uid=f"bp_ballot_cache_budget_{saved}")
        signal.connect(ballot_cache.project_changed, sender=Project, dispatch_uid=f"bp_ballot_cache_project_{saved}")
        for model in (BudgetPage, Page):
            signal.connect(
                ballot_cache.page_changed, sender=model, dispatch_uid=f"bp_ballot_cache_{model.__name__}_{saved}"
            )
