"""Keep live threads in step with moderation (moderation does not know about discussions)."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from civic.moderation.models import Flag, ModerationState
from civic.moderation.signals import contribution_moderated

from .live import thread_push
from .models import Comment
from .services import comment_followers_notify


def _was_public_before(comment: Comment) -> bool:
    """Only published items can be flagged: a comment without flags held since it was posted never was."""
    content_type = ContentType.objects.get_for_model(Comment)
    return Flag.objects.filter(content_type=content_type, object_pk=str(comment.pk)).exists()


@receiver(contribution_moderated, sender=Comment, dispatch_uid="civic_discussions_moderated_comment")
def push_moderated_comment(sender, item, action, previous_state, **kwargs):
    if item.is_public:
        # Published again (or for the first time): new for the viewers unless it was public before.
        thread_push(item, action="updated" if previous_state == ModerationState.PUBLISHED else "created")
        if previous_state == ModerationState.PENDING and not _was_public_before(item):
            comment_followers_notify(comment=item)
    else:
        thread_push(item, action="removed")
