from pathlib import Path

import pytest
from pytest_factoryboy import register

from tests.factories import AreaFactory, NotificationFactory, UserFactory
from tests.factories.budget import (
    BallotChoiceFactory,
    BallotFactory,
    BudgetFactory,
    BudgetPageFactory,
    IdeaFactory,
    ProjectFactory,
)
from tests.factories.notifications import FollowFactory, NotificationPreferenceFactory
from tests.factories.participation import (
    CommentFactory,
    FlagFactory,
    ModerationDecisionFactory,
    SupportFactory,
    UserBlockFactory,
)
from tests.factories.signalements import (
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
    ReportUpdateFactory,
    ServiceFactory,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

register(UserFactory)
register(AreaFactory)
register(NotificationFactory)
register(FollowFactory)
register(NotificationPreferenceFactory)
register(CommentFactory)
register(SupportFactory)
register(FlagFactory)
register(UserBlockFactory)
register(ModerationDecisionFactory)
register(BudgetPageFactory)
register(BudgetFactory)
register(ProjectFactory)
register(IdeaFactory)
register(BallotFactory)
register(BallotChoiceFactory)
register(ServiceFactory)
register(CategoryFactory)
register(CategoryQuestionFactory)
register(ReportFactory)
register(ReportUpdateFactory)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached data is keyed by ids, which SQLite reuses after
    a test's rollback."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def websocket_database(monkeypatch):
    """WebSocket consumers' database calls run on the test's thread and connection (thread-sensitive);
    Channels would otherwise close that connection, and the test's transaction with it."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


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


@pytest.fixture(autouse=True)
def fresh_site_chrome():
    """The page chrome a test cached (site identity, menu, footer links: civic.cms.chrome) must
    not outlive the database rows it was built from: each test starts a new generation."""
    from django.core.cache import cache

    from civic.cms.chrome import GENERATION_KEY

    cache.delete(GENERATION_KEY)


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code called directly by tests (services, forms) speaks English, so tests can match the
    msgids; requests still go through the language middleware (French unless the cookie says)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def in_french():
    """For tests that check French text produced outside a request (emails, commands)."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture
def english_pages(client):
    """For tests that match English msgids in pages: the client carries the English cookie."""
    client.cookies["civic_language"] = "en"
    return client
