"""Reprocess the photos stored before every upload went through the core's image pipeline.

Each module registers the image fields residents and agents fill (``register_stored_images`` in its
``ready()``). A stored file that is not already what the pipeline writes (a JPEG within the size,
with no EXIF, XMP, comment or trailing data) is rewritten as one, under a new ``.jpg`` name, and the
old file is deleted. Running it again changes nothing. A file the pipeline cannot read (damaged, a
decompression bomb) is listed; ``--delete-refused`` removes it (and the photo row when the photo is
the row's whole point). ``--dry-run`` lists what would change.
"""

import secrets
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from civic.core.images import image_is_clean, image_process, stored_images


class Command(BaseCommand):
    help = "Rewrite stored photos without EXIF (GPS, camera owner), resized, as JPEG. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")
        parser.add_argument(
            "--delete-refused",
            action="store_true",
            help="Delete the files the pipeline refuses (damaged, too large to decode, not an image).",
        )

    def handle(self, *args, dry_run=False, delete_refused=False, **options):
        counts = {"clean": 0, "reprocessed": 0, "refused": 0, "missing": 0, "deleted": 0}
        for entry in stored_images():
            label = f"{entry.model._meta.label}.{entry.field}"
            limits = entry.limits()
            queryset = entry.model._default_manager.exclude(**{entry.field: ""}).exclude(**{entry.field: None})
            for item in queryset.order_by("pk").iterator():
                outcome = self._one(item, entry, label, limits, dry_run=dry_run, delete_refused=delete_refused)
                counts[outcome] += 1
        verb = "would be reprocessed" if dry_run else "reprocessed"
        self.stdout.write(
            f"{counts['reprocessed']} {verb}, {counts['clean']} already clean, {counts['refused']} refused "
            f"({counts['deleted']} deleted), {counts['missing']} missing."
        )

    def _one(self, item, entry, label, limits, *, dry_run, delete_refused) -> str:
        field_name = entry.field
        field = getattr(item, field_name)
        old_name = field.name
        storage = field.storage
        if not storage.exists(old_name):
            self.stdout.write(f"missing   {label} #{item.pk}: {old_name}")
            return "missing"
        with storage.open(old_name, "rb") as handle:
            data = handle.read()
        if image_is_clean(data, limits=limits):
            return "clean"
        try:
            processed = image_process(ContentFile(data, name=PurePosixPath(old_name).name), limits=limits, stored=True)
        except ValidationError as error:
            self.stdout.write(f"refused   {label} #{item.pk}: {' '.join(error.messages)}")
            if delete_refused and not dry_run:
                self._delete(item, field_name, label)
                return "deleted"
            return "refused"
        if dry_run:
            self.stdout.write(f"would fix {label} #{item.pk}: {old_name}")
            return "reprocessed"
        stem = PurePosixPath(old_name).stem.split("-")[0][:40] or "photo"
        with transaction.atomic():
            field.save(f"{stem}-{secrets.token_hex(6)}.jpg", processed.image, save=False)
            fields = [field_name]
            if entry.size_fields:
                width, height = entry.size_fields
                setattr(item, width, processed.width)
                setattr(item, height, processed.height)
                fields += [width, height]
            item.save(update_fields=fields)
        if storage.exists(old_name) and old_name != field.name:
            storage.delete(old_name)
        self.stdout.write(f"fixed     {label} #{item.pk}: {old_name} -> {field.name}")
        return "reprocessed"

    def _delete(self, item, field_name, label):
        field = getattr(item, field_name)
        model_field = item._meta.get_field(field_name)
        field.delete(save=False)
        if model_field.blank:
            item.save(update_fields=[field_name])
            self.stdout.write(f"deleted   {label} #{item.pk}: the file (the {item._meta.verbose_name} is kept)")
        else:
            item.delete()
            self.stdout.write(f"deleted   {label} #{item.pk}: the file and its {item._meta.verbose_name}")
