"""Delete the reports whose emailed confirmation link was never opened in time."""

from django.core.management.base import BaseCommand

from signalements import conf
from signalements.services import reports_expire_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete reports by people not logged in that were never confirmed within "
        "SIGNALEMENTS_CONFIRMATION_HOURS, with their photos. Run it once a day (cron or a systemd timer); "
        "running it more often is harmless."
    )

    def handle(self, *args, **options):
        count = reports_expire_unconfirmed()
        hours = conf.get("SIGNALEMENTS_CONFIRMATION_HOURS")
        self.stdout.write(self.style.SUCCESS(f"{count} unconfirmed report(s) older than {hours} hours deleted."))
