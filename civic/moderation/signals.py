"""Signals other apps listen to, so that moderation never imports them.

``contribution_moderated`` is sent after commit whenever a contribution's visible state or
text changes through moderation (a decision, a moderator's edit, a flag threshold, a block):
``sender`` is the model, ``item`` the refreshed instance, ``action`` a ``DecisionAction`` value or
``"flagged"``, ``previous_state`` the state before.
"""

from django.dispatch import Signal

contribution_moderated = Signal()
