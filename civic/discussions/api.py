"""Discussions under /api/v1/: a thread's comments, posting, editing, deleting, supporting."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.core.ids import object_for_key
from civic.core.pagination import PageNumberPagination
from civic.moderation.api import api_error
from civic.moderation.exceptions import ParticipationError
from civic.moderation.limits import client_ip

from . import conf
from .models import Comment
from .selectors import Sort, Viewer, thread_comments
from .serializers import CommentCreateSerializer, CommentEditSerializer, CommentSerializer
from .services import comment_create, comment_delete, comment_edit, comment_support, comment_unsupport


class ThreadPagination(PageNumberPagination):
    max_page_size = 100

    def get_page_size(self, request):
        self.page_size = conf.get("CIVIC_DISCUSSIONS_PAGE_SIZE")
        return super().get_page_size(request)


def get_target(content_type_id: int, object_pk: str, user):
    """The object a thread is about, if it exists and the person may see it (404 otherwise)."""
    target = object_for_key(content_type_id, object_pk)
    if target is None or not user.has_perm("civic_discussions.view_thread", target):
        raise exceptions.NotFound()
    return target


@extend_schema(
    parameters=[
        OpenApiParameter("sort", OpenApiTypes.STR, enum=list(Sort.values), description="Order of top-level comments."),
    ]
)
class CommentListApi(generics.ListCreateAPIView):
    """The comments of an object, top-level comments paginated, each with its replies.

    POST adds a comment, or a reply with ``parent`` (a reply to a reply joins its top-level comment).
    """

    serializer_class = CommentSerializer
    pagination_class = ThreadPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.target = get_target(kwargs["content_type_id"], kwargs["object_pk"], request.user)
        self.viewer = Viewer.for_thread(user=request.user, target=self.target)

    def get_queryset(self):
        return thread_comments(target=self.target, user=self.request.user, sort=self.request.query_params.get("sort"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.viewer}

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if parent_id := data.validated_data.get("parent"):
            parent = Comment.objects.filter(pk=parent_id).select_related("parent").first()
            if parent is None:
                raise exceptions.ValidationError({"parent": "Unknown comment."})
        try:
            comment = comment_create(
                author=request.user,
                target=self.target,
                body=data.validated_data["body"],
                parent=parent,
                ip=client_ip(request),
            )
        except ParticipationError as exc:
            raise api_error(exc) from exc
        comment = thread_comments(target=self.target, user=request.user).filter(pk=comment.pk).first() or comment
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


def _comment_for(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    get_target(comment.content_type_id, comment.object_pk, request.user)
    return comment


class CommentDetailApi(APIView):
    """Edit (within the edit window) or delete one's own comment."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CommentEditSerializer

    def _respond(self, request, comment):
        target = comment.target
        fresh = thread_comments(target=target, user=request.user).filter(pk=comment.pk).first()
        if fresh is None:  # a reply, or a deleted comment without replies
            fresh = Comment.objects.select_related("author").get(pk=comment.pk)
        viewer = Viewer.for_thread(user=request.user, target=target)
        return Response(CommentSerializer(fresh, context={"viewer": viewer, "request": request}).data)

    @extend_schema(request=CommentEditSerializer, responses={200: CommentSerializer})
    def patch(self, request, pk):
        comment = _comment_for(request, pk)
        data = CommentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comment_edit(user=request.user, comment=comment, body=data.validated_data["body"])
        except ParticipationError as exc:
            raise api_error(exc) from exc
        return self._respond(request, comment)

    @extend_schema(request=None, responses={200: CommentSerializer})
    def delete(self, request, pk):
        comment = _comment_for(request, pk)
        try:
            comment_delete(user=request.user, comment=comment)
        except ParticipationError as exc:
            raise api_error(exc) from exc
        return self._respond(request, comment)


class CommentSupportApi(APIView):
    """POST adds the person's "+1" to a comment, DELETE withdraws it."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = None

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        comment = _comment_for(request, pk)
        try:
            count = comment_support(user=request.user, comment=comment)
        except ParticipationError as exc:
            raise api_error(exc) from exc
        return Response({"id": comment.pk, "support_count": count, "supported": True})

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def delete(self, request, pk):
        comment = _comment_for(request, pk)
        count = comment_unsupport(user=request.user, comment=comment)
        return Response({"id": comment.pk, "support_count": count, "supported": False})
