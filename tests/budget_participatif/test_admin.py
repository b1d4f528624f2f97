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


def _project_form(project, **changes):
    data = {
        "budget": project.budget_id,
        "title": project.title,
        "description": project.description,
        "cost": project.cost,
        "theme": project.theme,
        "on_ballot": "on" if project.on_ballot else "",
        "implementation_status": project.implementation_status,
        "progress": project.progress,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in (None, "")}


def test_the_project_form_keeps_a_ballot_fixed_once_the_vote_opens(client, administrator, make_budget):
    from budget_participatif.models import Project

    budget, (project, *_others) = make_budget()  # the vote is open
    client.force_login(administrator)
    url = f"/admin/budget-participatif/projects/edit/{project.pk}/"

    response = client.post(url, _project_form(project, cost=project.cost + 5_000))
    assert response.status_code == 200  # the form again, with the error on the field
    text = response.content.decode()
    assert "can no longer change" in text or "ne peuvent plus changer" in text  # the admin's language
    assert Project.objects.get(pk=project.pk).cost == project.cost

    response = client.post(url, _project_form(project, title="Bancs ombragés au parc"))
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).title == "Bancs ombragés au parc"


def test_the_project_form_changes_costs_before_the_vote(client, administrator, make_budget):
    from budget_participatif.models import Project

    budget, (project, *_others) = make_budget(phase="review")
    client.force_login(administrator)
    response = client.post(
        f"/admin/budget-participatif/projects/edit/{project.pk}/", _project_form(project, cost=project.cost + 5_000)
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).cost == project.cost + 5_000


def test_reviews_are_read_only_in_the_admin(client, administrator, idea_factory):
    from budget_participatif.models import IdeaReview

    idea = idea_factory()
    review = IdeaReview.objects.create(idea=idea, verdict=IdeaReview._meta.get_field("verdict").choices[0][0])
    client.force_login(administrator)
    assert client.get("/admin/budget-participatif/reviews/").status_code == 200
    assert client.get(f"/admin/budget-participatif/reviews/inspect/{review.pk}/").status_code == 200
    for path in ("/admin/budget-participatif/reviews/new/", f"/admin/budget-participatif/reviews/edit/{review.pk}/"):
        assert client.get(path).status_code in (302, 403), path
    assert client.post(f"/admin/budget-participatif/reviews/delete/{review.pk}/").status_code in (302, 403)
    assert IdeaReview.objects.filter(pk=review.pk).exists()
