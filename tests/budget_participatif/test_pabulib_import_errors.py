"""The back-office Pabulib import shows the parser's message, with the line at fault, for each kind of bad file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget_participatif.models import Budget

pytestmark = pytest.mark.django_db

HEAD = "META\nkey;value\nbudget;100\nvote_type;approval\n"
BAD_FILES = [
    (
        "duplicate id",
        HEAD + "PROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n",
        "line 8: duplicate project_id '1'",
    ),
    (
        "unknown project",
        HEAD + "PROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\nv2;7\n",
        "line 11: vote of 'v2' names unknown project '7'",
    ),
    (
        "zero cost",
        HEAD + "PROJECTS\nproject_id;cost\n1;0\nVOTES\nvoter_id;vote\n",
        "line 7: cost of project '1' is zero",
    ),
    (
        "negative cost",
        HEAD + "PROJECTS\nproject_id;cost\n1;-3\nVOTES\nvoter_id;vote\n",
        "line 7: cost of project '1' is negative",
    ),
    (
        "zero budget",
        "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
        "line 3: META budget is zero",
    ),
    (
        "over the limit",
        HEAD + "max_length;1\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\nv1;1,2\n",
        "line 12: vote of 'v1' names 2 projects, more than the limit of 1 (max_length)",
    ),
]


@pytest.mark.parametrize(("text", "message"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_file_is_refused_with_its_line(english_pages, agent, budget_page_factory, text, message):
    english_pages.force_login(agent)
    page = budget_page_factory(phase="results")
    before = Budget.objects.count()
    response = english_pages.post(
        reverse("bp_ballots:pabulib-import"),
        {"campaign": page.pk, "file": SimpleUploadedFile("bad.pb", text.encode())},
    )
    assert response.status_code == 400 and Budget.objects.count() == before
    shown = response.content.decode().replace("&#x27;", "'")
    assert message in shown


def test_non_utf8_file_is_refused_with_its_line(english_pages, agent, budget_page_factory):
    english_pages.force_login(agent)
    page = budget_page_factory(phase="results")
    data = (HEAD + "PROJECTS\nproject_id;cost;name\n1;5;Caf\xe9\n").encode("latin-1")
    response = english_pages.post(
        reverse("bp_ballots:pabulib-import"), {"campaign": page.pk, "file": SimpleUploadedFile("latin.pb", data)}
    )
    assert response.status_code == 400
    assert "line 7: not UTF-8 text: byte 0xe9 cannot be read" in response.content.decode()
