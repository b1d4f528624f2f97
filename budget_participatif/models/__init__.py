"""Participatory budgeting: the campaign page, its budgets, ideas, projects, ballots and counts."""

from .ballots import Ballot, BallotChannel, BallotChoice, CountResult, VotingCode
from .campaign import BallotType, Budget, BudgetPage, CountingRule, Phase, VoteScope
from .ideas import (
    Idea,
    IdeaPhoto,
    IdeaReview,
    IdeaStatus,
    ImplementationStatus,
    Milestone,
    MilestonePhoto,
    Project,
    Theme,
    Verdict,
)

__all__ = [
    "Ballot",
    "BallotChannel",
    "BallotChoice",
    "BallotType",
    "Budget",
    "BudgetPage",
    "CountResult",
    "CountingRule",
    "Idea",
    "IdeaPhoto",
    "IdeaReview",
    "IdeaStatus",
    "ImplementationStatus",
    "Milestone",
    "MilestonePhoto",
    "Phase",
    "Project",
    "Theme",
    "Verdict",
    "VoteScope",
    "VotingCode",
]
