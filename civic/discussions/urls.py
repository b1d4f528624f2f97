from django.urls import path

from .views import CommentCreateView, CommentDeleteView, CommentEditView, CommentSupportView

urlpatterns = [
    path("fil/<int:content_type_id>/<str:object_pk>/commenter/", CommentCreateView.as_view(), name="comment-create"),
    path("commentaire/<int:pk>/modifier/", CommentEditView.as_view(), name="comment-edit"),
    path("commentaire/<int:pk>/supprimer/", CommentDeleteView.as_view(), name="comment-delete"),
    path("commentaire/<int:pk>/soutenir/", CommentSupportView.as_view(), name="comment-support"),
]
