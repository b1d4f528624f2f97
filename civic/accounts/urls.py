from django.urls import include, path

from .views import AccountSpaceView

urlpatterns = [
    path("", AccountSpaceView.as_view(), name="account-space"),
    path("", include("allauth.urls")),
]
