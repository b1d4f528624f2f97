"""Follow-up of a funded project: staff add milestones (date, text, photos, progress) in the admin;
the project's page shows them and its followers are told."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from budget_participatif.models import Milestone, MilestonePhoto, Project
from civic.notifications.models import Notification
from civic.notifications.services import follow_create

pytestmark = pytest.mark.django_db


def jpeg(name="chantier.jpg", size=(1200, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # a tag the pipeline must drop
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def funded(make_budget, user_factory):
    budget, projects = make_budget(phase="results")
    project = projects[0]
    Project.objects.filter(pk=project.pk).update(selected=True, progress=10)
    project.refresh_from_db()
    follower = user_factory(roles=["resident"])
    follow_create(user=follower, target=project)
    return project, follower


def test_staff_add_a_milestone_with_photos_and_progress_and_followers_are_told(english_pages, client, agent, funded):
    project, follower = funded
    client.force_login(agent)
    url = reverse("bp_follow_up:project", args=[project.pk])
    assert client.get(reverse("bp_follow_up:index")).content.decode().count(project.title) >= 1
    response = client.post(
        url,
        {
            "date": "2027-03-01",
            "title": "Début des travaux",
            "description": "Les bancs arrivent.",
            "progress": "40",
            "photos": [jpeg(), jpeg("deux.jpg", (600, 900))],
            "photo_alt": "Le chantier vu de la rue",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    milestone = Milestone.objects.get(project=project)
    assert (milestone.title, milestone.progress) == ("Début des travaux", 40)
    project.refresh_from_db()
    assert project.progress == 40
    photos = list(MilestonePhoto.objects.filter(milestone=milestone))
    assert len(photos) == 2
    with Image.open(photos[0].image.path) as stored:
        assert not stored.getexif()  # through the shared pipeline: no EXIF kept
    notification = Notification.objects.get(recipient=follower, kind="budget.milestone")
    assert "Début des travaux" in notification.title
    assert not Notification.objects.filter(recipient=agent, kind="budget.milestone").exists()

    page = client.get(project.get_absolute_url()).content.decode()
    assert "Début des travaux" in page and "Les bancs arrivent." in page and "40 % done" in page
    assert photos[0].thumbnail.url in page and 'alt="Le chantier vu de la rue"' in page
    follow_up = client.get(reverse("budget-follow-up", args=[project.budget.page_id])).content.decode()
    assert "Latest step: Début des travaux (1 March 2027)" in follow_up


def test_a_photo_that_is_not_an_image_refuses_the_milestone_and_stores_nothing(english_pages, client, agent, funded):
    project, follower = funded
    client.force_login(agent)
    response = client.post(
        reverse("bp_follow_up:project", args=[project.pk]),
        {
            "date": "2027-03-01",
            "title": "Inauguration",
            "progress": "100",
            "photos": [SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert "notes.jpg: this file is not an image." in response.content.decode()
    assert 'value="Inauguration"' in response.content.decode()
    assert not Milestone.objects.exists() and not MilestonePhoto.objects.exists()
    project.refresh_from_db()
    assert project.progress == 10
    assert not Notification.objects.filter(kind="budget.milestone").exists()


def test_progress_over_100_and_a_project_not_funded_are_refused(english_pages, client, agent, funded, make_budget):
    project, _follower = funded
    client.force_login(agent)
    response = client.post(
        reverse("bp_follow_up:project", args=[project.pk]), {"date": "2027-03-01", "title": "X", "progress": "140"}
    )
    assert response.status_code == 400 and not Milestone.objects.exists()
    _budget, (lost, *_rest) = make_budget(phase="results")
    response = client.post(reverse("bp_follow_up:project", args=[lost.pk]), {"date": "2027-03-01", "title": "X"})
    assert response.status_code == 400
    assert "Only a project selected by the vote has a follow-up." in response.content.decode()
    assert not Milestone.objects.exists()


def test_residents_cannot_open_the_follow_up_screens(client, voter, funded):
    project, _follower = funded
    client.force_login(voter)
    assert client.get(reverse("bp_follow_up:project", args=[project.pk])).status_code in (302, 403)
    assert client.post(reverse("bp_follow_up:project", args=[project.pk]), {"title": "x"}).status_code in (302, 403)
    assert not Milestone.objects.exists()
