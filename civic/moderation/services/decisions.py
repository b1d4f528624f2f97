"""Claims, decisions and moderators' edits, each a compare-and-set on the item's state."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic.notifications.services import notify

from .. import conf, registry
from ..exceptions import Conflict, NotAllowed, ParticipationError
from ..live import item_key, queue_push
from ..models import DecisionAction, Flag, ModerationClaim, ModerationDecision, ModerationState
from .common import DECISION_STATES, NOTIFICATION_KIND, announce_after_commit, content_type_of, format_when, person_name


def _check_moderator(moderator, item) -> None:
    if not moderator.has_perm("civic_moderation.moderate_contribution", item):
        if registry.author_id_of(item) == moderator.pk:
            raise NotAllowed(_("You cannot moderate your own contribution."), code="own_item")
        raise NotAllowed(_("You are not allowed to moderate."), code="forbidden")
    if registry.author_id_of(item) == moderator.pk:  # superusers too
        raise NotAllowed(_("You cannot moderate your own contribution."), code="own_item")


def claim_of(item) -> ModerationClaim | None:
    """The claim in force on an item, if any."""
    return (
        ModerationClaim.objects.filter(
            content_type=content_type_of(item), object_pk=str(item.pk), expires_at__gt=timezone.now()
        )
        .select_related("moderator")
        .first()
    )


def _claim_conflict(claim: ModerationClaim) -> Conflict:
    return Conflict(
        _("%(name)s has been reviewing this item since %(since)s. Pick another item, or come back after %(until)s.")
        % {
            "name": person_name(claim.moderator),
            "since": format_when(claim.claimed_at),
            "until": format_when(claim.expires_at),
        },
        code="claimed",
    )


def moderation_claim(*, moderator, item) -> ModerationClaim:
    """Mark an item as being reviewed by ``moderator`` for a few minutes (renews their own claim)."""
    _check_moderator(moderator, item)
    content_type, object_pk = content_type_of(item), str(item.pk)
    now = timezone.now()
    expires_at = now + timedelta(minutes=conf.get("CIVIC_MODERATION_CLAIM_MINUTES"))
    with transaction.atomic():
        ModerationClaim.objects.filter(content_type=content_type, object_pk=object_pk, expires_at__lte=now).delete()
        claim = (
            ModerationClaim.objects.filter(content_type=content_type, object_pk=object_pk)
            .select_related("moderator")
            .first()
        )
        if claim is not None and claim.moderator_id != moderator.pk:
            raise _claim_conflict(claim)
        if claim is not None:
            claim.expires_at = expires_at
            claim.save(update_fields=["expires_at"])
        else:
            try:
                with transaction.atomic():
                    claim = ModerationClaim.objects.create(
                        content_type=content_type,
                        object_pk=object_pk,
                        moderator=moderator,
                        claimed_at=now,
                        expires_at=expires_at,
                    )
            except IntegrityError:
                other = claim_of(item)
                if other is not None:
                    raise _claim_conflict(other) from None
                raise Conflict(_("Another moderator has just opened this item."), code="claimed") from None
        queue_push(
            {
                "event": "claimed",
                "key": item_key(item),
                "moderator": person_name(moderator),
                "moderator_id": moderator.pk,
                "since": claim.claimed_at.isoformat(),
                "since_display": format_when(claim.claimed_at),
                "expires": claim.expires_at.isoformat(),
            }
        )
    return claim


def moderation_release(*, moderator, item) -> None:
    """Give up one's claim on an item (other moderators may then decide)."""
    deleted, _rows = ModerationClaim.objects.filter(
        content_type=content_type_of(item), object_pk=str(item.pk), moderator=moderator
    ).delete()
    if deleted:
        queue_push({"event": "released", "key": item_key(item)})


def _decision_conflict(item, *, content_type) -> Conflict:
    fresh = type(item)._default_manager.filter(pk=item.pk).first()
    if fresh is None:
        return Conflict(_("This item no longer exists."), code="gone")
    last = (
        ModerationDecision.objects.filter(content_type=content_type, object_pk=str(item.pk))
        .exclude(action__in=[DecisionAction.BLOCK, DecisionAction.UNBLOCK])
        .first()
    )
    state = ModerationState(fresh.moderation_state).label
    if last is not None and last.new_state == fresh.moderation_state and fresh.review_requested_at is None:
        return Conflict(
            _("%(name)s already decided on this item at %(when)s (now: %(state)s). Your decision was not applied.")
            % {
                "name": last.moderator_name or person_name(None),
                "when": format_when(last.created_at),
                "state": str(state).lower(),
            },
            code="already_decided",
        )
    return Conflict(
        _("This item changed since you opened it (now: %(state)s). Your decision was not applied; check it again.")
        % {"state": str(state).lower()},
        code="changed",
    )


def _notify_author(item, *, title: str, body: str) -> None:
    author = registry.author_of(item)
    if author is None or not getattr(author, "is_active", False):
        return
    notify(
        recipient=author,
        title=title,
        body=body,
        url=registry.url_of(item) or "",
        kind=NOTIFICATION_KIND,
        target=item,
    )


def _decision_message(action: str, previous_state: str) -> str | None:
    if action == DecisionAction.APPROVE and previous_state != ModerationState.PUBLISHED:
        return _("Your contribution is published")
    if action == DecisionAction.HIDE:
        return _("Your contribution was hidden by a moderator")
    if action == DecisionAction.REJECT:
        return _("Your contribution was not published")
    return None


def moderation_decide(
    *,
    moderator,
    item,
    action: str,
    reason: str = "",
    expected_state: str,
    expected_version: int | None = None,
    notify_author: bool = True,
) -> ModerationDecision:
    """Approve, hide or reject a contribution, if nobody decided on it since ``expected_state``.

    Raises ``Conflict`` (with who decided and when) when the item is no longer in the expected
    state or version, or when another moderator holds a claim on it.
    """
    if action not in DECISION_STATES:
        raise ParticipationError(_("Unknown decision."), code="action")
    _check_moderator(moderator, item)
    reason = (reason or "").strip()
    if action in (DecisionAction.HIDE, DecisionAction.REJECT) and not reason:
        raise ParticipationError(_("Give a reason: the author will read it."), code="reason_required")
    claim = claim_of(item)
    if claim is not None and claim.moderator_id != moderator.pk:
        raise _claim_conflict(claim)

    model = type(item)
    content_type = content_type_of(item)
    new_state = DECISION_STATES[action]
    now = timezone.now()
    filters = {"pk": item.pk, "moderation_state": expected_state}
    if expected_version is not None:
        filters["moderation_version"] = expected_version
    if new_state == expected_state:
        # Approving a published, flagged item changes no state: it must still await review.
        filters["review_requested_at__isnull"] = False
    with transaction.atomic():
        updated = model._default_manager.filter(**filters).update(
            moderation_state=new_state,
            moderation_reason=reason,
            held_for="",
            review_requested_at=None,
            moderated_at=now,
            moderation_version=F("moderation_version") + 1,
        )
        if not updated:
            raise _decision_conflict(item, content_type=content_type)
        Flag.objects.filter(content_type=content_type, object_pk=str(item.pk), resolved_at__isnull=True).update(
            resolved_at=now
        )
        ModerationClaim.objects.filter(content_type=content_type, object_pk=str(item.pk)).delete()
        decision = ModerationDecision.objects.create(
            content_type=content_type,
            object_pk=str(item.pk),
            moderator=moderator,
            moderator_name=person_name(moderator)[:120],
            subject_id=registry.author_id_of(item),
            action=action,
            reason=reason,
            previous_state=expected_state,
            new_state=new_state,
            item_label=registry.label_of(item)[:200],
            created_at=now,
        )
        item.refresh_from_db()
        if notify_author:
            with translation.override(settings.LANGUAGE_CODE):
                title = _decision_message(action, expected_state)
                if title:
                    _notify_author(item, title=title, body=reason)
        announce_after_commit(item, action=action, previous_state=expected_state)
        queue_push(
            {
                "event": "decided",
                "key": item_key(item),
                "action": action,
                "action_display": str(DecisionAction(action).label),
                "state": new_state,
                "moderator": person_name(moderator),
                "moderator_id": moderator.pk,
            }
        )
    return decision


def contribution_edit_by_moderator(
    *,
    moderator,
    item,
    changes: dict[str, str],
    reason: str,
    expected_version: int,
    publish: bool = False,
    notify_author: bool = True,
) -> ModerationDecision:
    """Change what a contribution says (e.g. remove a phone number), keeping the original text.

    The author's first version of each changed field stays in ``original_text``, which moderators
    can read. With ``publish``, a held item is published in the same step.
    """
    _check_moderator(moderator, item)
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationError(_("Say why you edit it: the author will read it."), code="reason_required")
    claim = claim_of(item)
    if claim is not None and claim.moderator_id != moderator.pk:
        raise _claim_conflict(claim)
    fields = registry.entry_for(item).text_fields
    unknown = set(changes) - set(fields)
    if unknown:
        raise ParticipationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)), code="fields")
    model = type(item)
    content_type = content_type_of(item)
    with transaction.atomic():
        current = model._default_manager.filter(pk=item.pk).first()
        if current is None:
            raise Conflict(_("This item no longer exists."), code="gone")
        changed = {name: value for name, value in changes.items() if (getattr(current, name) or "") != value}
        if not changed:
            raise ParticipationError(_("Nothing was changed."), code="unchanged")
        if any(not (value or "").strip() for value in changed.values()):
            raise ParticipationError(_("A text cannot be left empty; hide the item instead."), code="empty")
        original = dict(current.original_text or {})
        for name in changed:
            original.setdefault(name, getattr(current, name) or "")
        now = timezone.now()
        previous_state = current.moderation_state
        values = {
            **changed,
            "original_text": original,
            "edited_by_moderator_at": now,
            "moderation_version": F("moderation_version") + 1,
        }
        if publish:
            values |= {
                "moderation_state": ModerationState.PUBLISHED,
                "held_for": "",
                "review_requested_at": None,
                "moderated_at": now,
                "moderation_reason": reason,
            }
        updated = model._default_manager.filter(pk=item.pk, moderation_version=expected_version).update(**values)
        if not updated:
            raise _decision_conflict(item, content_type=content_type)
        if publish:
            Flag.objects.filter(content_type=content_type, object_pk=str(item.pk), resolved_at__isnull=True).update(
                resolved_at=now
            )
            ModerationClaim.objects.filter(content_type=content_type, object_pk=str(item.pk)).delete()
        item.refresh_from_db()
        decision = ModerationDecision.objects.create(
            content_type=content_type,
            object_pk=str(item.pk),
            moderator=moderator,
            moderator_name=person_name(moderator)[:120],
            subject_id=registry.author_id_of(item),
            action=DecisionAction.EDIT,
            reason=reason,
            previous_state=previous_state,
            new_state=item.moderation_state,
            item_label=registry.label_of(item)[:200],
            created_at=now,
        )
        if notify_author:
            with translation.override(settings.LANGUAGE_CODE):
                _notify_author(item, title=_("A moderator edited your contribution"), body=reason)
        announce_after_commit(item, action=DecisionAction.EDIT, previous_state=previous_state)
        queue_push(
            {
                "event": "decided",
                "key": item_key(item),
                "action": DecisionAction.EDIT.value,
                "action_display": str(DecisionAction.EDIT.label),
                "state": item.moderation_state,
                "moderator": person_name(moderator),
                "moderator_id": moderator.pk,
            }
        )
    return decision
