"""What notifications hold about a person: "my space" section and export (the account's deletion
removes their notifications, follows and preferences)."""

from .models import Follow, Notification, NotificationPreference


def my_space_section(user) -> dict:
    notifications = Notification.objects.for_user(user)
    return {
        "unread_count": notifications.unread().count(),
        "latest": list(notifications.order_by("-created_at")[:5]),
        "follow_count": Follow.objects.filter(user=user).count(),
    }


def export(user) -> tuple[dict, list]:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "notifications": list(
            Notification.objects.for_user(user).order_by("pk").values("created_at", "title", "body", "url", "read_at")
        ),
        "follows": [
            {
                "what": f"{follow.content_type.app_label}.{follow.content_type.model} #{follow.object_pk}",
                "since": follow.created_at,
            }
            for follow in Follow.objects.filter(user=user).select_related("content_type").order_by("pk")
        ],
        "email_preferences": {
            "frequency": preference.email_frequency,
            "language": preference.language,
        }
        if preference
        else None,
    }, []
