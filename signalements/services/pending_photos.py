"""Photos kept across the report form's errors: processed once by the photo pipeline when they arrive,
named by a token in the re-rendered form, attached to the report when it is sent (never uploaded twice)."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .. import conf
from ..models import PendingPhoto
from ..photos import ProcessedPhoto, photos_process


def _owner_filter(*, session_key: str, user) -> dict | None:
    if user is not None and user.is_authenticated:
        return {"user": user}
    if session_key:
        return {"session_key": session_key, "user__isnull": True}
    return None


def pending_photos_of(*, tokens, session_key: str, user=None) -> list[PendingPhoto]:
    """The kept photos named by ``tokens`` that belong to this session (or person), in upload order.

    Tokens of someone else's photos, or of expired ones, are ignored."""
    owner = _owner_filter(session_key=session_key, user=user)
    tokens = [token for token in dict.fromkeys(tokens or []) if token][: 2 * conf.get("SIGNALEMENTS_MAX_PHOTOS")]
    if owner is None or not tokens:
        return []
    return list(PendingPhoto.objects.filter(token__in=tokens, **owner))


def pending_photos_store(*, uploads, session_key: str, user=None) -> tuple[list[PendingPhoto], list[str]]:
    """Put each upload through the photo pipeline and keep the good ones.

    Returns (kept photos, messages naming each refused file): one bad file never loses the others."""
    kept, errors = [], []
    user = user if user is not None and user.is_authenticated else None
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > conf.get("SIGNALEMENTS_MAX_PHOTOS"):
        try:  # more files at once than a report may hold: the pipeline refuses them before any processing
            photos_process(uploads)
        except ValidationError as error:
            return [], error.messages
    for upload in uploads:
        try:
            (processed,) = photos_process([upload])
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        gps = processed.gps or (None, None)
        photo = PendingPhoto(
            session_key=session_key or "",
            user=user,
            original_name=processed.name,
            width=processed.width,
            height=processed.height,
            gps_longitude=gps[0],
            gps_latitude=gps[1],
        )
        stem = secrets.token_hex(8)
        photo.image.save(f"{stem}.jpg", processed.image, save=False)
        photo.thumbnail.save(f"{stem}-thumb.jpg", processed.thumbnail, save=False)
        photo.save()
        kept.append(photo)
    return kept, errors


def pending_photo_processed(photo: PendingPhoto) -> ProcessedPhoto:
    """The kept photo as the pipeline gave it, for ``report_create``."""
    with photo.image.open("rb") as image, photo.thumbnail.open("rb") as thumbnail:
        image_data, thumbnail_data = image.read(), thumbnail.read()
    gps = (photo.gps_longitude, photo.gps_latitude) if photo.gps_longitude is not None else None
    return ProcessedPhoto(
        name=photo.original_name,
        image=ContentFile(image_data),
        thumbnail=ContentFile(thumbnail_data),
        width=photo.width,
        height=photo.height,
        gps=gps,
    )


def pending_photos_delete(*, photos) -> None:
    """Delete kept photos and their files (attached to a report, removed by the person, or expired)."""
    photos = list(photos)
    if not photos:
        return
    with transaction.atomic():
        PendingPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    for photo in photos:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)


def pending_photos_expire(*, now=None) -> int:
    """Delete the kept photos older than SIGNALEMENTS_PENDING_PHOTO_HOURS; returns how many."""
    limit = (now or timezone.now()) - timedelta(hours=conf.get("SIGNALEMENTS_PENDING_PHOTO_HOURS"))
    expired = list(PendingPhoto.objects.filter(created_at__lt=limit))
    pending_photos_delete(photos=expired)
    return len(expired)
