"""What discussions hold about a person: "my space" section, export and erasure."""

from civic.accounts.personal_data import supports_erase

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
    supports_erase(
        links=Support.objects.filter(user=user),
        target_field="comment_id",
        targets=Comment.objects.all(),
        count_field="support_count",
    )
