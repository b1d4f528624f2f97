"""The participatory-space kit: phases and status, the home page's entry point, the menu, the
spaces list, and the admin form's refusals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.cms.models import HomePage
from civic.spaces.models import SpacePhase, SpaceStatus, phases_validate
from signalements.models import ReportsPortalPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    return HomePage.objects.get().add_child(instance=ReportsPortalPage(title="Signalements", slug="signalements"))


def test_status_follows_the_participatory_phases(budget_page_factory):
    now = timezone.now()
    page = budget_page_factory(phase="ideas")
    assert page.space_status_at(now) == SpaceStatus.OPEN
    assert page.space_phase_at(now).key == "ideas"
    assert page.space_status_at(page.ideas_opens - timedelta(days=1)) == SpaceStatus.UPCOMING
    # Review is not participatory but a vote follows: still open.
    assert page.space_status_at(page.ideas_close + timedelta(hours=1)) == SpaceStatus.OPEN
    # Results and follow-up are not participatory: the space is closed once the vote has closed.
    assert page.space_status_at(page.voting_closes + timedelta(hours=1)) == SpaceStatus.CLOSED
    assert page.space_phase_at(page.voting_closes + timedelta(hours=1)).key == "results"


def test_a_permanent_space_is_always_open(portal):
    assert portal.space_status_at() == SpaceStatus.OPEN
    assert portal.space_phases() == []


def test_phases_are_refused_when_missing_reversed_or_overlapping():
    now = timezone.now()
    with pytest.raises(ValidationError, match="at least one dated phase"):
        phases_validate([])
    with pytest.raises(ValidationError) as reversed_phase:
        phases_validate([SpacePhase("a", "Consultation", now, now - timedelta(days=1))], field_of={"a": "ends"})
    assert "must end after it starts" in str(reversed_phase.value.message_dict["ends"])
    overlapping = [
        SpacePhase("a", "Information", now, now + timedelta(days=10)),
        SpacePhase("b", "Consultation", now + timedelta(days=5), now + timedelta(days=20)),
    ]
    with pytest.raises(ValidationError) as overlap:
        phases_validate(overlapping, field_of={"b": "consultation_starts"})
    assert "cannot overlap" in str(overlap.value.message_dict["consultation_starts"])


def test_a_budget_whose_phases_overlap_says_which_date_to_fix(budget_page_factory):
    page = budget_page_factory(phase="ideas")
    page.voting_opens = page.ideas_close - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "voting_opens" in error.value.message_dict


def test_the_admin_form_refuses_a_space_without_areas_and_keeps_what_was_typed(area_factory, admin_client, portal):
    area_factory(name="Centre")
    from django.urls import reverse

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[portal.pk]),
        {
            "title": "Signalements",
            "slug": "signalements",
            "intro": "Mon texte",
            "teaser": "Un mot",
            "action-publish": "1",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose the areas this space concerns" in content or "Choisissez les zones" in content
    assert "Mon texte" in content and "Un mot" in content


def test_home_page_offers_each_open_space_action_first(client, portal, budget_page_factory):
    budget_page_factory(title="Budget 2027", phase="voting")
    budget_page_factory(title="Budget 2030", phase="ideas").space_phases()
    upcoming = budget_page_factory(title="Budget 2031", phase="voting")
    upcoming.ideas_opens = timezone.now() + timedelta(days=5)
    upcoming.ideas_close = upcoming.ideas_opens + timedelta(days=5)
    upcoming.voting_opens = upcoming.ideas_opens + timedelta(days=10)
    upcoming.voting_closes = upcoming.ideas_opens + timedelta(days=20)
    upcoming.save_revision().publish()
    budget_page_factory(title="Budget 2020", phase="results")
    content = client.get("/").content.decode()
    actions = content[content.index('class="space-actions"') : content.index("</ul>", content.index("space-actions"))]
    assert "Signaler un problème" in actions
    assert "Voter" in actions and "Budget 2027" in actions
    assert "Proposer une idée" in actions
    assert "Budget 2031" not in actions and "Budget 2020" not in actions
    now_section = content[content.index('id="spaces-open"') : content.index('id="spaces-upcoming"')]
    upcoming_section = content[content.index('id="spaces-upcoming"') : content.index('id="spaces-closed"')]
    closed_section = content[content.index('id="spaces-closed"') :]
    assert "Budget 2027" in now_section and "Signalements" in now_section
    assert "Budget 2031" in upcoming_section
    assert "Budget 2020" in closed_section and "Résultats" in closed_section


def test_home_page_filters_by_area_and_near_me(client, user_factory, area_factory, budget_page_factory):
    city = area_factory(name="Ville")
    north = area_factory(name="Nord", parent=city)
    south = area_factory(name="Sud", parent=city)
    for title, areas in (("Pour le Nord", [north]), ("Pour le Sud", [south]), ("Pour la ville", [city])):
        page = budget_page_factory(title=title)
        page.areas.set(areas)
        page.save()
    resident = user_factory(home_area=north)
    client.force_login(resident)
    content = client.get("/?area=home").content.decode()
    assert "Pour le Nord" in content and "Pour la ville" in content
    assert "Pour le Sud" not in content
    assert "Près de chez moi" in content
    content = client.get(f"/?area={south.pk}").content.decode()
    assert "Pour le Sud" in content and "Pour le Nord" not in content


def test_menu_lists_live_spaces_without_show_in_menus(client, portal, budget_page_factory):
    budget_page_factory(title="Budget A")
    budget_page_factory(title="Budget B")
    nav = client.get("/").content.decode().split('id="site-nav"')[1].split("</nav>")[0]
    assert 'href="/signalements/"' in nav  # the only portal: linked directly
    assert "/espaces/?type=budget_participatif-budgetpage" in nav  # several campaigns: the filtered list


def main_of(response) -> str:
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def test_space_list_filters_by_type_and_status(client, portal, budget_page_factory):
    budget_page_factory(title="Budget ouvert", phase="voting")
    budget_page_factory(title="Budget clos", phase="results")
    content = main_of(client.get("/espaces/?type=budget_participatif-budgetpage&status=closed"))
    assert "Budget clos" in content and "Budget ouvert" not in content and "Signalements</a>" not in content
    assert "1 espace" in content
    content = main_of(client.get("/espaces/?status=nonsense&type=nonsense"))
    assert "Budget clos" in content and "Budget ouvert" in content and "3 espaces" in content


def test_home_page_queries_do_not_grow_with_the_number_of_spaces(client, portal, budget_page_factory):
    from django.core.cache import cache

    for _ in range(3):
        budget_page_factory()
    client.get("/")
    cache.clear()  # measure the page as built, not as cached
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(20):
        budget_page_factory()
    client.get("/")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert response.content.decode().count("space-card__title") == 24
    assert len(many) == len(few)


def test_home_page_spaces_are_cached_until_a_page_changes_or_a_phase_ends(client, portal, budget_page_factory):
    page = budget_page_factory(title="Budget qui change", phase="voting")
    assert "Budget qui change" in client.get("/").content.decode()
    client.get("/")  # the site identity row is created on the first visit, which starts a new generation
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    assert not any("budget_participatif_budgetpage" in query["sql"] for query in cached.captured_queries)
    page.title = "Budget renommé"
    page.save_revision().publish()  # publishing starts a new generation
    assert "Budget renommé" in client.get("/").content.decode()


def test_home_page_spaces_are_built_when_the_cache_is_unreachable(client, portal, budget_page_factory, monkeypatch):
    budget_page_factory(title="Budget sans cache")

    class Unreachable:
        def get(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

        set = get

    monkeypatch.setattr("civic.core.cache.cache", Unreachable())
    monkeypatch.setattr("civic.spaces.views.chrome_generation", lambda: "no-cache")
    response = client.get("/")
    assert response.status_code == 200 and "Budget sans cache" in response.content.decode()
