"""The moderation screens of the Wagtail admin: queue, item, people, audit log."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from civic.discussions.models import Comment
from civic.moderation.models import ModerationClaim, ModerationDecision, ModerationState, UserBlock
from civic.moderation.services import moderation_claim

pytestmark = pytest.mark.django_db

QUEUE = reverse("civic_moderation:queue")


def item_url(comment) -> str:
    return reverse("civic_moderation:item", args=[ContentType.objects.get_for_model(Comment).pk, comment.pk])


def selection(comment) -> str:
    comment.refresh_from_db()
    content_type = ContentType.objects.get_for_model(Comment).pk
    return f"{content_type}:{comment.pk}:{comment.moderation_state}:{comment.moderation_version}"


@pytest.fixture
def queue(thread, comment_factory, flag_factory):
    """A pending comment with personal data, a flagged published comment, a calm comment."""
    pending = comment_factory(
        target=thread,
        body="Call me on 06 12 34 56 78",
        moderation_state=ModerationState.PENDING,
        held_for="personal_data",
        review_requested_at=timezone.now() - timedelta(days=2),
    )
    flagged = comment_factory(target=thread, body="Buy cheap watches", review_requested_at=timezone.now())
    flag_factory(item=flagged, reason="spam", text="An advert")
    calm = comment_factory(target=thread, body="A calm opinion")
    return {"pending": pending, "flagged": flagged, "calm": calm}


# --- Access ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_residents_are_refused(client, resident, queue):
    client.force_login(resident)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert b"Call me on" not in response.content


def test_agents_reach_the_admin_but_not_the_queue(client, agent, queue):
    client.force_login(agent)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert (
        client.post(
            reverse("civic_moderation:bulk"), {"action": "approve", "items": [selection(queue["pending"])]}
        ).status_code
        == 302
    )
    assert Comment.objects.get(pk=queue["pending"].pk).moderation_state == ModerationState.PENDING


def test_the_menu_shows_moderation_to_moderators_only(client, moderator, agent):
    client.force_login(moderator)
    assert "moderation-queue" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert "moderation-log" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(agent)
    assert "moderation-queue" not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Queue ------------------------------------------------------------------------------------------


def test_the_queue_lists_what_waits_oldest_first_with_the_reasons(client, moderator, queue):
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Call me on <mark>06 12 34 56 78</mark>") < html.index("Buy cheap watches")
    assert "A calm opinion" not in html
    assert "Spam or advertising × 1" in html
    assert "Contains personal data" in html
    assert "moderation-queue-config" in html


def test_filters_by_reason_age_type_and_space(client, moderator, queue, comment_factory, area_factory, flag_factory):
    other_space = area_factory(name="Les Tilleuls")
    elsewhere = comment_factory(target=other_space, body="Elsewhere words", review_requested_at=timezone.now())
    flag_factory(item=elsewhere, reason="offensive")
    client.force_login(moderator)

    def listed(**params):
        html = client.get(QUEUE, params).content.decode()
        return {
            name
            for name, text in [("pending", "Call me on"), ("flagged", "Buy cheap"), ("elsewhere", "Elsewhere")]
            if text in html
        }

    assert listed(reason="flag:spam") == {"flagged"}
    assert listed(reason="personal_data") == {"pending"}
    assert listed(age="gt1d") == {"pending"}
    assert listed(age="lt1d") == {"flagged", "elsewhere"}
    assert listed(type="civic_discussions.comment") == {"pending", "flagged", "elsewhere"}
    space = f"{ContentType.objects.get_for_model(other_space).pk}:{other_space.pk}"
    assert listed(space=space) == {"elsewhere"}
    assert "Les Tilleuls" in client.get(QUEUE).content.decode()


def test_the_hidden_view_lists_hidden_items_to_reinstate(client, moderator, thread, comment_factory):
    comment_factory(target=thread, body="Hidden words", moderation_state=ModerationState.HIDDEN)
    client.force_login(moderator)
    assert "Hidden words" not in client.get(QUEUE).content.decode()
    assert "Hidden words" in client.get(QUEUE, {"view": "hidden"}).content.decode()


def test_the_queue_shows_who_is_reviewing_what(client, moderator, user_factory, queue):
    colleague = user_factory(roles=["moderator"], display_name="Colleague Camille")
    moderation_claim(moderator=colleague, item=queue["pending"])
    client.force_login(moderator)
    assert "Colleague Camille since" in client.get(QUEUE).content.decode()


def test_bulk_hide(client, moderator, queue):
    client.force_login(moderator)
    response = client.post(
        reverse("civic_moderation:bulk"),
        {
            "action": "hide",
            "reason": "Not allowed here",
            "items": [selection(queue["pending"]), selection(queue["flagged"])],
            "next": QUEUE + "?view=review",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?view=review"
    for comment in (queue["pending"], queue["flagged"]):
        comment.refresh_from_db()
        assert comment.moderation_state == ModerationState.HIDDEN
        assert comment.moderation_reason == "Not allowed here"
    assert ModerationDecision.objects.filter(action="hide").count() == 2


def test_bulk_hide_needs_a_reason(client, moderator, queue):
    client.force_login(moderator)
    response = client.post(
        reverse("civic_moderation:bulk"), {"action": "hide", "items": [selection(queue["pending"])]}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    assert Comment.objects.get(pk=queue["pending"].pk).moderation_state == ModerationState.PENDING


def test_bulk_skips_items_decided_meanwhile_and_says_so(client, moderator, user_factory, queue):
    stale = selection(queue["pending"])
    Comment.objects.filter(pk=queue["pending"].pk).update(
        moderation_state=ModerationState.REJECTED, moderation_version=1, review_requested_at=None
    )
    client.force_login(moderator)
    response = client.post(
        reverse("civic_moderation:bulk"),
        {"action": "approve", "items": [stale, selection(queue["flagged"])]},
        follow=True,
    )
    html = response.content.decode()
    assert "changed since you opened it" in html
    assert Comment.objects.get(pk=queue["pending"].pk).moderation_state == ModerationState.REJECTED
    assert Comment.objects.get(pk=queue["flagged"].pk).review_requested_at is None


# --- One item ----------------------------------------------------------------------------------------


def test_opening_an_item_claims_it_and_shows_it_in_context(client, moderator, queue):
    client.force_login(moderator)
    response = client.get(item_url(queue["flagged"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy cheap watches" in html
    assert "An advert" in html
    assert "You are reviewing this item" in html
    assert ModerationClaim.objects.get().moderator == moderator


def test_a_second_moderator_sees_the_claim_and_gets_no_decision_form(client, moderator, user_factory, queue):
    colleague = user_factory(roles=["moderator"], display_name="Colleague Camille")
    moderation_claim(moderator=colleague, item=queue["pending"])
    client.force_login(moderator)
    html = client.get(item_url(queue["pending"])).content.decode()
    assert "Colleague Camille has been reviewing this item since" in html
    assert 'name="step" value="decide"' not in html


def test_deciding_from_the_item_page(client, moderator, queue):
    client.force_login(moderator)
    client.get(item_url(queue["pending"]))
    response = client.post(
        item_url(queue["pending"]),
        {
            "step": "decide",
            "action": "reject",
            "reason": "Personal data",
            "notify_author": "on",
            "expected_state": "pending",
            "expected_version": "0",
            "next": QUEUE,
        },
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=queue["pending"].pk).moderation_state == ModerationState.REJECTED
    assert not ModerationClaim.objects.exists()


def test_a_decision_another_moderator_just_took_is_refused_with_an_explanation(client, moderator, user_factory, queue):
    client.force_login(moderator)
    client.get(item_url(queue["pending"]))
    # Meanwhile, after the claim expired, another moderator approved it.
    colleague = user_factory(roles=["moderator"], display_name="Colleague Camille")
    ModerationClaim.objects.all().delete()
    from civic.moderation.services import moderation_decide

    moderation_decide(moderator=colleague, item=queue["pending"], action="approve", expected_state="pending")
    response = client.post(
        item_url(queue["pending"]),
        {"step": "decide", "action": "hide", "reason": "Rude", "expected_state": "pending", "expected_version": "0"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Colleague Camille already decided on this item" in html
    assert "Your decision was not applied." in html
    assert Comment.objects.get(pk=queue["pending"].pk).moderation_state == ModerationState.PUBLISHED
    assert ModerationDecision.objects.count() == 1


def test_a_moderator_cannot_decide_on_their_own_comment(client, moderator, thread, comment_factory):
    own = comment_factory(
        target=thread, author=moderator, moderation_state="pending", review_requested_at=timezone.now()
    )
    client.force_login(moderator)
    html = client.get(item_url(own)).content.decode()
    assert "This is your own contribution" in html
    assert 'name="step" value="decide"' not in html
    client.post(
        item_url(own),
        {"step": "decide", "action": "approve", "expected_state": "pending", "expected_version": "0"},
    )
    assert Comment.objects.get(pk=own.pk).moderation_state == ModerationState.PENDING


def test_editing_from_the_item_page_keeps_the_original(client, moderator, queue):
    client.force_login(moderator)
    response = client.post(
        item_url(queue["pending"]),
        {
            "step": "edit",
            "text_body": "Call me on [phone removed]",
            "reason": "Phone number removed",
            "publish": "on",
            "expected_version": "0",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get(pk=queue["pending"].pk)
    assert comment.body == "Call me on [phone removed]"
    assert comment.moderation_state == ModerationState.PUBLISHED
    html = client.get(item_url(comment)).content.decode()
    assert "original text" in html
    assert "Call me on 06 12 34 56 78" in html  # the original, kept for moderators


# --- People ----------------------------------------------------------------------------------------


def test_blocking_and_unblocking_from_the_person_page(client, moderator, resident, thread, comment_factory):
    comment = comment_factory(target=thread, author=resident)
    url = reverse("civic_moderation:person", args=[resident.pk])
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    client.post(url, {"step": "block", "reason": "Insults", "hide_content": "on"})
    assert UserBlock.objects.active().filter(user=resident).exists()
    assert Comment.objects.get(pk=comment.pk).moderation_state == ModerationState.HIDDEN
    assert resident.display_name in client.get(reverse("civic_moderation:blocks")).content.decode()
    client.post(url, {"step": "unblock", "reason": "Apologised", "restore_content": "1"})
    assert not UserBlock.objects.active().exists()
    assert Comment.objects.get(pk=comment.pk).moderation_state == ModerationState.PUBLISHED


def _form_fields(html: str, step: str) -> dict[str, str]:
    """The hidden fields of the person page's form whose ``step`` is ``step``, as a browser sends them."""
    form = next(part for part in re.findall(r"<form .*?</form>", html, re.S) if f'name="step" value="{step}"' in part)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_a_person_who_is_not_blocked_can_be_blocked_from_their_page(client, moderator, resident):
    """The page of someone who is not blocked offers "Block", not "Unblock"; its form blocks them."""
    url = reverse("civic_moderation:person", args=[resident.pk])
    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert "May contribute" in html
    assert "<strong>Blocked</strong>" not in html and ", by " not in html
    assert "Block this person" in html and ">Block</button>" in html
    assert ">Unblock</button>" not in html

    fields = _form_fields(html, "block")
    response = client.post(url, {**fields, "reason": "Repeated insults"}, follow=True)
    assert "is blocked" in response.content.decode()
    html = client.get(url).content.decode()
    assert "<strong>Blocked</strong>" in html and f"by {moderator.display_name}" in html
    assert ">Unblock</button>" in html and ">Block</button>" not in html

    blocked = client.get(reverse("civic_moderation:blocks")).content.decode()
    assert "Nobody is blocked." not in blocked
    assert resident.display_name in blocked and "Repeated insults" in blocked


def test_a_moderator_cannot_block_an_administrator(client, moderator, administrator):
    client.force_login(moderator)
    response = client.post(
        reverse("civic_moderation:person", args=[administrator.pk]), {"step": "block", "reason": "x"}, follow=True
    )
    assert "not allowed to block" in response.content.decode()
    assert not UserBlock.objects.exists()


# --- Audit log ---------------------------------------------------------------------------------------


def test_administrators_read_the_log_moderators_do_not(client, administrator, moderator, moderation_decision_factory):
    moderation_decision_factory(reason="Insulting a neighbour")
    client.force_login(administrator)
    response = client.get(reverse("civic_moderation:decisions"))
    assert response.status_code == 200
    assert "Insulting a neighbour" in response.content.decode()
    client.force_login(moderator)
    assert client.get(reverse("civic_moderation:decisions")).status_code == 302
    assert client.get(reverse("civic_moderation:decisions-export")).status_code == 302


def test_the_log_is_exported_as_csv_with_its_filters(client, administrator, moderation_decision_factory):
    moderation_decision_factory(action="hide", reason='=HYPERLINK("http://evil")', moderator_name="Julien")
    moderation_decision_factory(action="approve", reason="Fine")
    client.force_login(administrator)
    response = client.get(reverse("civic_moderation:decisions-export"), {"action": "hide"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert len(rows) == 2
    header, row = rows
    assert len(header) == len(row) == 10
    assert row[1] == "Julien"
    assert row[2] == "hide"
    assert row[9] == '\'=HYPERLINK("http://evil")'  # a spreadsheet will not run it


def test_the_log_filters_by_action_and_text(client, administrator, moderation_decision_factory):
    moderation_decision_factory(action="hide", reason="Spam shop")
    moderation_decision_factory(action="approve", reason="Fine words")
    client.force_login(administrator)
    html = client.get(reverse("civic_moderation:decisions"), {"action": "approve"}).content.decode()
    assert "Fine words" in html and "Spam shop" not in html
    html = client.get(reverse("civic_moderation:decisions"), {"q": "shop"}).content.decode()
    assert "Spam shop" in html and "Fine words" not in html
