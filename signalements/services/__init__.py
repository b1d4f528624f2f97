"""Writes on reports. Every function takes keyword arguments only and runs in one transaction."""

from .lifecycle import (
    report_assign,
    report_mark_duplicate,
    report_reopen,
    report_set_priority,
    report_staff_changes_apply,
    report_update_create,
)
from .reports import coordinates_clean, report_confirm, report_create, report_support, reports_expire_unconfirmed

__all__ = [
    "coordinates_clean",
    "report_assign",
    "report_confirm",
    "report_create",
    "report_mark_duplicate",
    "report_reopen",
    "report_set_priority",
    "report_staff_changes_apply",
    "report_support",
    "report_update_create",
    "reports_expire_unconfirmed",
]
