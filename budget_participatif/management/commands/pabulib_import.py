"""Create a budget from a Pabulib ``.pb`` file: its projects, and its ballots (channel "imported")."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budget_participatif.models import BudgetPage
from budget_participatif.services import budget_import_pabulib
from civic.territory.models import Area


class Command(BaseCommand):
    help = (
        "Import a Pabulib .pb file as a new budget of a campaign. Everything is checked first: a refused "
        "file changes nothing and the error names the line at fault."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument("--campaign", type=int, required=True, help="id of the campaign (BudgetPage)")
        parser.add_argument("--name", default="", help="name of the budget (default: the file's description)")
        parser.add_argument("--area", type=int, help="id of the district (default: a city-wide budget)")

    def handle(self, *args, **options):
        page = BudgetPage.objects.filter(pk=options["campaign"]).first()
        if page is None:
            raise CommandError(f"No campaign with id {options['campaign']}.")
        area = None
        if options["area"] is not None:
            area = Area.objects.defer("geometry").filter(pk=options["area"]).first()
            if area is None:
                raise CommandError(f"No district with id {options['area']}.")
        try:
            with open(options["file"], "rb") as stream:
                data = stream.read()
        except OSError as exc:
            raise CommandError(f"{options['file']}: {exc.strerror or exc}") from exc
        try:
            budget = budget_import_pabulib(page=page, text=data, name=options["name"], area=area)
        except ValidationError as exc:
            raise CommandError(f"{options['file']}: {' '.join(exc.messages)} Nothing was imported.") from exc
        self.stdout.write(
            f"Budget {budget.pk} “{budget.name}”: {budget.projects.count()} projects, "
            f"{budget.ballots.count()} ballots imported."
        )
