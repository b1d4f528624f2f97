from django.urls import re_path

from . import views

#: Any extension: the views answer an unknown one with the spec's error (400), not an HTML 404.
FMT = r"\.(?P<fmt>[^./]+)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, views.services, name="open311-services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, views.requests_view, name="open311-requests"),
    re_path(r"^requests/(?P<pk>\d+)" + FMT, views.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[-\w:]+)" + FMT, views.token_detail, name="open311-token"),
    # Everything else under /open311/v2/ (an id that is not a number...): the spec's 404, never HTML.
    re_path(r"^(?P<path>.*)$", views.not_found, name="open311-not-found"),
]
