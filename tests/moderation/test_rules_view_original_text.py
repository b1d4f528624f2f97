"""civic_moderation.view_original_text: who reads what an author wrote before a moderator's edit."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERM = "civic_moderation.view_original_text"


@pytest.mark.parametrize("state", ["published", "pending", "hidden", "rejected"])
@pytest.mark.parametrize(
    ("role", "allowed"), [("resident", False), ("agent", False), ("moderator", True), ("administrator", True)]
)
def test_by_role_and_state(thread, comment_factory, user_factory, role, allowed, state):
    comment = comment_factory(target=thread, moderation_state=state, original_text={"body": "Before"})
    assert user_factory(roles=[role]).has_perm(PERM, comment) is allowed


def test_not_the_author_nor_visitors(thread, comment_factory, resident):
    comment = comment_factory(target=thread, author=resident, original_text={"body": "Before"})
    assert not resident.has_perm(PERM, comment)
    assert not AnonymousUser().has_perm(PERM, comment)


def test_the_public_thread_never_shows_the_original(thread, comment_factory, render_thread, resident):
    comment_factory(
        target=thread,
        body="After the edit",
        original_text={"body": "Call 06 12 34 56 78"},
        edited_by_moderator_at="2026-01-01T10:00Z",
    )
    html = render_thread(thread, resident)
    assert "After the edit" in html
    assert "edited by moderation" in html
    assert "06 12 34 56 78" not in html


def test_the_api_never_shows_the_original(api, thread, comment_factory):
    from django.contrib.contenttypes.models import ContentType

    comment_factory(target=thread, body="After", original_text={"body": "Before"})
    url = reverse("api-comment-list", args=[ContentType.objects.get_for_model(thread).pk, thread.pk])
    assert "Before" not in api.get(url).content.decode()
