"""Factories for budget_participatif (registered in tests/conftest.py).

``BudgetPageFactory`` adds the campaign under the home page; by default its vote is open now.
"""

from datetime import timedelta

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone

from budget_participatif.models import (
    Ballot,
    BallotChoice,
    BallotType,
    Budget,
    BudgetPage,
    Idea,
    Project,
    Theme,
    VoteScope,
)

from . import UserFactory


class BudgetPageFactory(factory.django.DjangoModelFactory):
    """A campaign; ``phase`` ("ideas", "review", "voting", "results") sets the dates around now."""

    class Meta:
        model = BudgetPage
        exclude = ["phase"]

    phase = "voting"
    title = factory.Sequence(lambda n: f"Budget participatif {2027 + n}")
    slug = factory.Sequence(lambda n: f"budget-participatif-{n}")
    vote_scope = VoteScope.ALL
    require_verified_email = True

    @factory.lazy_attribute
    def ideas_opens(self):
        now = timezone.now()
        offsets = {"ideas": -10, "review": -40, "voting": -60, "results": -90, "follow_up": -400}
        return now + timedelta(days=offsets[self.phase])

    ideas_close = factory.LazyAttribute(lambda o: o.ideas_opens + timedelta(days=20))
    voting_opens = factory.LazyAttribute(lambda o: o.ideas_opens + timedelta(days=50))
    voting_closes = factory.LazyAttribute(lambda o: o.ideas_opens + timedelta(days=70))
    follow_up_from = factory.LazyAttribute(lambda o: o.ideas_opens + timedelta(days=100))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from civic.cms.models import HomePage

        page = model_class(*args, **kwargs)
        HomePage.objects.first().add_child(instance=page)
        return page


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    page = factory.SubFactory(BudgetPageFactory)
    name = factory.Sequence(lambda n: f"Budget {n}")
    amount = 100_000
    ballot_type = BallotType.APPROVAL
    min_choices = 1
    max_choices = 3


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    title = factory.Sequence(lambda n: f"Projet {n}")
    description = "Un projet pour le quartier."
    cost = 20_000
    theme = Theme.NATURE
    on_ballot = True
    location = factory.LazyFunction(lambda: Point(4.82, 45.72, srid=4326))


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    page = factory.SubFactory(BudgetPageFactory, phase="ideas")
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idée {n}")
    description = "Planter des arbres le long de la rue pour faire de l'ombre en été."
    theme = Theme.NATURE


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    budget = factory.SubFactory(BudgetFactory)
    voter = factory.SubFactory(UserFactory)


class BallotChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotChoice

    ballot = factory.SubFactory(BallotFactory)
    project = factory.SubFactory(ProjectFactory)
    value = 1
