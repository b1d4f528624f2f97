"""Build a believable demo commune: areas, pages, accounts of every role, and each module's content.

Every installed app may provide a ``demo`` module with ``ORDER`` (an int) and ``load(context)``;
they run in ORDER, sharing ``context`` (a dict). Running the command again changes nothing that
is already there.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_modules():
    modules = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return sorted(modules, key=lambda module: module.ORDER)


class Command(BaseCommand):
    help = "Load the demo commune (idempotent). Passwords are listed in README.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (a staging site). Never on a live council site: "
            "the demo accounts share a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off, so this looks like a production site: the demo creates accounts with a "
                "published password. Use --allow-production on a staging site only."
            )
        context = {"stdout": self.stdout, "style": self.style}
        with transaction.atomic():
            for module in demo_modules():
                module.load(context)
                self.stdout.write(f"  demo: {module.__name__} loaded")
        self.stdout.write(self.style.SUCCESS("Demo commune ready."))
        for line in context.get("accounts_summary", []):
            self.stdout.write("  " + line)
