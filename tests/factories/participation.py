"""Factories for discussions and moderation (registered in tests/conftest.py)."""

import factory
from django.contrib.contenttypes.models import ContentType

from civic.discussions.models import Comment, Support
from civic.moderation.models import DecisionAction, Flag, FlagReason, ModerationDecision, UserBlock

from . import AreaFactory, UserFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A published comment on an area (tests declare the rules that let people comment on areas)."""

    class Meta:
        model = Comment

    target = factory.SubFactory(AreaFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_pk = factory.LazyAttribute(lambda o: str(o.target.pk))
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}: the footpath needs repairs.")
    parent = None


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag
        exclude = ["item"]

    item = factory.SubFactory(CommentFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.item))
    object_pk = factory.LazyAttribute(lambda o: str(o.item.pk))
    flagged_by = factory.SubFactory(UserFactory)
    reason = FlagReason.SPAM


class UserBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserBlock

    user = factory.SubFactory(UserFactory)
    reason = "Repeated insults."
    blocked_by = factory.SubFactory(UserFactory)


class ModerationDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationDecision
        exclude = ["item"]

    item = factory.SubFactory(CommentFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.item))
    object_pk = factory.LazyAttribute(lambda o: str(o.item.pk))
    moderator = factory.SubFactory(UserFactory)
    moderator_name = factory.LazyAttribute(lambda o: str(o.moderator))
    action = DecisionAction.HIDE
    reason = "Insult."
    previous_state = "published"
    new_state = "hidden"
    item_label = factory.LazyAttribute(lambda o: f"Comment #{o.item.pk}")
