"""The public REST API of participatory budgets, under /api/v1/budget/ (see docs/budget.md, "API")."""
