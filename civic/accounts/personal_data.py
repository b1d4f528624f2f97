"""The RGPD rights on one account: see everything ("my space"), download it, erase it.

Each module declares what it holds about people with
:func:`civic.spaces.registry.register_personal_data`; this module never imports a module.
"""

import io
import json
import logging
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.spaces import registry

from .models import PersonalDataAction, PersonalDataRequest, User

logger = logging.getLogger(__name__)


def my_space_sections(user: User) -> list[dict]:
    """Each module's "my space" section for ``user``: ``{"key", "label", "template", "context"}``."""
    sections = []
    for entry in registry.personal_data():
        if entry.section is None:
            continue
        context = entry.section(user)
        if context is not None:
            sections.append({"key": entry.key, "label": entry.label, "template": entry.template, "context": context})
    return sections


def supports_erase(*, links, target_field: str, targets, count_field: str) -> None:
    """Delete a person's support ``links`` (a queryset of a through model pointing at ``targets`` by
    ``target_field``) and set each target's ``count_field`` to the supports that remain."""
    from django.db.models import Count

    target_ids = list(links.values_list(target_field, flat=True))
    links.delete()
    remaining = dict(
        links.model.objects.filter(**{f"{target_field}__in": target_ids})
        .values(target_field)
        .annotate(n=Count("pk"))
        .values_list(target_field, "n")
    )
    for target_id in target_ids:
        targets.filter(pk=target_id).update(**{count_field: remaining.get(target_id, 0)})


def photo_files(folder: str, owner_pk, photos) -> tuple[list[str], list[tuple[str, str]]]:
    """The archive names of ``photos`` (models with an ``image`` file) under ``folder/owner_pk/``,
    and the (name, storage path) pairs the export reads them from."""
    names, files = [], []
    for photo in photos:
        name = f"photos/{folder}/{owner_pk}/{photo.pk}-{photo.image.name.rsplit('/', 1)[-1]}"
        names.append(name)
        files.append((name, photo.image.name))
    return names, files


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "coords"):  # a GEOS point
        return {"longitude": value.x, "latitude": value.y}
    return str(value)


def _account_data(user: User) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "account_number": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "home_area": user.home_area.name if user.home_area_id else None,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": list(user.role_labels) if hasattr(user, "role_labels") else [],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
    }


def personal_data_export(*, user: User, performed_by: User | None = None, reason: str = "") -> bytes:
    """A ZIP of everything the platform holds about ``user``: ``data.json`` and their photos.

    A photo whose file is not (or not yet) in storage, such as an upload still in flight, is named
    under ``missing_files`` instead of failing the export. The export is audited.
    """
    data = {"exported_at": timezone.now(), "account": _account_data(user)}
    files: list[tuple[str, str]] = []
    for entry in registry.personal_data():
        if entry.export is None:
            continue
        section, section_files = entry.export(user)
        data[entry.key] = section
        files.extend(section_files)
    buffer = io.BytesIO()
    missing = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in files:
            try:
                with default_storage.open(path, "rb") as handle:
                    archive.writestr(name, handle.read())
            except (FileNotFoundError, OSError):
                missing.append(name)
        data["missing_files"] = missing
        archive.writestr("data.json", json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
    _audit(action=PersonalDataAction.EXPORT, subject_id=user.pk, performed_by=performed_by, reason=reason)
    return buffer.getvalue()


@transaction.atomic
def account_delete(*, user: User, performed_by: User | None = None, reason: str = "") -> None:
    """Erase ``user``'s personal data and delete the account.

    What they contributed stays, under "Former participant"; their ballots stay counted but are
    linked to no one. Each module erases what is personal first, then the account row goes (its
    follows, notifications, alerts and email addresses with it). Deleting an account that no
    longer exists is refused with a clear message, and nothing is done twice.
    """
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:
        raise ValidationError(_("This account has already been deleted."), code="already_deleted")
    if (
        locked.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=locked.pk).exists()
    ):
        raise ValidationError(
            _("This is the last administrator account: give another person the role before deleting it."),
            code="last_administrator",
        )
    subject_id = locked.pk
    for entry in registry.personal_data():
        if entry.erase is not None:
            entry.erase(locked)
    locked.delete()
    audit = _audit(action=PersonalDataAction.DELETE, subject_id=subject_id, performed_by=performed_by, reason=reason)
    logger.info("Account #%s deleted (%s).", subject_id, "by staff" if audit.by_staff else "by its owner")


def _audit(*, action: str, subject_id: int, performed_by: User | None, reason: str) -> PersonalDataRequest:
    by_staff = performed_by is not None and performed_by.pk != subject_id
    return PersonalDataRequest.objects.create(
        action=action,
        subject_id=subject_id,
        performed_by=performed_by if by_staff else None,
        by_staff=by_staff,
        reason=reason.strip()[:200],
    )
