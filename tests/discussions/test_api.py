"""/api/v1/ for discussions: list, post, edit, delete, support."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic.discussions.models import Comment
from civic.moderation.models import ModerationState
from civic.territory.models import Area

pytestmark = pytest.mark.django_db


def list_url(area):
    return reverse("api-comment-list", args=[ContentType.objects.get_for_model(Area).pk, area.pk])


def test_anonymous_visitors_read_a_thread(api, thread, comment_factory):
    top = comment_factory(target=thread, body="Hello <b>there</b> https://example.org")
    comment_factory(target=thread, parent=top, body="A reply")
    response = api.get(list_url(thread))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    comment = body["results"][0]
    assert comment["body"] == "Hello <b>there</b> https://example.org"
    assert comment["body_html"] == (
        'Hello &lt;b&gt;there&lt;/b&gt; <a href="https://example.org" rel="nofollow ugc noopener noreferrer">'
        "https://example.org</a>"
    )
    assert comment["replies"][0]["body"] == "A reply"
    assert comment["actions"] == {
        "own": False,
        "can_reply": False,
        "can_support": False,
        "can_flag": False,
        "can_edit": False,
        "can_delete": False,
    }


def test_a_thread_nobody_may_see_is_not_found(api, area_factory, area_rules):
    area_rules.remove("read")
    assert api.get(list_url(area_factory())).status_code == 404


def test_pending_comments_of_others_are_not_listed(api, thread, comment_factory, resident):
    comment_factory(target=thread, moderation_state=ModerationState.PENDING, body="Waiting")
    own = comment_factory(target=thread, author=resident, moderation_state=ModerationState.PENDING, body="Mine")
    assert api.get(list_url(thread)).json()["count"] == 0
    api.force_authenticate(resident)
    results = api.get(list_url(thread)).json()["results"]
    assert [(c["id"], c["state"], c["body"]) for c in results] == [(own.pk, "pending", "Mine")]


def test_hidden_comments_with_replies_are_placeholders(api, thread, comment_factory):
    top = comment_factory(target=thread, moderation_state=ModerationState.HIDDEN, body="Rude")
    comment_factory(target=thread, parent=top, body="Calm")
    comment = api.get(list_url(thread)).json()["results"][0]
    assert comment["state"] == "hidden"
    assert comment["body"] == "" and comment["body_html"] == "" and comment["author"] is None
    assert comment["replies"][0]["body"] == "Calm"


def test_sort_and_pagination(api, thread, comment_factory, settings):
    settings.CIVIC_DISCUSSIONS_PAGE_SIZE = 2
    for index in range(3):
        comment = comment_factory(target=thread, body=f"c{index}", support_count=index % 2)
        Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=3 - index))
    newest = api.get(list_url(thread)).json()
    assert [c["body"] for c in newest["results"]] == ["c2", "c1"]
    assert newest["next"]
    assert [c["body"] for c in api.get(list_url(thread), {"page": 2}).json()["results"]] == ["c0"]
    assert [c["body"] for c in api.get(list_url(thread), {"sort": "oldest"}).json()["results"]] == ["c0", "c1"]
    assert [c["body"] for c in api.get(list_url(thread), {"sort": "supported"}).json()["results"]] == ["c1", "c2"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_listing_costs_the_same_queries_for_10_or_100_comments(
    api, thread, comment_factory, resident, django_assert_num_queries, logged_in
):
    if logged_in:
        api.force_authenticate(resident)

    def fill(count):
        for _index in range(count):
            top = comment_factory(target=thread)
            comment_factory(target=thread, parent=top)
            comment_factory(target=thread, parent=top)

    fill(10)
    api.get(list_url(thread), {"page_size": 100})  # warm the content type cache
    with CaptureQueriesContext(connection) as ten:
        assert len(api.get(list_url(thread), {"page_size": 100}).json()["results"]) == 10
    fill(90)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert len(api.get(list_url(thread), {"page_size": 100}).json()["results"]) == 100


def test_posting_a_comment(api, thread, resident):
    api.force_authenticate(resident)
    response = api.post(list_url(thread), {"body": "From the API"}, format="json")
    assert response.status_code == 201
    assert response.json()["body"] == "From the API"
    assert response.json()["actions"]["own"] is True
    assert Comment.objects.get().author == resident


def test_posting_a_reply_to_a_reply_attaches_it_to_the_top_level_comment(api, thread, resident, comment_factory):
    top = comment_factory(target=thread)
    reply = comment_factory(target=thread, parent=top)
    api.force_authenticate(resident)
    response = api.post(list_url(thread), {"body": "Me too", "parent": reply.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["parent"] == top.pk


def test_anonymous_posts_are_refused(api, thread):
    assert api.post(list_url(thread), {"body": "Hi"}, format="json").status_code in (401, 403)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("setup", "status", "message"),
    [
        ("closed", 403, "You cannot comment here."),
        ("blocked", 403, "Your account is blocked"),
        ("deleted_parent", 400, "deleted or hidden"),
        ("empty", 400, "Write your comment first."),
    ],
)
def test_refusals_say_why_and_store_nothing(
    api, thread, resident, area_rules, user_block_factory, comment_factory, setup, status, message
):
    data = {"body": "Hello"}
    if setup == "closed":
        area_rules.remove("comment")
    elif setup == "blocked":
        user_block_factory(user=resident)
    elif setup == "deleted_parent":
        data["parent"] = comment_factory(target=thread, deleted_at=timezone.now(), body="").pk
    elif setup == "empty":
        data["body"] = "   "
    count = Comment.objects.count()
    api.force_authenticate(resident)
    response = api.post(list_url(thread), data, format="json")
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert Comment.objects.count() == count


def test_the_rate_limit_answers_429_with_retry_after(api, thread, resident, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "2/5m"}}
    api.force_authenticate(resident)
    for body in ("one", "two"):
        assert api.post(list_url(thread), {"body": body}, format="json").status_code == 201
    response = api.post(list_url(thread), {"body": "three"}, format="json")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Please wait" in response.json()["detail"]


def test_the_ip_rate_limit_applies_across_accounts(api, thread, user_factory, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "", "ip": "1/h"}}
    api.force_authenticate(user_factory())
    assert api.post(list_url(thread), {"body": "one"}, format="json", REMOTE_ADDR="192.0.2.7").status_code == 201
    api.force_authenticate(user_factory())
    assert api.post(list_url(thread), {"body": "two"}, format="json", REMOTE_ADDR="192.0.2.7").status_code == 429


def test_supporting_through_the_api(api, thread, resident, comment_factory):
    comment = comment_factory(target=thread)
    api.force_authenticate(resident)
    url = reverse("api-comment-support", args=[comment.pk])
    assert api.post(url).json() == {"id": comment.pk, "support_count": 1, "supported": True}
    second = api.post(url)
    assert second.status_code == 400
    assert "already support" in second.json()["detail"]
    assert api.delete(url).json() == {"id": comment.pk, "support_count": 0, "supported": False}


def test_supporting_ones_own_comment_is_forbidden(api, thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    api.force_authenticate(resident)
    assert api.post(reverse("api-comment-support", args=[comment.pk])).status_code == 403


def test_editing_and_deleting_through_the_api(api, thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    api.force_authenticate(resident)
    url = reverse("api-comment-detail", args=[comment.pk])
    edited = api.patch(url, {"body": "Better words"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["body"] == "Better words"
    deleted = api.delete(url)
    assert deleted.json()["state"] == "deleted"
    assert deleted.json()["body"] == ""


def test_editing_someone_elses_comment_is_forbidden(api, thread, resident, comment_factory):
    comment = comment_factory(target=thread, body="Theirs")
    api.force_authenticate(resident)
    response = api.patch(reverse("api-comment-detail", args=[comment.pk]), {"body": "Mine"}, format="json")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Theirs"
