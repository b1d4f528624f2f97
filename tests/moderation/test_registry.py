import pytest
from django.core.exceptions import ImproperlyConfigured

from civic.discussions.models import Comment
from civic.moderation import registry
from civic.territory.models import Area

pytestmark = pytest.mark.django_db


def test_comments_are_registered_with_their_text(comment_factory):
    comment = comment_factory(body="Hello")
    assert registry.is_registered(comment)
    assert registry.text_of(comment) == {"body": "Hello"}
    assert registry.author_of(comment) == comment.author


def test_the_space_of_a_comment_is_its_target_when_the_target_is_not_a_contribution(comment_factory):
    comment = comment_factory()
    assert registry.space_of(comment) == comment.target


def test_a_space_says_whether_contributions_wait(settings):
    class Space:
        premoderation = True

    assert registry.premoderation_for(Space()) is True
    settings.CIVIC_MODERATION_PREMODERATION = False
    assert registry.premoderation_for(object()) is False
    assert registry.premoderation_for(None) is False
    settings.CIVIC_MODERATION_PREMODERATION = True
    assert registry.premoderation_for(object()) is True


def test_only_moderated_models_with_their_text_fields_can_be_registered():
    with pytest.raises(ImproperlyConfigured, match="Moderated"):
        registry.register(Area, text_fields=["name"])
    with pytest.raises(ImproperlyConfigured, match="no text field"):
        registry.register(Comment, text_fields=["title"])


def test_items_are_found_by_content_type_and_pk(comment_factory):
    from django.contrib.contenttypes.models import ContentType

    comment = comment_factory()
    content_type = ContentType.objects.get_for_model(Comment)
    assert registry.get_item(content_type.pk, str(comment.pk)) == comment
    assert registry.get_item(ContentType.objects.get_for_model(Area).pk, str(comment.target.pk)) is None
    assert registry.get_item(content_type.pk, "") is None
