"""Write a budget's anonymised ballots as a Pabulib ``.pb`` file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget_participatif.models import Budget
from budget_participatif.services import budget_export_pabulib


class Command(BaseCommand):
    help = "Export a budget's anonymised ballots as a Pabulib .pb file (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("budget", type=int, help="id of the budget")
        parser.add_argument("-o", "--output", help="path of the .pb file to write (default: standard output)")

    def handle(self, *args, **options):
        budget = Budget.objects.select_related("page", "area").filter(pk=options["budget"]).first()
        if budget is None:
            raise CommandError(f"No budget with id {options['budget']}.")
        text = budget_export_pabulib(budget=budget)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{options['output']}: {exc.strerror or exc}") from exc
        self.stderr.write(f"{budget.name}: {budget.ballots.count()} ballots written to {options['output']}")
