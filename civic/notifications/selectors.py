"""Reads on follows, notifications and preferences."""

import rules
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from wagtail.models import Page

from .models import Follow, NotificationPreference


def target_key(target) -> tuple[int, str]:
    """(content type id, object pk) naming ``target`` in follows and notifications.

    A Wagtail page is named by its specific type even when given as a plain ``Page``.
    """
    if isinstance(target, Page):
        return target.content_type_id, str(target.pk)
    return ContentType.objects.get_for_model(target).pk, str(target.pk)


def space_of(obj):
    """The space (a Wagtail page) ``obj`` belongs to: itself for a page, else its ``space`` attribute."""
    if isinstance(obj, Page):
        return obj
    if not hasattr(obj, "space"):
        raise TypeError(f"{type(obj).__name__} has no `space` attribute naming the page it belongs to.")
    return obj.space


def followers_of(target):
    """The active people who follow ``target``."""
    content_type_id, object_pk = target_key(target)
    return get_user_model().objects.filter(
        is_active=True, follows__content_type_id=content_type_id, follows__object_pk=object_pk
    )


def is_following(user, target) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.of_target(*target_key(target)).filter(user=user).exists()


def follows_of(user):
    """What ``user`` follows, newest first, with each target loaded (None once it is deleted)."""
    return Follow.objects.filter(user=user).select_related("content_type").prefetch_related("target")


def preference_of(user) -> NotificationPreference:
    """The person's preference, or the defaults (unsaved) if they never chose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def is_followable_model(model) -> bool:
    """Pages (spaces) can be followed, and models that declare a GenericRelation to Follow."""
    if issubclass(model, Page):
        return True
    return any(
        isinstance(field, GenericRelation) and field.related_model is Follow for field in model._meta.private_fields
    )


def target_from_key(content_type_id, object_pk):
    """The followable object named by a (content type id, pk) pair from a form; None if there is none."""
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, TypeError, ValueError, OverflowError):
        return None
    model = content_type.model_class()
    if model is None or not is_followable_model(model):
        return None
    try:
        return model._default_manager.get(pk=object_pk)
    except (ObjectDoesNotExist, ValidationError, TypeError, ValueError, OverflowError):
        return None


def can_follow(request, target) -> bool:
    """Whether the person making ``request`` may start following ``target``: they must be able to see it.

    A page must be live and let them in; another model is checked against its
    ``<app_label>.read_<model>`` rule when its app declares one.
    """
    if not request.user.is_authenticated:
        return False
    if isinstance(target, Page):
        return target.live and all(
            restriction.accept_request(request) for restriction in target.get_view_restrictions()
        )
    meta = target._meta
    permission = f"{meta.app_label}.read_{meta.model_name}"
    return not rules.perm_exists(permission) or request.user.has_perm(permission, target)
