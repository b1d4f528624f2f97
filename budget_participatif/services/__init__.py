"""Writes on participatory budgets. Each function is one transaction and refuses bad input whole."""

from .ballots import ballot_submit, ballot_validate, paper_ballot_enter, voting_codes_generate, voting_codes_import
from .counting import budget_count, budget_instance, results_publish
from .eligibility import ballot_refusal
from .ideas import idea_create, idea_put_on_ballot, idea_review, ideas_merge, milestone_add, project_progress_update
from .pabulib_io import budget_export_pabulib, budget_import_pabulib

__all__ = [
    "ballot_refusal",
    "ballot_submit",
    "ballot_validate",
    "budget_count",
    "budget_export_pabulib",
    "budget_import_pabulib",
    "budget_instance",
    "idea_create",
    "idea_put_on_ballot",
    "idea_review",
    "ideas_merge",
    "milestone_add",
    "paper_ballot_enter",
    "project_progress_update",
    "results_publish",
    "voting_codes_generate",
    "voting_codes_import",
]
