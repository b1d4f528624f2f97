"""Factories for civic.notifications: follows and email preferences (NotificationFactory is in __init__)."""

import factory
from django.contrib.contenttypes.models import ContentType

from civic.notifications.models import EmailFrequency, Follow, NotificationPreference
from civic.notifications.selectors import target_key

from . import AreaFactory, UserFactory


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow of any object; an area unless given ``target=`` (a page, a contribution...)."""

    class Meta:
        model = Follow
        exclude = ["target", "key"]

    user = factory.SubFactory(UserFactory)
    target = factory.SubFactory(AreaFactory)
    key = factory.LazyAttribute(lambda follow: target_key(follow.target))
    content_type = factory.LazyAttribute(lambda follow: ContentType.objects.get_for_id(follow.key[0]))
    object_pk = factory.LazyAttribute(lambda follow: follow.key[1])


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    email_frequency = EmailFrequency.IMMEDIATELY
