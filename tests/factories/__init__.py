"""factory_boy factories, registered once in tests/conftest.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import MultiPolygon, Polygon

from civic.accounts.models import User
from civic.notifications.models import Notification
from civic.territory.models import Area, AreaKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from civic.accounts.services import user_add_role

        for role in extracted or ():
            user_add_role(user=self, role=role)


def square(lon: float, lat: float, size: float = 0.01) -> MultiPolygon:
    polygon = Polygon.from_bbox((lon, lat, lon + size, lat + size))
    polygon.srid = 4326
    return MultiPolygon(polygon, srid=4326)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Quartier {n}")
    kind = AreaKind.QUARTIER
    code = factory.Sequence(lambda n: f"Q{n}")
    geometry = factory.LazyFunction(lambda: square(4.80, 45.70, 0.05))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."
    url = "/"
