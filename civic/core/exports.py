"""What every file export shares: cells that a spreadsheet cannot run as formulas (CSV injection).

Every CSV or XLSX cell of every export goes through ``spreadsheet_cell``: a text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a quote, so a spreadsheet
shows it as text instead of running it (``=HYPERLINK(...)``). Numbers stay numbers.
"""

from collections.abc import Iterable
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """``value`` as a safe cell: ``None`` → ``""``, numbers unchanged, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_row(values: Iterable) -> list:
    """Each value of a row through ``spreadsheet_cell``."""
    return [spreadsheet_cell(value) for value in values]
