"""What discussions hold about a person: "my space" section, export and erasure."""

from django.db.models import Count

from .models import Comment, Support

SECTION_SIZE = 5


def my_space_section(user) -> dict:
    comments = Comment.objects.filter(author=user, deleted_at__isnull=True)
    return {
        "comments": list(comments.order_by("-created_at")[:SECTION_SIZE]),
        "comment_count": comments.count(),
    }


def export(user) -> tuple[dict, list]:
    comments = Comment.objects.filter(author=user).order_by("pk")
    return {
        "comments": [
            {
                "number": comment.pk,
                "on": f"{comment.content_type.app_label}.{comment.content_type.model} #{comment.object_pk}",
                "created_at": comment.created_at,
                "text": comment.body,
                "deleted_at": comment.deleted_at,
            }
            for comment in comments.select_related("content_type")
        ],
        "supported_comments": list(Support.objects.filter(user=user).values_list("comment_id", flat=True)),
    }, []


def erase(user) -> None:
    """Comments stay under "Former participant"; supports go and the counts follow."""
    supported = list(Support.objects.filter(user=user).values_list("comment_id", flat=True))
    Support.objects.filter(user=user).delete()
    counts = dict(
        Support.objects.filter(comment_id__in=supported)
        .values("comment_id")
        .annotate(n=Count("pk"))
        .values_list("comment_id", "n")
    )
    for comment_id in supported:
        Comment.objects.filter(pk=comment_id).update(support_count=counts.get(comment_id, 0))
