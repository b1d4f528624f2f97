"""Keep live threads in step with moderation (moderation does not know about discussions)."""

from django.dispatch import receiver

from civic.moderation.models import ModerationState
from civic.moderation.signals import contribution_moderated

from .live import thread_push
from .models import Comment


@receiver(contribution_moderated, sender=Comment, dispatch_uid="civic_discussions_moderated_comment")
def push_moderated_comment(sender, item, action, previous_state, **kwargs):
    if item.is_public:
        # Published again (or for the first time): new for the viewers unless it was public before.
        thread_push(item, action="updated" if previous_state == ModerationState.PUBLISHED else "created")
    else:
        thread_push(item, action="removed")
