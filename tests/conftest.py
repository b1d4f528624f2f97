from pathlib import Path

import pytest
from pytest_factoryboy import register

from tests.factories import AreaFactory, NotificationFactory, UserFactory

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

register(UserFactory)
register(AreaFactory)
register(NotificationFactory)


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the repository")
    return SHARED_DATA


@pytest.fixture
def resident(user_factory):
    return user_factory(roles=["resident"])


@pytest.fixture
def agent(user_factory):
    return user_factory(roles=["agent"])


@pytest.fixture
def moderator(user_factory):
    return user_factory(roles=["moderator"])


@pytest.fixture
def administrator(user_factory):
    return user_factory(roles=["administrator"])
