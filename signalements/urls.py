from django.urls import path

from .views import alerts, exports, feeds, web

urlpatterns = [
    path("nouveau/", web.ReportCreateView.as_view(), name="report-create"),
    path("nouveau/photos/", web.ReportPhotoUploadView.as_view(), name="report-photo-upload"),
    path("envoye/", web.ReportSentView.as_view(), name="report-sent"),
    path("liste/", web.ReportListView.as_view(), name="report-list"),
    path("mes-signalements/", web.MyReportsView.as_view(), name="report-mine"),
    path("<int:pk>/", web.ReportDetailView.as_view(), name="report-detail"),
    path("<int:pk>/soutenir/", web.ReportSupportView.as_view(), name="report-support"),
    path("<int:pk>/actualite/", web.ReportUpdatePostView.as_view(), name="report-update"),
    path("<int:pk>/rouvrir/", web.ReportReopenView.as_view(), name="report-reopen"),
    path("<int:pk>/flux/", feeds.ReportUpdatesFeed(), name="report-feed"),
    path("confirmer/<str:token>/", web.ReportConfirmView.as_view(), name="report-confirm"),
    path("alertes/", alerts.ReportAlertCreateView.as_view(), name="report-alert-create"),
    path("alertes/confirmer/<str:token>/", alerts.ReportAlertConfirmView.as_view(), name="report-alert-confirm"),
    path(
        "alertes/desabonnement/<str:token>/",
        alerts.ReportAlertUnsubscribeView.as_view(),
        name="report-alert-unsubscribe",
    ),
    path("mes-alertes/", alerts.ReportAlertListView.as_view(), name="report-alert-list"),
    path("mes-alertes/<int:pk>/supprimer/", alerts.ReportAlertDeleteView.as_view(), name="report-alert-delete"),
    path("flux/rss/", feeds.NewReportsFeed(), name="report-feed-rss"),
    path("flux/atom/", feeds.NewReportsAtomFeed(), name="report-feed-atom"),
    path("export/signalements.csv", exports.export_csv, name="report-export-csv"),
    path("export/signalements.geojson", exports.export_geojson, name="report-export-geojson"),
]
