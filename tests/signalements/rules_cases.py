"""Shared cases of the report permission tests (one test file per permission, test_rules_*.py);
the ``report_at`` fixture is in conftest.py."""

ROLES = ["resident", "agent", "moderator", "administrator"]
#: The stages of a report's life that the rules tell apart.
OPEN, CLOSED, UNCONFIRMED, HIDDEN = "open", "closed", "unconfirmed", "hidden"
STAGES = [OPEN, CLOSED, UNCONFIRMED, HIDDEN]


def person(user_factory, role, report=None, *, of_service=True):
    """A person with ``role``; an agent belongs to the report's service unless ``of_service`` is False."""
    user = user_factory(roles=[role])
    if role == "agent" and report is not None and report.service_id and of_service:
        report.service.agents.add(user)
    return user
