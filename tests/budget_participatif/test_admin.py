import pytest

pytestmark = pytest.mark.django_db


def test_staff_reach_the_budget_back_office(client, administrator, idea_factory, project_factory):
    idea_factory()
    project_factory()
    client.force_login(administrator)
    for path in (
        "/admin/budget-participatif/budgets/",
        "/admin/budget-participatif/ideas/",
        "/admin/budget-participatif/projects/",
        "/admin/budget-participatif/reviews/",
    ):
        assert client.get(path).status_code == 200, path


def test_residents_do_not(client, resident):
    client.force_login(resident)
    assert client.get("/admin/budget-participatif/ideas/").status_code in (302, 403)
