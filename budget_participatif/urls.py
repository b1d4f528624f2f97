from django.urls import path

from .views import open_data
from .views.ballots import BallotVoteView
from .views.ideas import IdeaCreateView, IdeaDetailView, IdeaListView
from .views.results import BudgetResultsView, FollowUpView, ProjectDetailView

urlpatterns = [
    path("<int:page_id>/idees/", IdeaListView.as_view(), name="idea-list"),
    path("<int:page_id>/idees/proposer/", IdeaCreateView.as_view(), name="idea-create"),
    path("idees/<int:pk>/", IdeaDetailView.as_view(), name="idea-detail"),
    path("budgets/<int:pk>/vote/", BallotVoteView.as_view(), name="budget-ballot"),
    path("budgets/<int:pk>/resultats/", BudgetResultsView.as_view(), name="budget-results"),
    path("projets/<int:pk>/", ProjectDetailView.as_view(), name="project-detail"),
    path("<int:page_id>/suivi/", FollowUpView.as_view(), name="budget-follow-up"),
    path("donnees-ouvertes/", open_data.open_data, name="budget-open-data"),
    path("donnees-ouvertes/budgets.csv", open_data.budgets_csv, name="budget-open-data-csv"),
    path("budgets/<int:pk>/pabulib.pb", open_data.budget_pabulib, name="budget-pabulib"),
    path("budgets/<int:pk>/resultats.csv", open_data.budget_csv, name="budget-results-csv"),
]
