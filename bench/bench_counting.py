"""Benchmark of the counting rules against pabutools on the largest Pabulib files.

Usage::

    python bench/bench_counting.py                       # the 4 largest files, every rule
    python bench/bench_counting.py --skip-pabutools-add1 --timeout 120
    python bench/bench_counting.py --files Poland_Lodz_2022.pb --rules mes mes-add1

For each file and rule it times our implementation (from the parsed file: grouping the ballots
and counting) and pabutools 1.2.3 (on ``profile.as_multiprofile()``, as in expected.json; the
conversion is not timed), in CPU seconds of the process (``time.process_time``, so that other
load on the machine does not count), checks that both select the same projects and prints a markdown table.
pabutools runs in a forked child process so that ``--timeout`` can stop it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue as queue_module
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PABULIB_DATA") or ROOT.parent / "shared" / "data" / "pabulib")
LARGEST = [
    "Poland_Warszawa_2026.pb",
    "Poland_Lodz_2022.pb",
    "Hungary_Budapest_2024.pb",
    "France_Toulouse_2024.pb",
]
RULES = ["greedy", "mes", "mes-add1"]

#: Fixed reference figures, NOT measured by this script: the equalshares.net compute tool
#: (JavaScript, floating point), timed once on this machine (issue 14): parsing and MES seconds.
JS_REFERENCE = {
    "Poland_Warszawa_2026.pb": {"parse": 0.23, "mes": 0.39},
    "Poland_Lodz_2022.pb": {"parse": 0.32, "mes": 0.53},
    "Hungary_Budapest_2024.pb": {"parse": 0.09, "mes": 0.18},
}


def pabutools_outcome(path: Path, rule: str, cumulative: bool, percent: int | None) -> tuple[list[str], float]:
    """Run pabutools on ``path`` (in the current process) and time the rule itself."""
    from pabutools.election import AdditiveSatisfaction, Cost_Sat, parse_pabulib
    from pabutools.election.satisfaction import Additive_Cardinal_Sat
    from pabutools.fractions import frac
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    class PointsTimesCost(AdditiveSatisfaction):
        """Greedy by total points: points x cost per unit of cost."""

        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            super().__init__(instance, profile, ballot, lambda i, pr, b, p, pre: b.get(p, 0) * p.cost)

    instance, profile = parse_pabulib(str(path))
    profile = profile.as_multiprofile()
    increment = 1 if percent is None else frac(instance.budget_limit, profile.num_ballots()) * percent / 100
    mes_sat = Additive_Cardinal_Sat if cumulative else Cost_Sat
    greedy_sat = PointsTimesCost if cumulative else Cost_Sat
    start = time.process_time()
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat)
    elif rule == "mes":
        result = method_of_equal_shares(instance, profile, sat_class=mes_sat)
    else:
        partial = method_of_equal_shares(instance, profile, sat_class=mes_sat, voter_budget_increment=increment)
        result = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat, initial_budget_allocation=partial)
    elapsed = time.process_time() - start
    return sorted(project.name for project in result), elapsed


def _child(path: Path, rule: str, cumulative: bool, percent: int | None, queue: Any) -> None:
    queue.put(pabutools_outcome(path, rule, cumulative, percent))


def run_pabutools(
    path: Path, rule: str, cumulative: bool, percent: int | None, timeout: float
) -> tuple[list[str], float] | None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(path, rule, cumulative, percent, queue))
    process.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                return queue.get(timeout=1)
            except queue_module.Empty:
                if not process.is_alive():
                    return None  # the child failed: its traceback is on stderr
        return None
    finally:
        process.kill()
        process.join()


def best_time(function: Any, repeat: int) -> tuple[Any, float]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return result, best


def main() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as ``python bench/bench_counting.py`` from anywhere
    from budget_participatif.counting import count
    from budget_participatif.pabulib import parse_file

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", nargs="+", default=LARGEST, help="file names in the shared Pabulib folder")
    parser.add_argument("--rules", nargs="+", default=RULES, choices=RULES)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the .pb files")
    parser.add_argument("--repeat", type=int, default=3, help="our timings: best of N runs")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed to each pabutools run")
    parser.add_argument("--skip-pabutools", action="store_true", help="time our implementation only")
    parser.add_argument("--skip-pabutools-add1", action="store_true", help="do not run pabutools' add1 (minutes)")
    parser.add_argument("--startup", action="store_true", help="also time the start of the command line")
    parser.add_argument(
        "--percent-files",
        nargs="*",
        default=["Hungary_Budapest_2024.pb"],
        help="files whose add1 step is 1%% of the initial share instead of 1 currency unit",
    )
    args = parser.parse_args()

    import platform
    import resource

    import numpy

    load_start = os.getloadavg()[0]
    rows = []
    parse_rows = []
    for name in args.files:
        path = args.data / name
        election, parse_seconds = best_time(lambda path=path: parse_file(path), args.repeat)
        cumulative = election.vote_type in ("cumulative", "scoring")
        print(f"{name}: parsed in {parse_seconds:.3f} s of CPU", file=sys.stderr)
        reference = JS_REFERENCE.get(name, {})
        percent = 1 if name in args.percent_files else None
        for rule in args.rules:
            options = {"increment_percent": percent} if rule == "mes-add1" and percent else {}
            outcome, ours = best_time(
                lambda rule=rule, options=options, election=election: count(election, rule, **options),
                1 if rule == "mes-add1" else args.repeat,
            )
            selected = sorted(outcome.selected)
            theirs: tuple[list[str], float] | None = None
            note = ""
            if args.skip_pabutools or (rule == "mes-add1" and args.skip_pabutools_add1):
                note = "skipped"
            else:
                theirs = run_pabutools(path, rule, cumulative, percent if rule == "mes-add1" else None, args.timeout)
                if theirs is None:
                    note = f"> {args.timeout:.0f} s (timeout)"
            if theirs is not None:
                same = "yes" if theirs[0] == selected else "**NO**"
                pabu = f"{theirs[1]:.2f}"
                speedup = f"{theirs[1] / ours:.0f}x"
            else:
                same, pabu, speedup = "-", note, "-"
            extra = ""
            if rule == "mes-add1":
                unit = "1 % steps" if percent else "steps"
                extra = f" ({outcome.details['steps']} {unit}, {outcome.details['mes_runs']} MES runs)"
            js = f"{reference['mes']:.2f} ({reference['mes'] / ours:.1f}x)" if rule == "mes" and reference else "-"
            rows.append((name.removesuffix(".pb"), rule + extra, f"{ours:.3f}", pabu, speedup, same, len(selected), js))
            print(f"  {rule}: ours {ours:.3f} s, pabutools {pabu}, same winners: {same}", file=sys.stderr)
        # Peak resident memory of this process so far (pabutools runs in forked children).
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        js_parse = f"{reference['parse']:.2f}" if reference else "-"
        parse_rows.append(
            (
                name.removesuffix(".pb"),
                len(election.projects),
                election.num_votes,
                f"{parse_seconds:.3f}",
                js_parse,
                f"{peak_mb:.0f}",
            )
        )

    print(
        f"Python {platform.python_version()}, numpy {numpy.__version__}, {os.cpu_count()} CPUs, "
        f"load average {load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    )
    print()
    print("Parsing (CPU seconds, best of the runs; JS: fixed reference figures of the equalshares.net tool):")
    print()
    print("| file | projects | votes | parse, ours (s) | parse, JS tool (reference) | peak RSS so far (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in parse_rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()
    print(
        "| file | rule | ours (s) | pabutools 1.2.3 (s) | speed-up | same winners | selected "
        "| JS tool (reference, s) and our lead |"
    )
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    if args.startup:
        print()
        startup()


def startup() -> None:
    """Wall time of starting the command line (best of 5): standalone, and through Django."""
    import subprocess

    small = ROOT / "bench" / "_startup.pb"
    small.write_text(
        "META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;600\n2;500\n"
        "VOTES\nvoter_id;vote\nv1;1\nv2;2\n"
    )
    commands = {
        "python -m budget_participatif.counting --help": [
            sys.executable,
            "-m",
            "budget_participatif.counting",
            "--help",
        ],
        "python -m budget_participatif.counting small.pb --rule mes": [
            sys.executable,
            "-m",
            "budget_participatif.counting",
            str(small),
            "--rule",
            "mes",
        ],
        "manage.py pb_count small.pb --rule mes": [
            sys.executable,
            "manage.py",
            "pb_count",
            str(small),
            "--rule",
            "mes",
        ],
    }
    print("| start-up (wall seconds, best of 5) | s |")
    print("|---|---:|")
    try:
        for label, command in commands.items():
            best = float("inf")
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
                best = min(best, time.perf_counter() - start)
            print(f"| {label} | {best:.3f} |")
    finally:
        small.unlink()


if __name__ == "__main__":
    main()
