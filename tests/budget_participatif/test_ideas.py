"""Ideas: submission, review told to the author, merging into a project crediting every author."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError

from budget_participatif.models import IdeaStatus, Project, Verdict
from budget_participatif.services import idea_create, idea_review, ideas_merge
from civic.moderation.exceptions import NotAllowed
from civic.notifications.models import Follow, Notification

pytestmark = pytest.mark.django_db


def test_resident_proposes_an_idea_inside_the_territory_and_follows_it(budget_page_factory, area_factory, resident):
    page = budget_page_factory(phase="ideas")
    district = area_factory(name="Les Tilleuls")
    lon, lat = district.geometry.centroid.coords
    idea = idea_create(
        page=page,
        author=resident,
        title="  Des bancs  au parc ",
        description="Des bancs à l'ombre pour les aînés du quartier.",
        theme="public_space",
        location=Point(lon, lat, srid=4326),
        cost_guess=8000,
    )
    assert idea.title == "Des bancs au parc" and idea.area == district and idea.is_published
    assert Follow.objects.filter(user=resident, object_pk=str(idea.pk)).exists()


def test_idea_outside_the_territory_or_out_of_phase_is_refused(budget_page_factory, area_factory, resident):
    area_factory()
    page = budget_page_factory(phase="ideas")
    with pytest.raises(ValidationError, match="outside the territory"):
        idea_create(
            page=page,
            author=resident,
            title="Loin",
            description="Une idée très loin d'ici, ailleurs.",
            theme="nature",
            location=Point(-60.0, 10.0, srid=4326),
        )
    with pytest.raises(NotAllowed, match="ideas phase"):
        idea_create(
            page=budget_page_factory(phase="voting"),
            author=resident,
            title="Tard",
            description="Une idée proposée pendant le vote.",
            theme="nature",
        )
    assert not page.ideas.exists()


def test_review_tells_the_author_the_public_reason(idea_factory, agent, resident):
    idea = idea_factory(author=resident)
    with pytest.raises(ValidationError, match="why"):
        idea_review(idea=idea, agent=agent, verdict=Verdict.NOT_FEASIBLE)
    idea_review(
        idea=idea, agent=agent, verdict=Verdict.NOT_FEASIBLE, public_reason="Le terrain appartient au département."
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NOT_FEASIBLE
    note = Notification.objects.get(recipient=resident)
    assert "not feasible" in note.title and "département" in note.body


def test_residents_cannot_review(idea_factory, resident):
    with pytest.raises(NotAllowed):
        idea_review(idea=idea_factory(), agent=resident, verdict=Verdict.FEASIBLE, cost_estimate=100)


def test_merging_ideas_credits_every_author(idea_factory, budget_factory, agent, user_factory):
    alice, bob = user_factory(), user_factory()
    first = idea_factory(author=alice)
    second = idea_factory(author=bob, page=first.page)
    for idea, cost in ((first, 30_000), (second, 12_000)):
        idea_review(idea=idea, agent=agent, verdict=Verdict.FEASIBLE, cost_estimate=cost)
    budget = budget_factory(page=first.page, amount=100_000)
    project = ideas_merge(ideas=[first, second], budget=budget, agent=agent, title="Parc des Tilleuls")
    assert project.cost == 42_000 and project.on_ballot
    assert set(project.authors()) == {alice, bob}
    assert Notification.objects.filter(kind="budget.project_created").count() == 2


def test_merge_refuses_unfeasible_and_over_budget(idea_factory, budget_factory, agent):
    idea = idea_factory()
    idea_review(idea=idea, agent=agent, verdict=Verdict.FEASIBLE, cost_estimate=500_000)
    budget = budget_factory(page=idea.page, amount=100_000)
    with pytest.raises(ValidationError, match="more than the whole budget"):
        ideas_merge(ideas=[idea], budget=budget, agent=agent, title="Trop cher")
    refused = idea_factory(page=idea.page)
    idea_review(idea=refused, agent=agent, verdict=Verdict.NOT_FEASIBLE, public_reason="Non.")
    with pytest.raises(ValidationError, match="not feasible"):
        ideas_merge(ideas=[refused], budget=budget, agent=agent, title="X", cost=10)
    assert not Project.objects.exists()
