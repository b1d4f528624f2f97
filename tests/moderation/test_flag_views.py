"""Flagging from the site (form without JavaScript) and from the API."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from civic.discussions.models import Comment
from civic.moderation.models import Flag

pytestmark = pytest.mark.django_db


def flag_url(comment):
    return reverse("flag-create", args=[ContentType.objects.get_for_model(Comment).pk, comment.pk])


def test_the_flag_form_shows_the_item_and_labelled_reasons(client, resident, thread, comment_factory):
    comment = comment_factory(target=thread, body="Suspicious words")
    client.force_login(resident)
    html = client.get(flag_url(comment)).content.decode()
    assert "Suspicious words" in html
    assert "<legend>What is wrong?</legend>" in html
    assert 'for="id_reason_0"' in html


def test_flagging_through_the_form_redirects_back_with_thanks(client, resident, thread, comment_factory):
    comment = comment_factory(target=thread)
    client.force_login(resident)
    response = client.post(flag_url(comment), {"reason": "offensive", "text": "Insult", "next": "/quartier/"})
    assert response.status_code == 302
    assert response["Location"] == "/quartier/"
    flag = Flag.objects.get()
    assert (flag.reason, flag.text, flag.flagged_by) == ("offensive", "Insult", resident)


def test_flagging_twice_through_the_form_explains_and_stores_nothing_more(client, resident, thread, comment_factory):
    comment = comment_factory(target=thread)
    client.force_login(resident)
    client.post(flag_url(comment), {"reason": "spam"})
    response = client.post(flag_url(comment), {"reason": "spam"})
    assert response.status_code == 400
    assert "already flagged" in response.content.decode()
    assert Flag.objects.count() == 1


def test_a_reason_is_required(client, resident, thread, comment_factory):
    client.force_login(resident)
    response = client.post(flag_url(comment_factory(target=thread)), {"text": "no reason"})
    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_anonymous_visitors_log_in_first(client, thread, comment_factory):
    response = client.get(flag_url(comment_factory(target=thread)))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_items_that_are_not_public_cannot_be_flagged(client, resident, thread, comment_factory):
    client.force_login(resident)
    assert client.get(flag_url(comment_factory(target=thread, moderation_state="hidden"))).status_code == 404


def test_the_flag_rate_limit_answers_429(client, resident, thread, comment_factory, settings):
    settings.CIVIC_RATE_LIMITS = {"flag": {"user": "1/h"}}
    client.force_login(resident)
    client.post(flag_url(comment_factory(target=thread)), {"reason": "spam"})
    response = client.post(flag_url(comment_factory(target=thread)), {"reason": "spam"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_flagging_through_the_api(api, resident, thread, comment_factory, settings):
    settings.CIVIC_RATE_LIMITS = {"flag": {"user": "1/h"}}
    api.force_authenticate(resident)
    comment = comment_factory(target=thread)
    data = {
        "content_type": ContentType.objects.get_for_model(Comment).pk,
        "object_pk": str(comment.pk),
        "reason": "spam",
    }
    assert api.post(reverse("api-flag-create"), data, format="json").status_code == 201
    again = api.post(reverse("api-flag-create"), data, format="json")
    assert again.status_code == 400
    assert "already flagged" in again.json()["detail"]
    other = {**data, "object_pk": str(comment_factory(target=thread).pk)}
    limited = api.post(reverse("api-flag-create"), other, format="json")
    assert limited.status_code == 429
    assert "Retry-After" in limited
    assert api.post(reverse("api-flag-create"), {**data, "object_pk": "999999"}, format="json").status_code == 404
