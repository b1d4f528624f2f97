"""Participatory budgets' paths under /api/v1/ (included by civic/api_urls.py)."""

from django.urls import path

from .views import (
    BallotApi,
    BudgetDetailApi,
    BudgetResultsApi,
    CampaignDetailApi,
    CampaignListApi,
    IdeaDetailApi,
    IdeaListApi,
    ProjectDetailApi,
    ProjectListApi,
)

urlpatterns = [
    path("budget/campaigns/", CampaignListApi.as_view(), name="api-budget-campaign-list"),
    path("budget/campaigns/<int:pk>/", CampaignDetailApi.as_view(), name="api-budget-campaign-detail"),
    path("budget/campaigns/<int:page_id>/ideas/", IdeaListApi.as_view(), name="api-budget-idea-list"),
    path("budget/ideas/<int:pk>/", IdeaDetailApi.as_view(), name="api-budget-idea-detail"),
    path("budget/budgets/<int:pk>/", BudgetDetailApi.as_view(), name="api-budget-detail"),
    path("budget/budgets/<int:pk>/ballot/", BallotApi.as_view(), name="api-budget-ballot"),
    path("budget/budgets/<int:pk>/results/", BudgetResultsApi.as_view(), name="api-budget-results"),
    path("budget/projects/", ProjectListApi.as_view(), name="api-budget-project-list"),
    path("budget/projects/<int:pk>/", ProjectDetailApi.as_view(), name="api-budget-project-detail"),
]
