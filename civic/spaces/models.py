"""The contract every participatory-space page follows (the reports portal, budget campaigns,
consultations, maps): what the home page, the menu, the spaces list and the cards read."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class SpaceStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Coming soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


@dataclass(frozen=True)
class SpacePhase:
    """One dated step of a space. ``participatory``: people can take part during it (a vote, a
    call for ideas); a space is closed once its last participatory phase has ended."""

    key: str
    label: str
    starts: datetime | None
    ends: datetime | None = None
    participatory: bool = True

    def contains(self, moment: datetime) -> bool:
        return (self.starts is None or self.starts <= moment) and (self.ends is None or moment < self.ends)


@dataclass(frozen=True)
class SpaceState:
    """Where a space stands at one moment (see ``SpaceMixin.space_state_at``)."""

    status: str
    phase: SpacePhase | None
    opens_at: datetime | None
    closes_at: datetime | None
    phases: list[SpacePhase]

    @property
    def status_label(self) -> str:
        return SpaceStatus(self.status).label


@dataclass(frozen=True)
class SpaceAction:
    """The one thing a space asks people to do now: "Report a problem", "Vote", "Give my opinion"."""

    label: str
    url: str


def phases_validate(phases: list[SpacePhase], *, field_of: dict[str, str] | None = None) -> None:
    """Refuse phases that are missing, undated, end before they start, or overlap the next one.

    ``field_of`` maps a phase key to the form field its start date comes from, so that the error
    shows under that field; without it the error concerns the whole form.
    """
    field_of = field_of or {}
    if not phases:
        raise ValidationError(_("Give this space at least one dated phase."))
    errors: dict[str, list] = {}

    def refuse(phase: SpacePhase, message) -> None:
        errors.setdefault(field_of.get(phase.key, "__all__"), []).append(message)

    for phase in phases:
        if phase.starts is None:
            refuse(phase, _("Give the start date of the phase “%(phase)s”.") % {"phase": phase.label})
        elif phase.ends is not None and phase.ends <= phase.starts:
            refuse(phase, _("The phase “%(phase)s” must end after it starts.") % {"phase": phase.label})
    for previous, phase in zip(phases, phases[1:], strict=False):
        if previous.ends is None and phase.starts is not None:
            refuse(phase, _("The phase “%(phase)s” has no end, so no phase can follow it.") % {"phase": previous.label})
        elif previous.ends and phase.starts and phase.starts < previous.ends:
            refuse(
                phase,
                _("The phase “%(phase)s” starts before the phase “%(previous)s” ends: phases cannot overlap.")
                % {"phase": phase.label, "previous": previous.label},
            )
    if errors:
        raise ValidationError(errors)


class SpacePageForm(WagtailAdminPageForm):
    """The admin form of every space page: a space says which areas it concerns, once the
    territory has any (the error shows under the field, the rest of the form is kept)."""

    def clean(self):
        cleaned_data = super().clean()
        from civic.territory.models import Area

        if "areas" in self.fields and not cleaned_data.get("areas") and Area.objects.exists():
            self.add_error(
                "areas", _("Choose the areas this space concerns: the commune itself if it concerns everyone.")
            )
        return cleaned_data


class SpaceMixin(models.Model):
    """Mixed into a Wagtail page model to make it a participatory space.

    The page model also has a ``premoderation`` boolean field (read by moderation) and implements
    ``space_phases()`` (its dated phases, in order; an empty list for a permanent space such as the
    reports portal) and ``space_action(request)`` (its primary action now, or None). It registers
    with :mod:`civic.spaces.registry` in its app's ``ready()``.
    """

    teaser = models.CharField(
        _("teaser"), max_length=240, blank=True, help_text=_("One or two sentences shown on the space's card.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("card image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    areas = ParentalManyToManyField(
        "civic_territory.Area",
        verbose_name=_("areas concerned"),
        blank=True,
        related_name="+",
        help_text=_("The districts or neighbourhoods this space concerns. Choose the commune if it concerns everyone."),
    )

    space_panels = [
        MultiFieldPanel(
            [FieldPanel("teaser"), FieldPanel("image"), FieldPanel("areas", widget=forms.CheckboxSelectMultiple)],
            heading=_("Card and areas"),
        )
    ]
    #: A permanent space (the reports portal) has no phases and is always open.
    space_permanent = False
    base_form_class = SpacePageForm

    class Meta:
        abstract = True

    # --- the contract a space page implements --------------------------------------------------
    def space_phases(self) -> list[SpacePhase]:
        return []

    def space_action(self, request) -> SpaceAction | None:
        return None

    # --- computed from it ----------------------------------------------------------------------
    def space_state_at(self, moment: datetime | None = None) -> "SpaceState":
        """Status, current phase, opening and closing of the space at ``moment`` (now by default),
        from one reading of its phases."""
        moment = moment or timezone.now()
        phases = self.space_phases()
        participatory_ends = [phase.ends for phase in phases if phase.participatory]
        closes_at = max(participatory_ends) if participatory_ends and None not in participatory_ends else None
        opens_at = phases[0].starts if phases else None
        if self.space_permanent or not phases:
            status = SpaceStatus.OPEN
        elif opens_at is not None and moment < opens_at:
            status = SpaceStatus.UPCOMING
        elif closes_at is not None and moment >= closes_at:
            status = SpaceStatus.CLOSED
        else:
            status = SpaceStatus.OPEN
        return SpaceState(
            status=status,
            phase=next((phase for phase in phases if phase.contains(moment)), None),
            opens_at=opens_at,
            closes_at=closes_at,
            phases=phases,
        )

    def space_status_at(self, moment: datetime | None = None) -> str:
        return self.space_state_at(moment).status

    def space_phase_at(self, moment: datetime | None = None) -> SpacePhase | None:
        return self.space_state_at(moment).phase

    @property
    def space_state(self) -> "SpaceState":
        return self.space_state_at()
