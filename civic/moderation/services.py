"""Writes of moderation: flags, claims, decisions, moderators' edits, blocks.

Every decision is a compare-and-set on the item's state (``UPDATE ... WHERE moderation_state =
<expected>``, and the version when the caller knows it), so that two moderators never apply two
decisions to the same item: the second one is refused with an explanation.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic.notifications.services import notify

from . import conf, registry, screening
from .exceptions import Conflict, NotAllowed, ParticipationError
from .limits import rate_limit_check, rate_limit_count
from .live import item_key, queue_push
from .models import (
    DecisionAction,
    Flag,
    FlagReason,
    HoldReason,
    ModerationClaim,
    ModerationDecision,
    ModerationState,
    UserBlock,
)
from .signals import contribution_moderated

NOTIFICATION_KIND = "moderation"

#: State each decision leads to.
DECISION_STATES = {
    DecisionAction.APPROVE: ModerationState.PUBLISHED,
    DecisionAction.HIDE: ModerationState.HIDDEN,
    DecisionAction.REJECT: ModerationState.REJECTED,
}


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _name(user) -> str:
    return str(user) if user is not None else _("a former moderator")


def _content_type(item) -> ContentType:
    return ContentType.objects.get_for_model(item)


def _announce(item, *, action: str, previous_state: str) -> None:
    model = type(item)

    def send():
        fresh = model._default_manager.filter(pk=item.pk).first()
        if fresh is not None:
            contribution_moderated.send(sender=model, item=fresh, action=action, previous_state=previous_state)

    transaction.on_commit(send)


# --- Contributions: what modules call when people write ------------------------------------------


def user_ensure_can_contribute(*, user) -> None:
    """Refuse (``NotAllowed``) a person who is not logged in, not active, or blocked."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Log in to take part."), code="login_required")
    if not user.is_active:
        raise NotAllowed(_("This account is disabled."), code="inactive")
    block = UserBlock.objects.active().filter(user=user).first()
    user._civic_blocked = block is not None
    if block is not None:
        if block.ends_at:
            message = _("Your account is blocked until %(date)s: you cannot contribute for now.") % {
                "date": _when(block.ends_at)
            }
        else:
            message = _("Your account is blocked: you cannot contribute for now.")
        raise NotAllowed(message, code="blocked")


def contribution_screen(*, item) -> screening.Hold | None:
    """Before saving a new or edited contribution: hold it for review when the rules say so.

    Holds for personal data and watched words, and everything in a pre-moderated space.
    Only sets fields on ``item``; the caller saves it, then calls ``contribution_announce``.
    """
    hold = screening.screen(registry.text_of(item).values())
    if hold is None and registry.premoderation_for(registry.space_of(item)):
        hold = screening.Hold(HoldReason.PREMODERATION, _("A moderator will read it before it is published."))
    if hold is not None and item.moderation_state in (ModerationState.PUBLISHED, ModerationState.PENDING):
        item.moderation_state = ModerationState.PENDING
        item.held_for = item.held_for or hold.reason
        item.review_requested_at = item.review_requested_at or timezone.now()
    return hold


def contribution_announce(*, item) -> None:
    """After saving: tell the open queue pages about a contribution waiting for review."""
    if item.review_requested_at is not None:
        queue_push({"event": "queued", "key": item_key(item), "label": registry.label_of(item, 80)})


# --- Flags ---------------------------------------------------------------------------------------


def flag_create(*, user, item, reason: str, text: str = "", ip: str | None = None) -> Flag:
    """A person flags a contribution; past the threshold it leaves public view until reviewed."""
    if not registry.is_registered(item):
        raise ParticipationError(_("This cannot be flagged."), code="not_flaggable")
    user_ensure_can_contribute(user=user)
    if registry.author_id_of(item) == user.pk:
        raise NotAllowed(_("You cannot flag your own contribution."), code="own_item")
    if item.moderation_state != ModerationState.PUBLISHED:
        raise ParticipationError(
            _("This contribution is not public; moderators already know about it."), code="not_published"
        )
    if reason not in FlagReason.values:
        raise ParticipationError(_("Choose a reason."), code="reason")
    text = (text or "").strip()
    if len(text) > 1000:
        raise ParticipationError(_("Keep the details under 1,000 characters."), code="too_long")
    content_type = _content_type(item)
    already = _("You have already flagged this contribution. The moderators will look at it.")
    if Flag.objects.filter(content_type=content_type, object_pk=str(item.pk), flagged_by=user).exists():
        raise ParticipationError(already, code="already_flagged")
    rate_limit_check("flag", user=user, ip=ip)

    model = type(item)
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    content_type=content_type, object_pk=str(item.pk), flagged_by=user, reason=reason, text=text
                )
        except IntegrityError:
            raise ParticipationError(already, code="already_flagged") from None
        now = timezone.now()
        model._default_manager.filter(pk=item.pk, review_requested_at__isnull=True).update(review_requested_at=now)
        open_flags = Flag.objects.filter(
            content_type=content_type, object_pk=str(item.pk), resolved_at__isnull=True
        ).count()
        held = False
        if open_flags >= conf.get("CIVIC_MODERATION_FLAG_THRESHOLD"):
            held = bool(
                model._default_manager.filter(pk=item.pk, moderation_state=ModerationState.PUBLISHED).update(
                    moderation_state=ModerationState.PENDING,
                    held_for=HoldReason.FLAGS,
                    moderation_version=F("moderation_version") + 1,
                )
            )
            if held:
                _announce(item, action="flagged", previous_state=ModerationState.PUBLISHED)
        queue_push(
            {
                "event": "flagged",
                "key": item_key(item),
                "flags": open_flags,
                "held": held,
                "label": registry.label_of(item, 80),
            }
        )
    rate_limit_count("flag", user=user, ip=ip)
    return flag


# --- Claims ----------------------------------------------------------------------------------------


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
            content_type=_content_type(item), object_pk=str(item.pk), expires_at__gt=timezone.now()
        )
        .select_related("moderator")
        .first()
    )


def _claim_conflict(claim: ModerationClaim) -> Conflict:
    return Conflict(
        _(
            "%(name)s has been reviewing this item since %(since)s. Pick another item, or come back after %(until)s."
        )
        % {"name": _name(claim.moderator), "since": _when(claim.claimed_at), "until": _when(claim.expires_at)},
        code="claimed",
    )


def moderation_claim(*, moderator, item) -> ModerationClaim:
    """Mark an item as being reviewed by ``moderator`` for a few minutes (renews their own claim)."""
    _check_moderator(moderator, item)
    content_type, object_pk = _content_type(item), str(item.pk)
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
                "moderator": _name(moderator),
                "moderator_id": moderator.pk,
                "since": claim.claimed_at.isoformat(),
                "since_display": _when(claim.claimed_at),
                "expires": claim.expires_at.isoformat(),
            }
        )
    return claim


def moderation_release(*, moderator, item) -> None:
    """Give up one's claim on an item (other moderators may then decide)."""
    deleted, _rows = ModerationClaim.objects.filter(
        content_type=_content_type(item), object_pk=str(item.pk), moderator=moderator
    ).delete()
    if deleted:
        queue_push({"event": "released", "key": item_key(item)})


# --- Decisions -------------------------------------------------------------------------------------


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
            _(
                "%(name)s already decided on this item at %(when)s (%(action)s; now: %(state)s). "
                "Your decision was not applied."
            )
            % {
                "name": last.moderator_name or _name(None),
                "when": _when(last.created_at),
                "action": last.get_action_display().lower(),
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
    notify(recipient=author, title=title, body=body, url=registry.url_of(item) or "", kind=NOTIFICATION_KIND)


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
    content_type = _content_type(item)
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
            moderator_name=_name(moderator)[:120],
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
        _announce(item, action=action, previous_state=expected_state)
        queue_push(
            {
                "event": "decided",
                "key": item_key(item),
                "action": action,
                "action_display": str(DecisionAction(action).label),
                "state": new_state,
                "moderator": _name(moderator),
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
    content_type = _content_type(item)
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
            moderator_name=_name(moderator)[:120],
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
        _announce(item, action=DecisionAction.EDIT, previous_state=previous_state)
        queue_push(
            {
                "event": "decided",
                "key": item_key(item),
                "action": DecisionAction.EDIT.value,
                "action_display": str(DecisionAction.EDIT.label),
                "state": item.moderation_state,
                "moderator": _name(moderator),
                "moderator_id": moderator.pk,
            }
        )
    return decision


# --- Blocks ----------------------------------------------------------------------------------------


def _author_lookup(entry) -> str:
    return entry.author_attr.replace(".", "__")


def user_block(
    *, moderator, user, reason: str, hide_content: bool = False, ends_at: datetime | None = None
) -> UserBlock:
    """Stop a person from contributing (until ``ends_at``, or until unblocked), optionally hiding their content."""
    if not moderator.has_perm("civic_moderation.block_user", user) or moderator.pk == user.pk:
        raise NotAllowed(_("You are not allowed to block this person."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ParticipationError(_("Give a reason: the person will read it."), code="reason_required")
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ParticipationError(_("The end of the block must be in the future."), code="ends_at")
    with transaction.atomic():
        open_block = UserBlock.objects.filter(user=user, lifted_at__isnull=True).first()
        if open_block is not None:
            if open_block.is_active:
                raise ParticipationError(_("This person is already blocked."), code="already_blocked")
            open_block.lifted_at = open_block.ends_at or now
            open_block.save(update_fields=["lifted_at"])
        block = UserBlock.objects.create(
            user=user, reason=reason, hide_content=hide_content, ends_at=ends_at, blocked_by=moderator, created_at=now
        )
        hidden = []
        if hide_content:
            for entry in registry.entries():
                items = entry.model._default_manager.filter(
                    **{_author_lookup(entry): user}, moderation_state=ModerationState.PUBLISHED
                )
                pks = list(items.values_list("pk", flat=True))
                entry.model._default_manager.filter(pk__in=pks).update(
                    moderation_state=ModerationState.HIDDEN,
                    held_for=HoldReason.AUTHOR_BLOCKED,
                    moderation_reason=reason,
                    review_requested_at=None,
                    moderated_at=now,
                    moderation_version=F("moderation_version") + 1,
                )
                hidden += [entry.model(pk=pk) for pk in pks]
        ModerationDecision.objects.create(
            content_type=_content_type(user),
            object_pk=str(user.pk),
            moderator=moderator,
            moderator_name=_name(moderator)[:120],
            subject=user,
            action=DecisionAction.BLOCK,
            reason=reason,
            item_label=(
                _("%(name)s (%(count)d contributions hidden)") % {"name": user, "count": len(hidden)}
                if hide_content
                else str(user)
            )[:200],
            created_at=now,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipient=user,
                title=_("Your account has been blocked")
                if ends_at is None
                else _("Your account has been blocked until %(date)s") % {"date": _when(ends_at)},
                body=reason,
                kind=NOTIFICATION_KIND,
            )
        for item in hidden:
            _announce(item, action=DecisionAction.HIDE, previous_state=ModerationState.PUBLISHED)
        queue_push({"event": "blocked", "user_id": user.pk, "name": str(user)})
    user._civic_blocked = True
    return block


def user_unblock(*, moderator, user, reason: str = "", restore_content: bool = False) -> UserBlock:
    """Lift a person's block; with ``restore_content``, publish again what the block had hidden."""
    if not moderator.has_perm("civic_moderation.block_user", user) or moderator.pk == user.pk:
        raise NotAllowed(_("You are not allowed to unblock this person."), code="forbidden")
    now = timezone.now()
    with transaction.atomic():
        block = UserBlock.objects.active().filter(user=user).first()
        if block is None:
            raise ParticipationError(_("This person is not blocked."), code="not_blocked")
        block.lifted_at = now
        block.lifted_by = moderator
        block.lift_reason = (reason or "").strip()
        block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        restored = []
        if restore_content:
            for entry in registry.entries():
                items = entry.model._default_manager.filter(
                    **{_author_lookup(entry): user},
                    moderation_state=ModerationState.HIDDEN,
                    held_for=HoldReason.AUTHOR_BLOCKED,
                )
                pks = list(items.values_list("pk", flat=True))
                entry.model._default_manager.filter(pk__in=pks).update(
                    moderation_state=ModerationState.PUBLISHED,
                    held_for="",
                    moderation_reason="",
                    moderated_at=now,
                    moderation_version=F("moderation_version") + 1,
                )
                restored += [entry.model(pk=pk) for pk in pks]
        ModerationDecision.objects.create(
            content_type=_content_type(user),
            object_pk=str(user.pk),
            moderator=moderator,
            moderator_name=_name(moderator)[:120],
            subject=user,
            action=DecisionAction.UNBLOCK,
            reason=block.lift_reason,
            item_label=str(user)[:200],
            created_at=now,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipient=user,
                title=_("Your account is no longer blocked"),
                body=block.lift_reason,
                kind=NOTIFICATION_KIND,
            )
        for item in restored:
            _announce(item, action=DecisionAction.APPROVE, previous_state=ModerationState.HIDDEN)
        queue_push({"event": "unblocked", "user_id": user.pk, "name": str(user)})
    user._civic_blocked = False
    return block
