"""Discussions' paths under /api/v1/ (included by civic/api_urls.py)."""

from django.urls import path

from .api import CommentDetailApi, CommentListApi, CommentSupportApi

urlpatterns = [
    path(
        "discussions/<int:content_type_id>/<str:object_pk>/comments/",
        CommentListApi.as_view(),
        name="api-comment-list",
    ),
    path("comments/<int:pk>/", CommentDetailApi.as_view(), name="api-comment-detail"),
    path("comments/<int:pk>/support/", CommentSupportApi.as_view(), name="api-comment-support"),
]
