"""The thread as people see it, and the forms that work without JavaScript."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from civic.discussions.models import Comment, Support
from civic.moderation.models import ModerationState
from civic.territory.models import Area

pytestmark = pytest.mark.django_db


def create_url(area):
    return reverse("comment-create", args=[ContentType.objects.get_for_model(Area).pk, area.pk])


# --- The thread ------------------------------------------------------------------------------------


def test_the_thread_shows_published_comments_and_replies(thread, comment_factory, render_thread, resident):
    top = comment_factory(target=thread, body="The square needs trees.")
    comment_factory(target=thread, parent=top, body="Yes, and benches.")
    html = render_thread(thread, resident)
    assert "The square needs trees." in html
    assert "Yes, and benches." in html
    assert f'id="comment-{top.pk}"' in html
    assert "data-comment-count>2<" in html


def test_the_form_has_a_label_and_a_live_region(thread, render_thread, resident):
    html = render_thread(thread, resident)
    assert '<label for="thread-' in html
    assert 'aria-live="polite"' in html
    assert 'role="alert"' in html
    assert f'action="{create_url(thread)}"' in html


def test_anonymous_visitors_are_invited_to_log_in(thread, render_thread):
    html = render_thread(thread, None)
    assert "to take part in the discussion" in html
    assert "data-comment-form" not in html
    assert "/compte/login/?next=%2Fquartier%2F%23comments" in html


def test_blocked_people_are_told_why_they_cannot_comment(thread, render_thread, resident, user_block_factory):
    user_block_factory(user=resident)
    html = render_thread(thread, resident)
    assert "Your account is blocked" in html
    assert "data-comment-form" not in html


def test_closed_threads_say_so(area_factory, area_rules, render_thread, resident):
    area_rules.remove("comment")
    html = render_thread(area_factory(), resident)
    assert "Comments are closed here." in html


def test_pending_and_hidden_comments_are_shown_only_to_their_author(
    thread, comment_factory, render_thread, user_factory
):
    author = user_factory()
    comment_factory(target=thread, author=author, body="Waiting words", moderation_state=ModerationState.PENDING)
    comment_factory(
        target=thread,
        author=author,
        body="Hidden words",
        moderation_state=ModerationState.HIDDEN,
        moderation_reason="Insult towards a neighbour.",
    )
    own = render_thread(thread, author)
    assert "Waiting words" in own and "Awaiting moderation" in own
    assert "Hidden words" in own and "Insult towards a neighbour." in own
    other = render_thread(thread, user_factory())
    assert "Waiting words" not in other and "Hidden words" not in other


def test_a_deleted_comment_with_replies_leaves_a_placeholder(thread, comment_factory, render_thread, resident):
    top = comment_factory(target=thread, deleted_at=timezone.now(), body="")
    comment_factory(target=thread, parent=top, body="A reply that stays")
    comment_factory(target=thread, deleted_at=timezone.now(), body="")  # no reply: not shown at all
    html = render_thread(thread, resident)
    assert html.count('<p class="comment__placeholder">Comment deleted by its author.</p>') == 1
    assert "A reply that stays" in html


def test_a_hidden_comment_with_replies_leaves_a_placeholder(thread, comment_factory, render_thread, resident):
    top = comment_factory(target=thread, moderation_state=ModerationState.HIDDEN, body="Rude words")
    comment_factory(target=thread, parent=top, body="A calm reply")
    html = render_thread(thread, resident)
    assert "Comment hidden by moderation." in html
    assert "Rude words" not in html
    assert "A calm reply" in html


def test_sorting_and_pagination(thread, comment_factory, render_thread, resident, settings):
    settings.CIVIC_DISCUSSIONS_PAGE_SIZE = 2
    old = comment_factory(target=thread, body="Oldest words")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    middle = comment_factory(target=thread, body="Middle words", support_count=5)
    Comment.objects.filter(pk=middle.pk).update(created_at=timezone.now() - timedelta(days=1))
    comment_factory(target=thread, body="Newest words")
    newest_first = render_thread(thread, resident)
    assert newest_first.index("Newest words") < newest_first.index("Middle words")
    assert "Oldest words" not in newest_first
    assert "comments_page=2" in newest_first
    assert "Oldest words" in render_thread(thread, resident, comments_page=2)
    oldest_first = render_thread(thread, resident, comments_sort="oldest")
    assert oldest_first.index("Oldest words") < oldest_first.index("Middle words")
    supported = render_thread(thread, resident, comments_sort="supported")
    assert supported.index("Middle words") < supported.index("Newest words")
    assert 'aria-current="true">Most supported' in supported


def test_the_thread_costs_the_same_queries_whatever_its_size(thread, comment_factory, render_thread, resident):
    def fill(count):
        for _index in range(count):
            top = comment_factory(target=thread)
            comment_factory(target=thread, parent=top)

    fill(3)
    render_thread(thread, resident)  # warm the caches (content types, the viewer's groups)
    with CaptureQueriesContext(connection) as small:
        render_thread(thread, resident)
    fill(40)
    with CaptureQueriesContext(connection) as large:
        render_thread(thread, resident)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_thread_costs_three_queries_anonymous_and_four_logged_in(
    thread, comment_factory, render_thread, resident, django_assert_num_queries
):
    """Counts (one query for the pages and the total), top-level comments, replies; logged in,
    the check for a block too. The viewer's supports and flags come with the comments."""
    top = comment_factory(target=thread)
    comment_factory(target=thread, parent=top)
    render_thread(thread, resident)  # warm the caches (content types)
    with django_assert_num_queries(3):
        render_thread(thread, None)
    with django_assert_num_queries(4):
        render_thread(thread, resident)


def test_pages_count_placeholders_and_the_total_counts_replies(
    thread, comment_factory, render_thread, resident, settings
):
    settings.CIVIC_DISCUSSIONS_PAGE_SIZE = 2
    comment_factory(target=thread, body="First words")
    comment_factory(target=thread, body="Second words")
    deleted = comment_factory(target=thread, deleted_at=timezone.now(), body="")
    comment_factory(target=thread, parent=deleted, body="A reply that stays")
    comment_factory(target=thread, moderation_state=ModerationState.HIDDEN, body="Hidden, no reply")
    html = render_thread(thread, resident)
    assert "Page 1 of 2" in html  # two comments and one placeholder are listed
    assert "data-comment-count>3<" in html  # published and not deleted, replies included
    own_view = render_thread(thread, deleted.author)
    assert "Page 1 of 2" in own_view  # a deleted comment is not listed for its author either


def test_action_links_point_at_each_comment_and_come_back(thread, comment_factory, render_thread, resident):
    mine = comment_factory(target=thread, author=resident, body="Mine")
    theirs = comment_factory(target=thread, body="Theirs")
    html = render_thread(thread, resident, comments_sort="oldest")
    back = "?next=/quartier/%3Fcomments_sort%3Doldest"
    assert f'<a href="{reverse("comment-edit", args=[mine.pk])}{back}">Edit</a>' in html
    assert f'<a href="{reverse("comment-delete", args=[mine.pk])}{back}">Delete</a>' in html
    assert reverse("comment-edit", args=[theirs.pk]) not in html
    assert f'action="{reverse("comment-support", args=[theirs.pk])}"' in html
    assert reverse("comment-support", args=[mine.pk]) not in html
    comment_type = ContentType.objects.get_for_model(Comment).pk
    assert f'href="{reverse("flag-create", args=[comment_type, theirs.pk])}{back}" class="comment__flag"' in html
    assert f'<input type="hidden" name="parent" value="{mine.pk}">' in html


def test_the_viewers_support_and_report_are_shown(
    thread, comment_factory, render_thread, resident, support_factory, flag_factory
):
    supported = comment_factory(target=thread, body="Supported", support_count=1)
    support_factory(comment=supported, user=resident)
    flag_factory(item=supported, flagged_by=resident)
    html = render_thread(thread, resident)
    assert 'aria-pressed="true"' in html
    assert '<input type="hidden" name="support" value="0">' in html
    assert '<span class="comment__flagged">Reported</span>' in html
    assert "comment__flag" not in html.replace("comment__flagged", "")


# --- Forms without JavaScript ------------------------------------------------------------------


def test_posting_a_comment_redirects_back_to_it(client, thread, resident):
    client.force_login(resident)
    response = client.post(create_url(thread), {"body": "Well said", "next": "/quartier/?x=1#comments"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quartier/?x=1#comment-{comment.pk}"


def test_posting_a_reply(client, thread, resident, comment_factory):
    top = comment_factory(target=thread)
    client.force_login(resident)
    client.post(create_url(thread), {"body": "Reply", "parent": top.pk, "next": "/quartier/"})
    assert Comment.objects.get(body="Reply").parent == top


def test_an_unsafe_next_url_is_ignored(client, thread, resident):
    client.force_login(resident)
    response = client.post(create_url(thread), {"body": "Hello", "next": "https://evil.example/"})
    assert response["Location"].startswith("/#comment-")


def test_anonymous_posts_go_to_the_login_page(client, thread):
    response = client.post(create_url(thread), {"body": "Hello"})
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_a_refused_comment_explains_why_and_keeps_the_text(client, area_factory, area_rules, resident):
    area_rules.remove("comment")
    area = area_factory()
    client.force_login(resident)
    response = client.post(create_url(area), {"body": "My long careful text", "next": "/quartier/"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "You cannot comment here." in content
    assert "My long careful text" in content
    assert not Comment.objects.exists()


def test_commenting_while_blocked_shows_the_block(client, thread, resident, user_block_factory):
    user_block_factory(user=resident)
    client.force_login(resident)
    response = client.post(create_url(thread), {"body": "Hello"})
    assert response.status_code == 403
    assert "Your account is blocked" in response.content.decode()
    assert not Comment.objects.exists()


def test_replying_to_a_deleted_comment_shows_an_error(client, thread, resident, comment_factory):
    parent = comment_factory(target=thread, deleted_at=timezone.now(), body="")
    client.force_login(resident)
    response = client.post(create_url(thread), {"body": "Reply", "parent": parent.pk})
    assert response.status_code == 400
    assert "You cannot reply to a comment that was deleted or hidden." in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_rate_limit_answers_429_with_retry_after(client, thread, resident, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "1/5m"}}
    client.force_login(resident)
    client.post(create_url(thread), {"body": "one"})
    response = client.post(create_url(thread), {"body": "two"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Please wait" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_held_comment_says_it_waits_for_a_moderator(client, thread, resident):
    client.force_login(resident)
    response = client.post(create_url(thread), {"body": "Call 06 12 34 56 78"}, follow=False)
    assert Comment.objects.get().moderation_state == ModerationState.PENDING
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("once a moderator has read it" in message for message in messages)


def test_editing_through_the_form(client, thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    client.force_login(resident)
    page = client.get(reverse("comment-edit", args=[comment.pk]))
    assert page.status_code == 200
    response = client.post(reverse("comment-edit", args=[comment.pk]), {"body": "New words", "next": "/q/"})
    assert response["Location"] == f"/q/#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "New words"


def test_editing_someone_elses_comment_is_refused(client, thread, resident, comment_factory):
    comment = comment_factory(target=thread, body="Theirs")
    client.force_login(resident)
    response = client.post(reverse("comment-edit", args=[comment.pk]), {"body": "Mine now"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Theirs"


def test_deleting_through_the_form(client, thread, resident, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    client.force_login(resident)
    assert client.get(reverse("comment-delete", args=[comment.pk])).status_code == 200
    client.post(reverse("comment-delete", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.is_deleted


def test_supporting_and_withdrawing_through_the_form(client, thread, resident, comment_factory):
    comment = comment_factory(target=thread)
    client.force_login(resident)
    client.post(reverse("comment-support", args=[comment.pk]), {"support": "1"})
    assert Support.objects.filter(comment=comment, user=resident).exists()
    client.post(reverse("comment-support", args=[comment.pk]), {"support": "0"})
    assert not Support.objects.exists()


def test_the_thread_speaks_french_by_default(thread, comment_factory, render_thread, resident):
    comment_factory(target=thread)
    translation.activate("fr")
    html = render_thread(thread, resident)
    assert ">Commentaires" in html
    assert "Votre commentaire" in html
    assert ">Publier</button>" in html
    assert "Les plus soutenus" in html


def test_refusals_are_explained_in_french(client, thread, resident, settings):
    settings.CIVIC_RATE_LIMITS = {"comment": {"user": "1/5m"}}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(resident)
    client.post(create_url(thread), {"body": "un"})
    response = client.post(create_url(thread), {"body": "deux"})
    assert "Vous avez publié beaucoup de commentaires en peu de temps. Merci d’attendre" in response.content.decode()
