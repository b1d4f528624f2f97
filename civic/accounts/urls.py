from django.urls import include, path

from .views import AccountDeleteView, AccountSpaceView, PersonalDataExportView

urlpatterns = [
    path("", AccountSpaceView.as_view(), name="account-space"),
    path("mes-donnees/", PersonalDataExportView.as_view(), name="account-data-export"),
    path("supprimer/", AccountDeleteView.as_view(), name="account-delete"),
    path("", include("allauth.urls")),
]
