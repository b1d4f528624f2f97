"""The staff screens as Wagtail viewsets, so they sit in the "Participatory budget" menu group.

URL names: ``bp_review:queue|idea|put-on-ballot|merge-start|merge`` and
``bp_ballots:index|ballot|add-idea|results|pabulib-export|pabulib-import``,
``bp_follow_up:index|project``.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import ballots, follow_up, pabulib, review
from .base import STAFF_PERMISSION


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STAFF_PERMISSION, None)


class ReviewViewSet(ViewSet):
    name = "bp_review"
    url_prefix = "budget-participatif/review"
    icon = "check"
    menu_label = _("Ideas to review")
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", review.ReviewQueueView.as_view(), name="queue"),
            path("<int:pk>/", review.IdeaReviewView.as_view(), name="idea"),
            path("<int:pk>/ballot/", review.IdeaPutOnBallotView.as_view(), name="put-on-ballot"),
            path("merge/", review.IdeasMergeStartView.as_view(), name="merge-start"),
            path("merge/<int:page_id>/", review.IdeasMergeView.as_view(), name="merge"),
        ]


class BallotsViewSet(ViewSet):
    name = "bp_ballots"
    url_prefix = "budget-participatif/ballots"
    icon = "list-ol"
    menu_label = _("Ballots and results")
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", ballots.BudgetIndexView.as_view(), name="index"),
            path("<int:pk>/", ballots.BallotView.as_view(), name="ballot"),
            path("<int:pk>/ideas/", ballots.BallotAddIdeaView.as_view(), name="add-idea"),
            path("<int:pk>/results/", ballots.ResultsView.as_view(), name="results"),
            path("<int:pk>/pabulib.pb", pabulib.PabulibExportView.as_view(), name="pabulib-export"),
            path("import/", pabulib.PabulibImportView.as_view(), name="pabulib-import"),
        ]


class FollowUpViewSet(ViewSet):
    name = "bp_follow_up"
    url_prefix = "budget-participatif/follow-up"
    icon = "date"
    menu_label = _("Follow-up of projects")
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", follow_up.FollowUpIndexView.as_view(), name="index"),
            path("<int:pk>/", follow_up.ProjectFollowUpView.as_view(), name="project"),
        ]
