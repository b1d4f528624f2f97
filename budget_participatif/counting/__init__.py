"""Ballot counting for participatory budgets: greedy, Method of Equal Shares, MES + add1.

Pure Python (standard library only, exact arithmetic); no Django import.  See ``docs/counting.md``.
"""

from budget_participatif.counting.instance import (
    SATISFACTIONS,
    Instance,
    Profile,
    default_sat,
)
from budget_participatif.counting.rules import RULES, Outcome, count, count_file

__all__ = ["RULES", "SATISFACTIONS", "Instance", "Outcome", "Profile", "count", "count_file", "default_sat"]
