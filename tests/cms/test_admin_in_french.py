"""The page editor speaks French: the body's block names and the default workflow's name."""

import html
import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Task, Workflow

pytestmark = pytest.mark.django_db

workflow_names = importlib.import_module("civic.cms.migrations.0004_french_workflow_names")


def test_the_page_editor_names_the_body_blocks_in_french(client, administrator, home):
    client.force_login(administrator)  # French: the site's default language
    page = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    blocks = html.unescape(page)  # the block definitions, as JSON in an HTML attribute
    for french in ("Intertitre", "Paragraphe", "Image légendée", "Encadré"):
        assert f'"label": {json.dumps(french)}' in blocks, french
    for english in ("Heading", "Callout", "Figure"):
        assert f'"label": "{english}"' not in blocks


def test_the_default_workflow_and_its_task_get_their_french_name():
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    workflow = Workflow.objects.create(name="Moderators approval")
    renamed_by_staff = Workflow.objects.create(name="Relecture du service communication")

    workflow_names.to_french(apps, None)

    assert Task.objects.get(pk=task.pk).name == "Validation par les modérateurs"
    assert Workflow.objects.get(pk=workflow.pk).name == "Validation par les modérateurs"
    assert Workflow.objects.get(pk=renamed_by_staff.pk).name == "Relecture du service communication"
    workflow_names.to_english(apps, None)
    assert Workflow.objects.get(pk=workflow.pk).name == "Moderators approval"


def test_after_the_migrations_the_default_workflow_is_named_in_french():
    assert Workflow.objects.filter(name="Validation par les modérateurs").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
