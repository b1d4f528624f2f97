"""The queue updates live: claims, decisions and new items reach moderators' open queue pages."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from civic.discussions.models import Comment
from civic.discussions.services import comment_create
from civic.moderation.services import flag_create, moderation_claim, moderation_decide
from tests.websockets import run, socket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("websocket_database")]

PATH = "/ws/moderation/queue/"


def test_claims_and_decisions_reach_other_moderators(
    thread, comment_factory, user_factory, django_capture_on_commit_callbacks
):
    watcher = user_factory(roles=["moderator"])
    actor = user_factory(roles=["moderator"], display_name="Julien")
    comment = comment_factory(target=thread, moderation_state="pending")
    key = f"{ContentType.objects.get_for_model(Comment).pk}:{comment.pk}"

    def act(action):
        def call():
            with django_capture_on_commit_callbacks(execute=True):
                return action()

        return database_sync_to_async(call)()

    async def scenario():
        page = socket(PATH, watcher)
        connected, _ = await page.connect()
        assert connected
        await act(lambda: moderation_claim(moderator=actor, item=comment))
        claimed = await page.receive_json_from(timeout=3)
        assert (claimed["event"], claimed["key"], claimed["moderator"]) == ("claimed", key, "Julien")
        await act(lambda: moderation_decide(moderator=actor, item=comment, action="approve", expected_state="pending"))
        decided = await page.receive_json_from(timeout=3)
        assert (decided["event"], decided["key"], decided["state"]) == ("decided", key, "published")
        await page.disconnect()

    run(scenario)


def test_new_items_and_flags_are_announced(
    thread, comment_factory, resident, moderator, user_factory, django_capture_on_commit_callbacks
):
    flagged = comment_factory(target=thread)

    def act(action):
        def call():
            with django_capture_on_commit_callbacks(execute=True):
                return action()

        return database_sync_to_async(call)()

    async def scenario():
        page = socket(PATH, moderator)
        await page.connect()
        await act(lambda: comment_create(author=resident, target=thread, body="Mail me: a@example.org"))
        queued = await page.receive_json_from(timeout=3)
        assert queued["event"] == "queued"
        await act(lambda: flag_create(user=user_factory(), item=flagged, reason="spam"))
        flag = await page.receive_json_from(timeout=3)
        assert (flag["event"], flag["flags"], flag["held"]) == ("flagged", 1, False)
        await page.disconnect()

    run(scenario)


@pytest.mark.parametrize("role", [None, "resident", "agent"])
def test_only_moderators_join_the_queue(user_factory, role):
    user = AnonymousUser() if role is None else user_factory(roles=[role])

    async def scenario():
        page = socket(PATH, user)
        await page.connect()
        assert (await page.receive_output(timeout=3))["code"] == 4403

    run(scenario)
