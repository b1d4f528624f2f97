from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civic.notifications.models import Notification
from civic.notifications.services import follow_create, notify, notify_followers

pytestmark = pytest.mark.django_db


def test_notify_keeps_its_signature_and_stores_the_notification(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=resident, title="Votre signalement a été traité", body="Merci.", url="/s/1/", kind="report"
        )
    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.recipient, stored.title, stored.body, stored.url, stored.kind) == (
        resident,
        "Votre signalement a été traité",
        "Merci.",
        "/s/1/",
        "report",
    )
    assert stored.read_at is None


def test_notify_followers_reaches_every_follower_but_not_the_actor(user_factory, space):
    actor, *followers = user_factory.create_batch(4)
    for person in [actor, *followers]:
        follow_create(user=person, target=space)
    bystander = user_factory()

    notifications = notify_followers(
        target=space, title="Nouveau commentaire", url=space.url, kind="comment", exclude=actor
    )

    assert sorted(n.recipient_id for n in notifications) == sorted(p.pk for p in followers)
    assert not Notification.objects.filter(recipient__in=[actor, bystander]).exists()
    stored = Notification.objects.filter(recipient=followers[0]).get()
    assert stored.target == space


def test_followers_of_the_space_are_told_once_even_if_they_follow_both(user_factory, space, area):
    """A comment on a contribution: its followers and its space's followers, each told once."""
    contribution = area  # any model instance stands for a contribution
    of_contribution, of_space, of_both = user_factory.create_batch(3)
    follow_create(user=of_contribution, target=contribution)
    follow_create(user=of_space, target=space)
    follow_create(user=of_both, target=contribution)
    follow_create(user=of_both, target=space)

    notify_followers(
        target=contribution,
        title="Nouveau commentaire",
        also_follow_space_of=SimpleNamespace(space=space),
    )

    counts = {p: Notification.objects.filter(recipient=p).count() for p in (of_contribution, of_space, of_both)}
    assert counts == {of_contribution: 1, of_space: 1, of_both: 1}


def test_exclude_accepts_people_and_ids(user_factory, space):
    first, second, third = user_factory.create_batch(3)
    for person in (first, second, third):
        follow_create(user=person, target=space)
    notify_followers(target=space, title="t", exclude=[first, second.pk])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [third.pk]


def test_notify_followers_costs_the_same_queries_for_5_and_50_followers(
    user_factory, area_factory, django_capture_on_commit_callbacks
):
    """Storing, pushing live and emailing (the immediate backend runs the email task inline)."""
    notify_followers(target=area_factory(), title="warm-up")  # content types and the like, cached once

    def cost(count):
        target = area_factory()
        for person in user_factory.create_batch(count):
            follow_create(user=person, target=target)
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            notifications = notify_followers(target=target, title="Nouvelle étape", url="/projet/")
        assert len(notifications) == count
        assert len(mail.outbox) == count
        return len(queries)

    assert cost(5) == cost(50)


def test_list_page_paginates_and_marks_read_one_or_all(client, resident, notification_factory):
    notification_factory.create_batch(35, recipient=resident)
    client.force_login(resident)

    first_page = client.get(reverse("notification-list"))
    assert len(first_page.context["notifications"]) == 30
    assert "35 notifications non lues" in first_page.content.decode()
    second_page = client.get(reverse("notification-list") + "?page=2")
    assert len(second_page.context["notifications"]) == 5

    one = second_page.context["notifications"][0]
    response = client.post(reverse("notification-read", args=[one.pk]), {"next": "/notifications/?page=2"})
    assert response.url == "/notifications/?page=2"
    assert Notification.objects.filter(recipient=resident, read_at__isnull=True).count() == 34

    client.post(reverse("notification-read-all"))
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()


def test_a_person_cannot_mark_read_someone_elses_notification(client, resident, user_factory, notification_factory):
    other = notification_factory(recipient=user_factory())
    client.force_login(resident)
    client.post(reverse("notification-read", args=[other.pk]))
    other.refresh_from_db()
    assert other.read_at is None


def test_api_lists_own_notifications_and_marks_them_all_read(client, resident, user_factory, notification_factory):
    notification_factory.create_batch(3, recipient=resident)
    notification_factory(recipient=user_factory())
    client.force_login(resident)

    listing = client.get("/api/v1/notifications/").json()
    assert listing["count"] == 3
    assert {item["read"] for item in listing["results"]} == {False}

    assert client.post("/api/v1/notifications/read-all/").json() == {"changed": 3}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications/").json()["count"] == 3


def test_api_refuses_anonymous_people(client):
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
    assert client.post("/api/v1/notifications/read-all/").status_code in (401, 403)
