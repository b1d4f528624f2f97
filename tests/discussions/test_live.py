"""Live threads over WebSocket (channels' in-memory layer): new comments appear without a reload."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.contenttypes.models import ContentType

from civic.discussions.models import Comment
from civic.discussions.services import comment_create, comment_delete, comment_support
from civic.moderation.models import ModerationState
from civic.moderation.services import moderation_decide
from civic.territory.models import Area
from tests.websockets import run, socket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("websocket_database")]


def thread_path(area) -> str:
    return f"/ws/discussions/{ContentType.objects.get_for_model(Area).pk}/{area.pk}/"


def committed(django_capture_on_commit_callbacks, action):
    """Run a service the way a request would: its after-commit pushes happen."""

    def call():
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return database_sync_to_async(call)()


def test_a_new_comment_reaches_anonymous_viewers(thread, resident, django_capture_on_commit_callbacks):
    path = thread_path(thread)

    async def scenario():
        viewer = socket(path)
        connected, _ = await viewer.connect()
        assert connected
        comment = await committed(
            django_capture_on_commit_callbacks,
            lambda: comment_create(author=resident, target=thread, body="Live <b>news</b> https://example.org"),
        )
        message = await viewer.receive_json_from(timeout=3)
        assert message["event"] == "comment"
        assert message["action"] == "created"
        assert message["comment"]["id"] == comment.pk
        assert message["comment"]["author"] == resident.display_name
        assert message["comment"]["body_html"].startswith("Live &lt;b&gt;news&lt;/b&gt; <a href=")
        await viewer.disconnect()

    run(scenario)


def test_a_held_comment_is_not_pushed_until_approved(thread, resident, moderator, django_capture_on_commit_callbacks):
    path = thread_path(thread)

    async def scenario():
        viewer = socket(path)
        await viewer.connect()
        comment = await committed(
            django_capture_on_commit_callbacks,
            lambda: comment_create(author=resident, target=thread, body="Call me: 06 12 34 56 78"),
        )
        assert comment.moderation_state == ModerationState.PENDING
        assert await viewer.receive_nothing(timeout=0.3)
        await committed(
            django_capture_on_commit_callbacks,
            lambda: moderation_decide(
                moderator=moderator, item=comment, action="approve", expected_state=ModerationState.PENDING
            ),
        )
        message = await viewer.receive_json_from(timeout=3)
        assert (message["action"], message["comment"]["id"]) == ("created", comment.pk)
        await viewer.disconnect()

    run(scenario)


def test_hiding_deleting_and_supporting_update_open_threads(
    thread, resident, moderator, user_factory, comment_factory, django_capture_on_commit_callbacks
):
    path = thread_path(thread)
    rude = comment_factory(target=thread, body="Rude")
    own = comment_factory(target=thread, author=resident, body="Mine")
    supporter = user_factory()

    async def scenario():
        viewer = socket(path, user=supporter)
        await viewer.connect()
        await committed(
            django_capture_on_commit_callbacks,
            lambda: moderation_decide(
                moderator=moderator,
                item=rude,
                action="hide",
                reason="Insult",
                expected_state=ModerationState.PUBLISHED,
            ),
        )
        removed = await viewer.receive_json_from(timeout=3)
        assert removed == {"event": "comment", "action": "removed", "comment": {"id": rude.pk}}
        await committed(django_capture_on_commit_callbacks, lambda: comment_delete(user=resident, comment=own))
        deleted = await viewer.receive_json_from(timeout=3)
        assert deleted["action"] == "updated"
        assert deleted["comment"]["deleted"] is True
        assert deleted["comment"]["body_html"] == ""
        assert deleted["comment"]["author"] is None
        other = await database_sync_to_async(lambda: comment_factory(target=thread))()
        await committed(django_capture_on_commit_callbacks, lambda: comment_support(user=supporter, comment=other))
        assert await viewer.receive_json_from(timeout=3) == {
            "event": "support",
            "comment": {"id": other.pk, "support_count": 1},
        }
        await viewer.disconnect()

    run(scenario)


def test_a_thread_nobody_may_see_refuses_the_connection(area_factory, area_rules):
    area = area_factory()
    area_rules.remove("read")

    async def scenario():
        viewer = socket(thread_path(area))
        connected, _ = await viewer.connect()
        assert connected  # accepted, then closed with a code the script understands
        assert (await viewer.receive_output(timeout=3))["code"] == 4404

    run(scenario)


def test_an_unknown_thread_refuses_the_connection(area_rules):
    async def scenario():
        viewer = socket("/ws/discussions/999999/1/")
        await viewer.connect()
        assert (await viewer.receive_output(timeout=3))["code"] == 4404

    run(scenario)


def test_viewers_cannot_post_through_the_socket(thread):
    async def scenario():
        viewer = socket(thread_path(thread))
        await viewer.connect()
        await viewer.send_json_to({"type": "comment", "body": "sneaky"})
        await viewer.send_json_to({"type": "ping"})
        assert await viewer.receive_json_from(timeout=3) == {"event": "pong"}
        await viewer.disconnect()

    run(scenario)
    assert not Comment.objects.exists()
