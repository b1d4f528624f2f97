"""The shared export cell: a spreadsheet never runs what a resident typed."""

from decimal import Decimal

import pytest

from civic.core.exports import spreadsheet_cell, spreadsheet_row


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("A pothole = danger", "A pothole = danger"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_quoted(value, cell):
    assert spreadsheet_cell(value) == cell


def test_numbers_stay_numbers():
    assert spreadsheet_row([-4.8, 12, Decimal("-1.50"), True]) == [-4.8, 12, Decimal("-1.50"), "True"]
