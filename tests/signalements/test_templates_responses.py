"""Response templates: managed in the Wagtail admin, offered by service and category, and filling
the staff form's public update and state (by JavaScript, or by "use this template" without it)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from signalements.models import ReportState, ReportUpdate, ResponseTemplate
from signalements.responses import template_render, templates_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(pothole, category_factory, service_factory):
    everywhere = ResponseTemplate.objects.create(
        title="Acknowledged", text="Report {number} ({category}) is with {service}.", state="acknowledged"
    )
    for_voirie = ResponseTemplate.objects.create(
        title="Planned", text="Repair planned on {expected_date} in {area}.", state="planned"
    )
    for_voirie.services.set([pothole.service])
    for_potholes = ResponseTemplate.objects.create(title="Cold patch", text="Filled with cold asphalt.")
    for_potholes.categories.set([pothole])
    elsewhere = ResponseTemplate.objects.create(title="Green team", text="Trees.")
    elsewhere.services.set([service_factory(name="Espaces verts")])
    other_category = ResponseTemplate.objects.create(title="Graffiti", text="Cleaned.")
    other_category.categories.set([category_factory(name="Tag", service=pothole.service)])
    ResponseTemplate.objects.create(title="Retired", text="Old.", active=False)
    return {"everywhere": everywhere, "planned": for_voirie, "pothole": for_potholes}


@pytest.fixture
def report(report_factory, pothole, territory):
    return report_factory(category=pothole, area=territory, expected_fix_date=date(2026, 12, 3))


def test_a_report_offers_the_active_templates_of_its_service_and_category(templates, report):
    assert [template.title for template in templates_for(report)] == ["Acknowledged", "Cold patch", "Planned"]


def test_placeholders_are_filled_with_the_reports_details(templates, report):
    text = template_render(templates["everywhere"].text, report=report)
    assert text == f"Report {report.pk} (Nid-de-poule) is with Voirie."
    assert template_render(templates["planned"].text, report=report) in (
        "Repair planned on 3 décembre 2026 in Les Tilleuls.",
        "Repair planned on Dec. 3, 2026 in Les Tilleuls.",
    )
    assert template_render("Unknown {stays} as typed", report=report) == "Unknown {stays} as typed"


def test_an_unknown_placeholder_is_refused_with_the_list_of_known_ones():
    template = ResponseTemplate(title="Typo", text="Report {numbr} is fixed.")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    message = error.value.message_dict["text"][0]
    assert "{numbr}" in message and "{number}" in message and "{expected_date}" in message


def test_staff_manage_templates_in_the_wagtail_admin(english_pages, client, user_factory, pothole):
    admin = user_factory(roles=["administrator"], is_staff=True, is_superuser=True)
    client.force_login(admin)
    add = reverse("wagtailsnippets_signalements_responsetemplate:add")

    refused = client.post(add, {"title": "Typo", "text": "Hello {numbr}", "state": "", "active": "on"})
    assert refused.status_code == 200 and "Unknown placeholder" in refused.content.decode()
    assert not ResponseTemplate.objects.exists()

    client.post(
        add,
        {
            "title": "Fixed pothole",
            "text": "Report {number} is fixed.",
            "state": "fixed",
            "active": "on",
            "categories": [pothole.pk],
        },
    )
    template = ResponseTemplate.objects.get()
    assert (template.state, list(template.categories.all())) == ("fixed", [pothole])
    listing = client.get(reverse("wagtailsnippets_signalements_responsetemplate:list")).content.decode()
    assert "Fixed pothole" in listing


def test_the_staff_form_offers_templates_filled_for_this_report(english_pages, client, templates, report, agent_voirie):
    client.force_login(agent_voirie)

    page = client.get(report.get_absolute_url()).content.decode()

    assert 'name="response_template"' in page and "response-templates.js" in page
    assert f'data-text="Report {report.pk} (Nid-de-poule) is with Voirie."' in page
    assert 'data-state="acknowledged"' in page
    assert "Green team" not in page and "Retired" not in page
    assert 'name="use_template"' in page


def test_residents_see_no_template(client, templates, report, resident):
    client.force_login(resident)

    assert "response_template" not in client.get(report.get_absolute_url()).content.decode()


def test_without_javascript_use_template_reloads_the_form_prefilled_keeping_what_was_typed(
    client, templates, report, agent_voirie
):
    client.force_login(agent_voirie)

    response = client.post(
        reverse("report-update", args=[report.pk]),
        {
            "use_template": "1",
            "response_template": templates["everywhere"].pk,
            "text": "draft that the template replaces",
            "priority": "urgent",
            "responsible_body": "Département",
            "internal": "",
        },
    )

    assert response.status_code == 200
    form = response.context["staff_form"]
    assert form["text"].value() == f"Report {report.pk} (Nid-de-poule) is with Voirie."
    assert form["new_state"].value() == "acknowledged"
    assert (form["priority"].value(), form["responsible_body"].value()) == ("urgent", "Département")
    assert form["response_template"].value() == templates["everywhere"].pk
    page = response.content.decode()
    assert f'<option value="{templates["everywhere"].pk}" data-text' in page and "selected>Acknowledged" in page
    # Nothing is published until the agent presses "Publish".
    assert not ReportUpdate.objects.filter(report=report, by_staff=True).exists()
    report.refresh_from_db()
    assert report.state == ReportState.NEW and report.priority == "normal"

    published = client.post(
        reverse("report-update", args=[report.pk]),
        {"text": form["text"].value(), "new_state": "acknowledged", "response_template": templates["everywhere"].pk},
    )
    assert published.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACKNOWLEDGED
    assert report.updates.get(kind="state").text == f"Report {report.pk} (Nid-de-poule) is with Voirie."


def test_use_template_without_choosing_one_says_so(english_pages, client, templates, report, agent_voirie):
    client.force_login(agent_voirie)

    response = client.post(
        reverse("report-update", args=[report.pk]), {"use_template": "1", "response_template": "", "text": "mine"}
    )

    assert response.status_code == 200
    assert "Choose a response template in the list first." in response.content.decode()
    assert response.context["staff_form"]["text"].value() == "mine"
