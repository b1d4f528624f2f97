"""Count a Pabulib ``.pb`` file with one rule and print the selected project ids.

The same command as ``python -m budget_participatif.counting`` (which starts without Django):
both are :mod:`budget_participatif.counting.cli`.
"""

from django.core.management.base import BaseCommand, CommandError

from budget_participatif.counting import cli


class Command(BaseCommand):
    help = cli.DESCRIPTION

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            cli.run(options, self.stdout)
        except cli.CountingError as exc:
            raise CommandError(str(exc), returncode=2) from exc
