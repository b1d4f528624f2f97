"""Ideas: submission by residents, review by the council's services, merging into projects, follow-up."""

import secrets
from collections.abc import Iterable, Sequence

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.core.coordinates import coordinates_clean
from civic.core.images import ProcessedPhoto, image_process, images_process
from civic.moderation.exceptions import NotAllowed
from civic.moderation.services import contribution_announce, contribution_screen, user_ensure_can_contribute
from civic.notifications.services import follow_create, notify, notify_followers
from civic.territory.models import Area

from .. import conf
from ..models import (
    Budget,
    BudgetPage,
    Idea,
    IdeaPhoto,
    IdeaReview,
    IdeaStatus,
    ImplementationStatus,
    Milestone,
    Phase,
    Project,
    Verdict,
)


def _territory_area(point: Point) -> Area | None:
    """The smallest area containing the point, or None when it is outside the territory."""
    return Area.objects.containing(point).first()


def _photo_name(prefix: str, processed: ProcessedPhoto) -> str:
    """A new name for the processed copy: the uploaded name is not kept (it may say who took it)."""
    return f"{prefix}-{secrets.token_hex(6)}.jpg"


def idea_create(
    *,
    page: BudgetPage,
    author,
    title: str,
    description: str,
    theme: str,
    location: Point | None = None,
    area: Area | None = None,
    cost_guess: int | None = None,
    photos: Sequence = (),
    now=None,
) -> Idea:
    """A resident proposes an idea during the ideas phase; they follow it from then on.

    ``photos`` go through the core's image pipeline: a refused file is reported under ``photo`` and
    nothing is stored; what is stored is a resized JPEG without EXIF.
    """
    user_ensure_can_contribute(user=author)
    if page.phase_at(now) != Phase.IDEAS:
        raise NotAllowed(_("Ideas can only be proposed while the ideas phase is open."), code="closed")
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give your idea a title.")
    if len((description or "").strip()) < 20:
        errors["description"] = _("Describe your idea in a few sentences (at least 20 characters).")
    if location is not None:
        try:  # before any query: GEOS must never write an out-of-range point (civic.core.coordinates)
            longitude, latitude = coordinates_clean(location.x, location.y)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            location = Point(longitude, latitude, srid=4326)
            found = _territory_area(location)
            if found is None:
                errors["location"] = _("This place is outside the territory: choose a place in the commune.")
            elif area is None:
                area = Area.objects.filter(pk=found.pk).first()
    if cost_guess is not None and cost_guess < 0:
        errors["cost_guess"] = _("A cost cannot be negative.")
    processed_photos: list[ProcessedPhoto] = []
    try:
        processed_photos = images_process(photos, limits=conf.photo_limits())
    except ValidationError as error:
        errors["photo"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        idea = Idea(
            page=page,
            author=author,
            title=title,
            description=description,
            theme=theme,
            location=location,
            area=area,
            cost_guess=cost_guess,
        )
        contribution_screen(item=idea)
        idea.full_clean(exclude=["page", "author", "project", "area"])
        idea.save()
        for processed in processed_photos:
            photo = IdeaPhoto(idea=idea, alt_text="")
            photo.image.save(_photo_name(f"idea-{idea.pk}", processed), processed.image, save=False)
            photo.save()
        follow_create(user=author, target=idea)
        transaction.on_commit(lambda: contribution_announce(item=idea))
    return idea


def idea_review(
    *,
    idea: Idea,
    agent,
    verdict: str,
    public_reason: str = "",
    cost_estimate: int | None = None,
    service: str | None = None,
) -> IdeaReview:
    """Record a service's assessment; a verdict is told to the author with its public reason."""
    if not agent.has_perm("budget_participatif.review_idea", idea):
        raise NotAllowed(_("Only council staff review ideas."), code="forbidden")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Unknown verdict.")})
    if verdict == Verdict.NOT_FEASIBLE and not public_reason.strip():
        raise ValidationError({"public_reason": _("Tell the author why the idea is not feasible.")})
    if verdict == Verdict.FEASIBLE and cost_estimate is None:
        raise ValidationError({"cost_estimate": _("A feasible idea needs a cost estimate.")})
    with transaction.atomic():
        review, _created = IdeaReview.objects.select_for_update().get_or_create(idea=idea)
        previous = review.verdict
        review.agent = agent
        review.verdict = verdict
        review.public_reason = public_reason.strip()
        review.cost_estimate = cost_estimate
        if service is not None:
            review.service = service
        if verdict != Verdict.PENDING and previous != verdict:
            review.decided_at = timezone.now()
        review.save()
        if idea.status != IdeaStatus.ON_BALLOT:
            idea.status = {
                Verdict.PENDING: IdeaStatus.IN_REVIEW,
                Verdict.FEASIBLE: IdeaStatus.FEASIBLE,
                Verdict.NOT_FEASIBLE: IdeaStatus.NOT_FEASIBLE,
            }[verdict]
            idea.save(update_fields=["status", "updated_at"])
        if verdict != Verdict.PENDING and (previous != verdict or review.public_reason):
            title = (
                _("Your idea “%(title)s” is feasible")
                if verdict == Verdict.FEASIBLE
                else _("Your idea “%(title)s” is not feasible")
            ) % {"title": idea.title}
            if idea.author_id:
                notify(
                    recipient=idea.author,
                    title=title,
                    body=review.public_reason,
                    url=idea.get_absolute_url(),
                    kind="budget.idea_review",
                    target=idea,
                )
    return review


def ideas_merge(
    *,
    ideas: Iterable[Idea],
    budget: Budget,
    agent,
    title: str,
    description: str = "",
    cost: int | None = None,
    on_ballot: bool = True,
) -> Project:
    """Make one project out of several ideas of the same campaign; every author is credited and told."""
    ideas = list(ideas)
    if not ideas:
        raise ValidationError(_("Choose at least one idea."))
    if not agent.has_perm("budget_participatif.review_idea", ideas[0]):
        raise NotAllowed(_("Only council staff merge ideas."), code="forbidden")
    if any(idea.page_id != budget.page_id for idea in ideas):
        raise ValidationError(_("Every idea must belong to the budget's campaign."))
    refused = [idea.title for idea in ideas if idea.status == IdeaStatus.NOT_FEASIBLE]
    if refused:
        raise ValidationError(_("These ideas were found not feasible: %(titles)s.") % {"titles": ", ".join(refused)})
    if cost is None:
        estimates = [getattr(getattr(idea, "review", None), "cost_estimate", None) for idea in ideas]
        if any(value is None for value in estimates):
            raise ValidationError(_("Give the project's cost, or review every idea with a cost estimate first."))
        cost = sum(estimates)
    if cost <= 0:
        raise ValidationError(_("A project costs something: give a positive cost."))
    if cost > budget.amount:
        raise ValidationError(
            _("This project costs more than the whole budget (%(amount)s €).") % {"amount": budget.amount}
        )
    with transaction.atomic():
        location = next((idea.location for idea in ideas if idea.location is not None), None)
        project = Project.objects.create(
            budget=budget,
            title=title.strip() or ideas[0].title,
            description=description.strip() or ideas[0].description,
            cost=cost,
            theme=ideas[0].theme,
            location=location,
            on_ballot=on_ballot,
        )
        Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(
            project=project,
            status=IdeaStatus.ON_BALLOT if on_ballot else IdeaStatus.FEASIBLE,
            updated_at=timezone.now(),
        )
        for author_id in sorted({idea.author_id for idea in ideas if idea.author_id}):
            author = next(idea.author for idea in ideas if idea.author_id == author_id)
            follow_create(user=author, target=project)
            notify(
                recipient=author,
                title=_("Your idea becomes the project “%(title)s”") % {"title": project.title},
                url=project.get_absolute_url(),
                kind="budget.project_created",
                target=project,
            )
    return project


def idea_put_on_ballot(*, idea: Idea, budget: Budget, agent) -> Project:
    """A single feasible idea goes on the ballot as it is (its review's cost estimate)."""
    return ideas_merge(ideas=[idea], budget=budget, agent=agent, title=idea.title, description=idea.description)


def project_progress_update(*, project: Project, agent, status: str, progress: int) -> Project:
    """Staff update a winning project's implementation; its followers are told."""
    if not agent.has_perm("budget_participatif.review_idea", None):
        raise NotAllowed(_("Only council staff update projects."), code="forbidden")
    if status not in ImplementationStatus.values:
        raise ValidationError({"status": _("Unknown implementation status.")})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage between 0 and 100.")})
    with transaction.atomic():
        changed = project.implementation_status != status
        project.implementation_status = status
        project.progress = 100 if status == ImplementationStatus.DONE else progress
        project.save(update_fields=["implementation_status", "progress", "updated_at"])
        if changed:
            notify_followers(
                target=project,
                title=_("“%(title)s”: %(status)s")
                % {"title": project.title, "status": project.get_implementation_status_display()},
                url=project.get_absolute_url(),
                kind="budget.project_progress",
                exclude=agent,
            )
    return project


def milestone_add(
    *, project: Project, agent, date, title: str, description: str = "", photo=None, photo_alt=""
) -> Milestone:
    if not agent.has_perm("budget_participatif.review_idea", None):
        raise NotAllowed(_("Only council staff update projects."), code="forbidden")
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the milestone a title.")
    processed = None
    if photo:
        try:
            processed = image_process(photo, limits=conf.photo_limits())
        except ValidationError as error:
            errors["photo"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        milestone = Milestone(
            project=project,
            date=date,
            title=title.strip(),
            description=description,
            photo_alt=photo_alt,
        )
        if processed is not None:
            milestone.photo.save(_photo_name(f"project-{project.pk}", processed), processed.image, save=False)
        milestone.save()
        notify_followers(
            target=project,
            title=_("“%(project)s”: %(milestone)s") % {"project": project.title, "milestone": milestone.title},
            url=project.get_absolute_url(),
            kind="budget.milestone",
            exclude=agent,
        )
    return milestone
