from django.urls import path

from .views.api import ReportMapApi, ReportNearbyApi

urlpatterns = [
    path("reports/", ReportMapApi.as_view(), name="api-report-list"),
    path("reports/nearby/", ReportNearbyApi.as_view(), name="api-report-nearby"),
]
