import pytest
from django.core.management import call_command

from signalements.models import Report, ReportsPortalPage, ReportState

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_public_state_and_runs_twice(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    states = set(Report.objects.values_list("state", flat=True))
    assert {
        ReportState.NEW,
        ReportState.ACKNOWLEDGED,
        ReportState.PLANNED,
        ReportState.IN_PROGRESS,
        ReportState.FIXED,
        ReportState.DUPLICATE,
        ReportState.NOT_RESPONSIBLE,
    } <= states
    assert 25 <= Report.objects.count() <= 35
    assert Report.objects.filter(photos__isnull=False).exists()
    assert Report.objects.filter(state=ReportState.PLANNED, expected_fix_date__isnull=True).count() == 0
    portal = ReportsPortalPage.objects.get()
    settings.DEBUG = False
    response = client.get(portal.url)
    assert response.status_code == 200
    assert "Report a problem" in response.content.decode() or "Signaler" in response.content.decode()


def test_the_demo_reports_have_discussions_with_a_comment_waiting_for_a_moderator(settings, client):
    from civic.discussions.models import Comment
    from civic.moderation.models import ModerationState

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # twice: no second discussion

    comments = Comment.objects.all()
    assert comments.filter(moderation_state=ModerationState.PUBLISHED).count() == 9
    assert comments.filter(parent__isnull=False).count() == 3
    assert list(comments.filter(moderation_state=ModerationState.PENDING).values_list("held_for", flat=True)) == [
        "personal_data"
    ]
    discussed = Report.objects.get(pk=comments.filter(moderation_state=ModerationState.PENDING).get().object_pk)
    assert discussed.state in {state for state, _label in ReportState.choices} - {ReportState.FIXED}
    settings.DEBUG = False
    page = client.get(f"/signalements/{discussed.pk}/").content.decode()
    assert "il faut faire un écart" in page and "06 12 34 56 78" not in page  # the held one is not public
