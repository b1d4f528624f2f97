from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Page

from civic.notifications.models import Follow
from civic.notifications.selectors import followers_of, is_following, target_key
from civic.notifications.services import follow_create, follow_delete

pytestmark = pytest.mark.django_db


def _form(target, **extra):
    content_type_id, object_pk = target_key(target)
    return {"content_type_id": content_type_id, "object_pk": object_pk, **extra}


def test_following_twice_keeps_one_follow_and_unfollowing_twice_is_harmless(resident, space):
    first = follow_create(user=resident, target=space)
    second = follow_create(user=resident, target=space)
    assert first.pk == second.pk
    assert Follow.objects.filter(user=resident).count() == 1
    assert is_following(resident, space)
    assert list(followers_of(space)) == [resident]

    assert follow_delete(user=resident, target=space) is True
    assert follow_delete(user=resident, target=space) is False
    assert not is_following(resident, space)
    assert not followers_of(space).exists()


def test_a_page_is_followed_under_its_specific_type_whichever_instance_is_given(resident, space):
    follow_create(user=resident, target=Page.objects.get(pk=space.pk))  # a plain Page, as menus give them
    follow = Follow.objects.get(user=resident)
    assert follow.content_type == ContentType.objects.get_for_model(type(space))
    assert follow.target == space
    assert is_following(resident, space)


def test_followers_of_leaves_out_deactivated_accounts(user_factory, follow_factory, space):
    active, gone = user_factory(), user_factory(is_active=False)
    follow_factory(user=active, target=space)
    follow_factory(user=gone, target=Page.objects.get(pk=space.pk))
    assert list(followers_of(space)) == [active]


def test_follow_button_without_javascript_follows_then_unfollows_and_returns_to_the_page(client, resident, space):
    client.force_login(resident)
    response = client.post(reverse("follow-toggle"), _form(space, next=space.url))
    assert response.status_code == 302
    assert response.url == space.url
    assert is_following(resident, space)

    response = client.post(reverse("follow-toggle"), _form(space, next=space.url), follow=True)
    assert not is_following(resident, space)
    assert "Vous ne suivez plus" in response.content.decode()


def test_follow_action_is_explicit_so_a_double_submit_does_not_undo_it(client, resident, space):
    client.force_login(resident)
    for _attempt in range(2):
        client.post(reverse("follow-toggle"), _form(space, action="follow"))
    assert is_following(resident, space)


def test_enhanced_button_gets_json_with_the_new_state(client, resident, space):
    client.force_login(resident)
    response = client.post(reverse("follow-toggle"), _form(space), headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["following"] is True
    assert space.title in response.json()["message"]

    response = client.post(
        reverse("follow-toggle"), _form(space, action="unfollow"), headers={"accept": "application/json"}
    )
    assert response.json()["following"] is False
    assert not is_following(resident, space)


def test_next_pointing_to_another_site_is_ignored(client, resident, space):
    client.force_login(resident)
    response = client.post(reverse("follow-toggle"), _form(space, next="https://evil.example/"))
    assert response.url == reverse("follow-list")


def test_anonymous_person_is_sent_to_log_in_and_back_to_the_page(client, space):
    response = client.post(reverse("follow-toggle"), _form(space, next=space.url))
    assert response.status_code == 302
    url = urlsplit(response.url)
    assert url.path == reverse("account_login")
    assert parse_qs(url.query)["next"] == [space.url]
    assert not Follow.objects.exists()


def test_unpublished_pages_and_models_that_are_not_followable_answer_404(client, resident, draft_space, area):
    client.force_login(resident)
    assert client.post(reverse("follow-toggle"), _form(draft_space, action="follow")).status_code == 404
    # Areas do not declare a GenericRelation to Follow: they cannot be followed from the site.
    assert client.post(reverse("follow-toggle"), _form(area, action="follow")).status_code == 404
    assert client.post(reverse("follow-toggle"), {"content_type_id": "x", "object_pk": "1"}).status_code == 404
    assert not Follow.objects.exists()


def test_a_page_that_was_unpublished_can_still_be_unfollowed(client, resident, space):
    follow_create(user=resident, target=space)
    space.unpublish()
    client.force_login(resident)
    response = client.post(reverse("follow-toggle"), _form(space, action="unfollow"))
    assert response.status_code == 302
    assert not is_following(resident, space)


def test_what_i_follow_lists_targets_with_a_pressed_unfollow_button(client, resident, space):
    follow_create(user=resident, target=space)
    client.force_login(resident)
    response = client.get(reverse("follow-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert space.title in html
    assert f'href="{space.url}"' in html
    assert 'aria-pressed="true"' in html
    assert 'name="action" value="unfollow"' in html


def test_what_i_follow_costs_the_same_queries_for_2_and_20_follows(client, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civic.cms.models import HomePage, StandardPage

    home = HomePage.objects.get()
    client.force_login(resident)
    client.get(reverse("follow-list"))  # warm the caches (content types, site root paths)

    def cost(count):
        for index in range(count):
            page = home.add_child(
                instance=StandardPage(title=f"Projet {count}-{index}", slug=f"projet-{count}-{index}")
            )
            follow_create(user=resident, target=page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("follow-list")).status_code == 200
        return len(queries)

    assert cost(2) == cost(18)


def test_follow_button_tag_renders_the_current_state_and_a_login_link_for_visitors(rf, resident, space):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    template = Template("{% load notifications_tags %}{% follow_button target %}")
    request = rf.get(space.url)
    request.user = resident
    html = template.render(Context({"request": request, "target": space}))
    assert 'aria-pressed="false"' in html
    assert 'name="action" value="follow"' in html
    assert f'name="next" value="{space.url}"' in html

    follow_create(user=resident, target=space)
    assert 'aria-pressed="true"' in template.render(Context({"request": request, "target": space}))

    request.user = AnonymousUser()
    html = template.render(Context({"request": request, "target": space}))
    assert "<form" not in html
    assert reverse("account_login") in html
