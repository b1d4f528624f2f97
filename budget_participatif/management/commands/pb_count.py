"""Count a Pabulib ``.pb`` file with one rule and print the selected project ids."""

import json
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from budget_participatif.counting import RULES, count
from budget_participatif.pabulib import PabulibError, parse_file


class Command(BaseCommand):
    help = "Count a Pabulib .pb file with greedy, mes or mes-add1 and print the selected project ids."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument("--rule", choices=RULES, default="greedy", help="counting rule (default: greedy)")
        parser.add_argument("--json", action="store_true", help='print {"selected": [...], "cost": N}')
        parser.add_argument(
            "--increment-percent",
            type=Fraction,
            default=None,
            help="mes-add1 only: raise each voter's share by this percent of the initial share per step",
        )
        parser.add_argument(
            "--no-stop-on-exhaustive",
            action="store_true",
            help="mes-add1 only: keep raising shares past an exhaustive outcome (Wieliczka 2023's variant)",
        )

    def handle(self, *args, **options):
        try:
            election = parse_file(options["file"])
        except OSError as exc:
            raise CommandError(f"{options['file']}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{options['file']}: not a UTF-8 text file ({exc.reason})") from exc
        except PabulibError as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        extra = {}
        if options["rule"] == "mes-add1":
            if options["increment_percent"] is not None:
                extra["increment_percent"] = options["increment_percent"]
            if options["no_stop_on_exhaustive"]:
                extra["stop_on_exhaustive"] = False
        try:
            outcome = count(election, options["rule"], **extra)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"{options['file']}: cannot be counted: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_json()))
        else:
            for project_id in sorted(outcome.selected):
                self.stdout.write(project_id)
