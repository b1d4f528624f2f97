"""Factories for incident reports (registered in tests/conftest.py)."""

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone

from signalements.models import Category, CategoryQuestion, Report, ReportState, ReportUpdate, Service

from . import UserFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")
    code = factory.Sequence(lambda n: f"service-{n}")
    email = factory.Sequence(lambda n: f"team{n}@council.example.org")

    @factory.post_generation
    def agents(self, create, extracted, **kwargs):
        if create and extracted:
            self.agents.set(extracted)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    code = factory.Sequence(lambda n: f"category-{n}")
    group = "Voirie"
    icon = "🕳️"
    service = factory.SubFactory(ServiceFactory)
    nearby_radius = 50


class CategoryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryQuestion

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"question-{n}")
    label = factory.Sequence(lambda n: f"Question {n}")
    datatype = "string"
    required = False


class ReportFactory(factory.django.DjangoModelFactory):
    """A confirmed, open report at a point inside AreaFactory's default square."""

    class Meta:
        model = Report

    category = factory.SubFactory(CategoryFactory)
    service = factory.LazyAttribute(lambda report: report.category.service)
    location = factory.LazyFunction(lambda: Point(4.82, 45.72, srid=4326))
    description = factory.Sequence(lambda n: f"Pothole number {n} in the road.")
    reporter = factory.SubFactory(UserFactory)
    state = ReportState.NEW
    confirmed_at = factory.LazyFunction(timezone.now)


class ReportUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportUpdate

    report = factory.SubFactory(ReportFactory)
    author = factory.SubFactory(UserFactory)
    text = "We will look at it."
