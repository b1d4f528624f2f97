"""Shared cases of the budget permission tests (one test file per permission, test_rules_*.py)."""

ROLES = ["resident", "agent", "moderator", "administrator"]
PHASES = ["ideas", "review", "voting", "results", "follow_up"]
STAFF = {"resident": False, "moderator": False, "agent": True, "administrator": True}
