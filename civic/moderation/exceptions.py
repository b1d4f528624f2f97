"""Refusals that services raise: they live in the core (``civic.core.exceptions``), shared by every module."""

from civic.core.exceptions import Conflict, NotAllowed, ParticipationError, RateLimited

__all__ = ["Conflict", "NotAllowed", "ParticipationError", "RateLimited"]
