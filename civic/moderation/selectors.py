"""Reads of moderation: the review queue across every registered contribution type, the audit log."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Flag, FlagReason, HoldReason, ModerationClaim, ModerationDecision, ModerationState, UserBlock


class QueueView:
    REVIEW = "review"
    HIDDEN = "hidden"
    REJECTED = "rejected"
    choices = [
        (REVIEW, _("Awaiting review")),
        (HIDDEN, _("Hidden")),
        (REJECTED, _("Rejected")),
    ]


AGE_CHOICES = [
    ("", _("Any age")),
    ("lt1d", _("Less than a day")),
    ("gt1d", _("More than a day")),
    ("gt7d", _("More than a week")),
]


def reason_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in HoldReason.choices] + [
        (f"flag:{value}", str(_("Flagged: %(reason)s") % {"reason": label})) for value, label in FlagReason.choices
    ]


@dataclass
class QueueItem:
    entry: registry.Entry
    item: object
    content_type_id: int
    flags: list = field(default_factory=list)
    claim: ModerationClaim | None = None
    space: object = None

    @property
    def key(self) -> str:
        return f"{self.content_type_id}:{self.item.pk}"

    @property
    def space_key(self) -> str:
        if self.space is None:
            return ""
        return f"{ContentType.objects.get_for_model(self.space).pk}:{self.space.pk}"

    @property
    def author(self):
        return registry.author_of(self.item)

    @property
    def queued_at(self) -> datetime | None:
        return self.item.review_requested_at or self.item.moderated_at

    @property
    def texts(self) -> list[tuple[str, str]]:
        model = type(self.item)
        return [
            (str(model._meta.get_field(name).verbose_name).capitalize(), value)
            for name, value in registry.text_of(self.item).items()
        ]

    @property
    def context(self) -> list[tuple[str, str]]:
        return registry.context_of(self.item)

    @property
    def url(self) -> str | None:
        return registry.url_of(self.item)

    @property
    def flag_reasons(self) -> list[tuple[str, int]]:
        counts = Counter(flag.reason for flag in self.flags)
        return [(str(FlagReason(reason).label), count) for reason, count in counts.most_common()]

    @property
    def reasons(self) -> set[str]:
        reasons = {f"flag:{flag.reason}" for flag in self.flags}
        if self.item.held_for:
            reasons.add(self.item.held_for)
        return reasons

    @property
    def held_for_display(self) -> str:
        return str(HoldReason(self.item.held_for).label) if self.item.held_for else ""


def _base_queryset(entry, view: str):
    manager = entry.model._default_manager
    if view == QueueView.HIDDEN:
        items = manager.filter(moderation_state=ModerationState.HIDDEN).order_by("-moderated_at", "-pk")
    elif view == QueueView.REJECTED:
        items = manager.filter(moderation_state=ModerationState.REJECTED).order_by("-moderated_at", "-pk")
    else:
        items = manager.filter(review_requested_at__isnull=False).order_by("review_requested_at", "pk")
    if entry.author_attr and "." not in entry.author_attr:
        items = items.select_related(entry.author_attr)
    if entry.queue_prefetch:
        items = items.prefetch_related(*entry.queue_prefetch)
    return items


def _age_matches(moment: datetime | None, age: str, now: datetime) -> bool:
    if not age or moment is None:
        return True
    if age == "lt1d":
        return moment > now - timedelta(days=1)
    if age == "gt1d":
        return moment <= now - timedelta(days=1)
    if age == "gt7d":
        return moment <= now - timedelta(days=7)
    return True


def moderation_queue(
    *,
    view: str = QueueView.REVIEW,
    type_key: str = "",
    space_key: str = "",
    reason: str = "",
    age: str = "",
    limit_per_type: int = 500,
) -> list[QueueItem]:
    """Contributions of every registered type for one view of the queue, oldest waiting first.

    The queue holds what waits for a moderator, so it stays small; each type costs a few queries
    (items, their open flags), claims one more.
    """
    now = timezone.now()
    claims = {
        f"{claim.content_type_id}:{claim.object_pk}": claim
        for claim in ModerationClaim.objects.filter(expires_at__gt=now).select_related("moderator")
    }
    results: list[QueueItem] = []
    for entry in registry.entries():
        if type_key and entry.key != type_key:
            continue
        content_type = entry.content_type()
        items = list(_base_queryset(entry, view)[:limit_per_type])
        if not items:
            continue
        flags_by_item: dict[str, list[Flag]] = {}
        for flag in Flag.objects.filter(
            content_type=content_type,
            object_pk__in=[str(item.pk) for item in items],
            resolved_at__isnull=True,
        ).select_related("flagged_by"):
            flags_by_item.setdefault(flag.object_pk, []).append(flag)
        for item in items:
            queue_item = QueueItem(
                entry=entry,
                item=item,
                content_type_id=content_type.pk,
                flags=flags_by_item.get(str(item.pk), []),
                claim=claims.get(f"{content_type.pk}:{item.pk}"),
                space=registry.space_of(item),
            )
            if reason and reason not in queue_item.reasons:
                continue
            if space_key and queue_item.space_key != space_key:
                continue
            if not _age_matches(queue_item.queued_at, age, now):
                continue
            results.append(queue_item)
    far_past = datetime.min.replace(tzinfo=now.tzinfo)
    results.sort(key=lambda q: q.queued_at or far_past, reverse=view != QueueView.REVIEW)
    return results


def queue_spaces(items: list[QueueItem]) -> list[tuple[str, str]]:
    spaces = {item.space_key: str(item.space) for item in items if item.space is not None}
    return sorted(spaces.items(), key=lambda pair: pair[1].casefold())


def queue_item(content_type_id: int, object_pk: str) -> QueueItem | None:
    item = registry.get_item(content_type_id, object_pk)
    if item is None:
        return None
    content_type = ContentType.objects.get_for_model(item)
    flags = list(
        Flag.objects.filter(content_type=content_type, object_pk=str(item.pk))
        .select_related("flagged_by")
        .order_by("-resolved_at", "created_at")
    )
    claim = (
        ModerationClaim.objects.filter(content_type=content_type, object_pk=str(item.pk), expires_at__gt=timezone.now())
        .select_related("moderator")
        .first()
    )
    return QueueItem(
        entry=registry.entry_for(item),
        item=item,
        content_type_id=content_type.pk,
        flags=[flag for flag in flags if flag.resolved_at is None],
        claim=claim,
        space=registry.space_of(item),
    )


def item_history(item):
    return ModerationDecision.objects.for_item(item).select_related("moderator")


def item_flag_history(item):
    return (
        Flag.objects.filter(content_type=ContentType.objects.get_for_model(item), object_pk=str(item.pk))
        .select_related("flagged_by")
        .order_by("-created_at")
    )


def decisions_filtered(
    *,
    action: str = "",
    moderator_id: int | None = None,
    subject_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    query: str = "",
):
    decisions = ModerationDecision.objects.select_related("content_type").order_by("-created_at", "-pk")
    if action:
        decisions = decisions.filter(action=action)
    if moderator_id:
        decisions = decisions.filter(moderator_id=moderator_id)
    if subject_id:
        decisions = decisions.filter(subject_id=subject_id)
    if date_from:
        decisions = decisions.filter(created_at__date__gte=date_from)
    if date_to:
        decisions = decisions.filter(created_at__date__lte=date_to)
    if query:
        decisions = decisions.filter(
            Q(item_label__icontains=query) | Q(reason__icontains=query) | Q(moderator_name__icontains=query)
        )
    return decisions


def active_blocks():
    return UserBlock.objects.active().select_related("user", "blocked_by").order_by("-created_at")


def active_block_for(user) -> UserBlock | None:
    return UserBlock.objects.active().filter(user=user).select_related("blocked_by").first()


def author_contribution_counts(user) -> dict[str, int]:
    """How many contributions of each registered type the person wrote, by state (for the block page)."""
    counts: dict[str, int] = {}
    for entry in registry.entries():
        if entry.author_attr is None:
            continue
        lookup = entry.author_attr.replace(".", "__")
        for state in entry.model._default_manager.filter(**{lookup: user}).values_list("moderation_state", flat=True):
            counts[state] = counts.get(state, 0) + 1
    return counts
