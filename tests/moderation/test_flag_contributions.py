"""Residents flag a report, an idea and a project from its page, as they flag comments: the same
form and reasons, and the same outcome in the moderators' queue."""

import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from civic.moderation.models import Flag, ModerationState
from civic.moderation.services import flag_create

pytestmark = pytest.mark.django_db

LINK = "Report to the moderators"


@pytest.fixture
def report(report_factory):
    return report_factory()


@pytest.fixture
def idea(idea_factory):
    return idea_factory()


@pytest.fixture
def project(project_factory, budget_factory, budget_page_factory):
    return project_factory(budget=budget_factory(page=budget_page_factory(phase="voting")))


@pytest.fixture(params=["report", "idea", "project"])
def contribution(request):
    return request.getfixturevalue(request.param)


def flag_href(html: str) -> str:
    match = re.search(rf'<a href="([^"]+)">{LINK}</a>', html)
    assert match, f"no “{LINK}” link on the page"
    return unescape(match.group(1))


def test_a_resident_flags_it_from_its_page_and_it_waits_in_the_queue(client, resident, moderator, contribution):
    page_url = contribution.get_absolute_url()
    client.force_login(resident)
    href = flag_href(client.get(page_url).content.decode())
    content_type = ContentType.objects.get_for_model(contribution)
    assert href.startswith(reverse("flag-create", args=[content_type.pk, contribution.pk]))

    form = client.get(href).content.decode()
    assert "<legend>What is wrong?</legend>" in form and "Spam or advertising" in form  # the comments' reasons
    response = client.post(href, {"reason": "offensive", "text": "Insults a neighbour", "next": page_url})
    assert response.status_code == 302 and response["Location"] == page_url

    flag = Flag.objects.get()
    assert (flag.content_type, flag.object_pk, flag.reason, flag.flagged_by) == (
        content_type,
        str(contribution.pk),
        "offensive",
        resident,
    )
    page = client.get(page_url).content.decode()
    assert "You have reported this to the moderators." in page and LINK not in page

    client.force_login(moderator)
    queue = client.get(reverse("civic_moderation:queue")).content.decode()
    item_url = reverse("civic_moderation:item", args=[content_type.pk, contribution.pk])
    assert item_url in queue
    assert "Offensive, hateful or threatening" in queue
    item = client.get(item_url).content.decode()
    assert "Insults a neighbour" in item


def test_the_link_is_for_logged_in_people_other_than_the_author(client, resident, report, idea):
    assert LINK not in client.get(report.get_absolute_url()).content.decode()  # anonymous visitors
    client.force_login(report.reporter)
    assert LINK not in client.get(report.get_absolute_url()).content.decode()
    client.force_login(idea.author)
    assert LINK not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(resident)
    assert LINK in client.get(idea.get_absolute_url()).content.decode()


def test_blocked_people_get_no_link(client, resident, user_block_factory, project):
    user_block_factory(user=resident)
    client.force_login(resident)
    assert LINK not in client.get(project.get_absolute_url()).content.decode()


def test_enough_flags_take_a_project_out_of_public_view_until_a_moderator_decides(
    client, user_factory, project, settings
):
    settings.CIVIC_MODERATION_FLAG_THRESHOLD = 2
    for person in user_factory.create_batch(2):
        flag_create(user=person, item=project, reason="spam")
    project.refresh_from_db()
    assert project.moderation_state == ModerationState.PENDING
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(reverse("api-budget-project-detail", args=[project.pk])).status_code == 404
