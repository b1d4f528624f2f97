"""Refusals that services raise with an explanation meant for the person who tried."""


class ParticipationError(Exception):
    """A write that was refused; ``message`` is shown to the person, ``status`` used by the API."""

    status = 400

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class NotAllowed(ParticipationError):
    status = 403


class Conflict(ParticipationError):
    """Someone else changed the item first (another moderator decided, or holds the claim)."""

    status = 409


class RateLimited(ParticipationError):
    status = 429

    def __init__(self, message, *, retry_after: int, code: str = "rate_limited"):
        super().__init__(message, code=code)
        self.retry_after = max(1, int(retry_after))
