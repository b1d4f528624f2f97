"""Who may do what in participatory budgets (django-rules). Checked with ``user.has_perm(name, obj)``.

budget_participatif.read_idea        (idea)    whoever may see it: published, or its author, or staff
budget_participatif.comment_idea     (idea)    logged in, active, not blocked, on a published idea
budget_participatif.read_project     (project) everyone while published; staff and moderators while held or hidden
budget_participatif.comment_project  (project) logged in, active, not blocked
budget_participatif.propose_idea     (page)    logged in, active, not blocked, during the ideas phase
budget_participatif.vote_budget      (budget)  logged in, active, not blocked, during the vote
budget_participatif.review_idea      (idea)    agents and administrators
budget_participatif.enter_ballot     (budget)  agents and administrators, during the vote
budget_participatif.count_budget     (budget)  agents and administrators, once the vote is closed
budget_participatif.publish_budget   (budget)  administrators, once the vote is closed
"""

import rules

from civic.moderation.models import ModerationState
from civic.moderation.rules import is_blocked

from .models.campaign import Phase

is_agent = rules.is_group_member("agent")
is_administrator = rules.is_group_member("administrator")
is_staff_member = rules.is_authenticated & rules.is_active & (is_agent | is_administrator | rules.is_superuser)
can_participate = rules.is_authenticated & rules.is_active & ~is_blocked


@rules.predicate
def is_published_idea(user, idea) -> bool:
    return idea is not None and idea.moderation_state == ModerationState.PUBLISHED


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return idea is not None and user.is_authenticated and idea.author_id == user.pk


@rules.predicate
def ideas_phase(user, page) -> bool:
    return page is not None and page.current_phase == Phase.IDEAS


@rules.predicate
def voting_phase(user, budget) -> bool:
    return budget is not None and budget.page.current_phase == Phase.VOTING


@rules.predicate
def vote_closed(user, budget) -> bool:
    return budget is not None and budget.page.current_phase in (Phase.RESULTS, Phase.FOLLOW_UP)


rules.add_perm("budget_participatif.read_idea", is_published_idea | is_idea_author | is_staff_member)
rules.add_perm("budget_participatif.comment_idea", can_participate & is_published_idea)
# A project leaves public view while moderators review it (flags) or once they hid it.
is_published_project = is_published_idea  # the same test of the moderation state
may_see_held_project = is_staff_member | (rules.is_active & rules.is_group_member("moderator"))
rules.add_perm("budget_participatif.read_project", is_published_project | may_see_held_project)
rules.add_perm("budget_participatif.comment_project", can_participate & is_published_project)
rules.add_perm("budget_participatif.propose_idea", can_participate & ideas_phase)
rules.add_perm("budget_participatif.vote_budget", can_participate & voting_phase)
rules.add_perm("budget_participatif.review_idea", is_staff_member)
rules.add_perm("budget_participatif.enter_ballot", is_staff_member & voting_phase)
rules.add_perm("budget_participatif.count_budget", is_staff_member & vote_closed)
rules.add_perm(
    "budget_participatif.publish_budget",
    rules.is_authenticated & rules.is_active & (is_administrator | rules.is_superuser) & vote_closed,
)
