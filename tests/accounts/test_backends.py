"""The session's user comes with their moderation block and verified-email flags, in one query."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic.accounts.backends import AuthenticationBackend, has_verified_email, user_with_participation
from civic.moderation.models import UserBlock
from civic.moderation.rules import is_blocked

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "block",
    [
        None,
        {},  # in force, no end
        {"ends_at": timedelta(days=3)},  # in force until later
        {"ends_at": timedelta(days=-1)},  # ended
        {"lifted_at": timedelta(hours=-1)},  # lifted by a moderator
        {"ends_at": timedelta(days=3), "lifted_at": timedelta(hours=-1)},
    ],
)
def test_the_block_flag_agrees_with_the_blocks_in_force(user_factory, user_block_factory, block):
    user = user_factory()
    if block is not None:
        now = timezone.now()
        user_block_factory(user=user, **{name: now + delta for name, delta in block.items()})
    loaded = user_with_participation(user.pk)
    assert loaded._civic_blocked is UserBlock.objects.active().filter(user=user).exists()
    assert is_blocked(loaded) is loaded._civic_blocked


def test_the_verified_email_flag(user_factory):
    user = user_factory(verified=False)
    assert user_with_participation(user.pk)._civic_verified_email is False
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    assert user_with_participation(user.pk)._civic_verified_email is False
    EmailAddress.objects.filter(user=user).update(verified=True)
    loaded = user_with_participation(user.pk)
    assert loaded._civic_verified_email is True and has_verified_email(loaded) is True


def test_unknown_malformed_or_inactive_users_are_not_logged_in(user_factory):
    assert user_with_participation(987_654) is None
    assert user_with_participation("not a number") is None
    inactive = user_factory(is_active=False)
    assert AuthenticationBackend().get_user(inactive.pk) is None
    assert AuthenticationBackend().get_user(user_factory().pk).email


def test_a_logged_in_request_loads_the_user_with_both_flags_in_one_query(client, user_factory):
    client.force_login(user_factory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("account_email")).status_code == 200
    user_queries = [query["sql"] for query in queries.captured_queries if "_civic_blocked" in query["sql"]]
    assert len(user_queries) == 1
