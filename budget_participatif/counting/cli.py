"""The command line of the counting engine, without Django.

``python -m budget_participatif.counting FILE.pb --rule {greedy,mes,mes-add1} [--json]`` prints
the selected project ids (one a line, sorted as strings) or ``{"selected": [...], "cost": N}``.
``manage.py pb_count`` is the same command (it calls :func:`add_arguments` and :func:`run`).

Exit codes: 0 counted; 2 bad input (unreadable or malformed file, impossible count), with the
message, naming the line at fault, on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Any, TextIO

RULES = ("greedy", "mes", "mes-add1")
DESCRIPTION = "Count a Pabulib .pb file with greedy, mes or mes-add1 and print the selected project ids."


class CountingError(Exception):
    """Bad input for the command: the message says what is wrong (and the line, for a file)."""


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="path of the .pb file")
    parser.add_argument("--rule", choices=RULES, default="greedy", help="counting rule (default: greedy)")
    parser.add_argument("--json", action="store_true", help='print {"selected": [...], "cost": N}')
    parser.add_argument(
        "--increment-percent",
        type=_fraction,
        default=None,
        help="mes-add1 only: raise each voter's share by this percent of the initial share per step",
    )
    parser.add_argument(
        "--no-stop-on-exhaustive",
        action="store_true",
        help="mes-add1 only: keep raising shares past an exhaustive outcome (Wieliczka 2023's variant)",
    )


def run(options: dict[str, Any], stdout: TextIO) -> None:
    """Count ``options["file"]`` and write the outcome; raise :class:`CountingError` on bad input."""
    from budget_participatif.counting.rules import count
    from budget_participatif.pabulib import PabulibError, parse_file

    path = options["file"]
    try:
        election = parse_file(path)
    except OSError as exc:
        raise CountingError(f"{path}: {exc.strerror or exc}") from exc
    except PabulibError as exc:
        raise CountingError(f"{path}: {exc}") from exc
    extra: dict[str, Any] = {}
    if options["rule"] == "mes-add1":
        if options.get("increment_percent") is not None:
            extra["increment_percent"] = options["increment_percent"]
        if options.get("no_stop_on_exhaustive"):
            extra["stop_on_exhaustive"] = False
    try:
        outcome = count(election, options["rule"], **extra)
    except (ValueError, KeyError) as exc:
        raise CountingError(f"{path}: cannot be counted: {exc}") from exc
    if options["json"]:
        stdout.write(json.dumps(outcome.as_json()) + "\n")
    else:
        stdout.write("".join(f"{project_id}\n" for project_id in sorted(outcome.selected)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budget_participatif.counting", description=DESCRIPTION)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run(options, sys.stdout)
    except CountingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
