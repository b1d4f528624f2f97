"""Delete the reports and the email alerts whose emailed confirmation link was never opened in time."""

from django.core.management.base import BaseCommand

from signalements import conf
from signalements.services import reports_expire_unconfirmed
from signalements.services.alerts import alerts_expire_unconfirmed
from signalements.services.pending_photos import pending_photos_expire


class Command(BaseCommand):
    help = (
        "Delete reports by people not logged in that were never confirmed within "
        "SIGNALEMENTS_CONFIRMATION_HOURS, with their photos, and email alerts never confirmed in that time, and photos kept by a report form that was never sent "
        "(after SIGNALEMENTS_PENDING_PHOTO_HOURS). Run it once a day (cron or a systemd timer); "
        "running it more often is harmless."
    )

    def handle(self, *args, **options):
        count = reports_expire_unconfirmed()
        hours = conf.get("SIGNALEMENTS_CONFIRMATION_HOURS")
        alerts = alerts_expire_unconfirmed()
        self.stdout.write(self.style.SUCCESS(f"{count} unconfirmed report(s) older than {hours} hours deleted."))
        self.stdout.write(self.style.SUCCESS(f"{alerts} unconfirmed alert(s) older than {hours} hours deleted."))
        photos = pending_photos_expire()
        pending_hours = conf.get("SIGNALEMENTS_PENDING_PHOTO_HOURS")
        self.stdout.write(
            self.style.SUCCESS(f"{photos} photo(s) of unsent reports older than {pending_hours} hours deleted.")
        )
