"""Incident reports' paths under /api/v1/ (included by civic/api_urls.py)."""

from django.urls import path

from .views import ReportMapApi, ReportNearbyApi

urlpatterns = [
    path("reports/", ReportMapApi.as_view(), name="api-report-list"),
    path("reports/nearby/", ReportNearbyApi.as_view(), name="api-report-nearby"),
]
