from django.core.management.base import BaseCommand

from civic.notifications.services import digests_send
from civic.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily notification digest to everyone who chose it and has news since their last one. "
        "Run it once a day (cron or a systemd timer); running it more often sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the background worker instead of doing it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_digests.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        sent = digests_send()
        self.stdout.write(self.style.SUCCESS(f"{sent} digest(s) sent."))
