"""ballot_submit: each ballot type, each refusal (nothing stored), and one ballot per person."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from budget_participatif.models import Ballot, BallotChannel, BallotChoice, BallotType, VoteScope
from budget_participatif.services import ballot_submit, paper_ballot_enter, voting_codes_generate
from civic.moderation.exceptions import NotAllowed

from .conftest import approve

pytestmark = pytest.mark.django_db


def refused(exc_type, match, **kwargs):
    before = (Ballot.objects.count(), BallotChoice.objects.count())
    with pytest.raises(exc_type, match=match):
        ballot_submit(**kwargs)
    assert (Ballot.objects.count(), BallotChoice.objects.count()) == before, "a refused ballot left rows behind"


# --- approval ------------------------------------------------------------------------------------


def test_approval_ballot_is_stored_with_its_choices(make_budget, voter):
    budget, projects = make_budget(min_choices=1, max_choices=2)
    ballot = ballot_submit(budget=budget, voter=voter, selections=approve(projects[0], projects[2]))
    assert ballot.channel == BallotChannel.ONLINE
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted([projects[0].pk, projects[2].pk])


def test_approval_too_many_and_too_few(make_budget, voter):
    budget, projects = make_budget(min_choices=2, max_choices=3)
    refused(ValidationError, "at most 3 projects", budget=budget, voter=voter, selections=approve(*projects))
    refused(ValidationError, "at least 2 projects", budget=budget, voter=voter, selections=approve(projects[0]))


def test_unknown_and_duplicated_projects_are_refused(make_budget, project_factory, voter):
    budget, projects = make_budget()
    elsewhere = project_factory()
    refused(ValidationError, "not on this ballot", budget=budget, voter=voter, selections=approve(elsewhere))
    refused(ValidationError, "twice", budget=budget, voter=voter, selections=approve(projects[0], projects[0]))
    refused(ValidationError, "not a valid choice", budget=budget, voter=voter, selections=[("abc", 1)])


def test_project_not_put_on_the_ballot_is_refused(make_budget, project_factory, voter):
    budget, _projects = make_budget()
    draft = project_factory(budget=budget, on_ballot=False)
    refused(ValidationError, "not on this ballot", budget=budget, voter=voter, selections=approve(draft))


# --- knapsack ------------------------------------------------------------------------------------


def test_knapsack_within_budget_is_accepted_and_over_budget_refused(make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.KNAPSACK, amount=100_000, max_choices=None)
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0], projects[1], projects[2]))
    assert Ballot.objects.count() == 1
    with pytest.raises(ValidationError, match="more than the budget"):
        ballot_submit(budget=budget, voter=voter, selections=approve(projects[2], projects[3]))
    # the earlier ballot is untouched
    assert BallotChoice.objects.count() == 3


def test_knapsack_minimum_share(make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.KNAPSACK, amount=100_000, min_share_percent=50)
    refused(ValidationError, "Spend at least", budget=budget, voter=voter, selections=approve(projects[0]))
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0], projects[1]))


# --- cumulative ----------------------------------------------------------------------------------


def test_cumulative_points_total_and_cap(make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.CUMULATIVE, points_total=10, points_cap=5)
    refused(
        ValidationError,
        "you have 10 to share",
        budget=budget,
        voter=voter,
        selections=[(projects[0].pk, 5), (projects[1].pk, 5), (projects[2].pk, 1)],
    )
    refused(ValidationError, "At most 5 points", budget=budget, voter=voter, selections=[(projects[0].pk, 6)])
    refused(
        ValidationError, "negative", budget=budget, voter=voter, selections=[(projects[0].pk, -1), (projects[1].pk, 3)]
    )
    ballot = ballot_submit(
        budget=budget, voter=voter, selections=[(projects[0].pk, 5), (projects[1].pk, 3), (projects[2].pk, 0)]
    )
    assert dict(ballot.choices.values_list("project_id", "value")) == {projects[0].pk: 5, projects[1].pk: 3}


# --- ranked --------------------------------------------------------------------------------------


def test_ranked_up_to_k_without_duplicates_or_gaps(make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.RANKED, rank_k=2)
    refused(
        ValidationError,
        "Rank at most 2",
        budget=budget,
        voter=voter,
        selections=[(p.pk, i + 1) for i, p in enumerate(projects[:3])],
    )
    refused(
        ValidationError,
        "share rank 1",
        budget=budget,
        voter=voter,
        selections=[(projects[0].pk, 1), (projects[1].pk, 1)],
    )
    refused(
        ValidationError,
        "without gaps",
        budget=budget,
        voter=voter,
        selections=[(projects[0].pk, 1), (projects[1].pk, 3)],
    )
    ballot = ballot_submit(budget=budget, voter=voter, selections=[(projects[2].pk, 2), (projects[1].pk, 1)])
    assert list(ballot.choices.order_by("value").values_list("project_id", flat=True)) == [
        projects[1].pk,
        projects[2].pk,
    ]


# --- when and who --------------------------------------------------------------------------------


def test_after_close_refused_even_from_a_page_opened_before(make_budget, voter):
    budget, projects = make_budget()
    closes = budget.page.voting_closes
    # the page was displayed while open; the POST arrives one second after the close
    refused(
        NotAllowed,
        "closed",
        budget=budget,
        voter=voter,
        selections=approve(projects[0]),
        now=closes + timedelta(seconds=1),
    )


def test_before_opening_refused(make_budget, voter):
    budget, projects = make_budget(phase="review")
    refused(NotAllowed, "opens on", budget=budget, voter=voter, selections=approve(projects[0]))


def test_unverified_account_refused(make_budget, user_factory):
    budget, projects = make_budget()
    unverified = user_factory(verified=False)
    refused(NotAllowed, "Confirm your email", budget=budget, voter=unverified, selections=approve(projects[0]))


def test_blocked_account_refused(make_budget, voter, moderator):
    from civic.moderation.services.blocks import user_block

    budget, projects = make_budget()
    user_block(moderator=moderator, user=voter, reason="Spam")
    refused(NotAllowed, "blocked by the moderators", budget=budget, voter=voter, selections=approve(projects[0]))


def test_anonymous_refused(make_budget):
    budget, projects = make_budget()
    refused(NotAllowed, "Log in", budget=budget, voter=None, selections=approve(projects[0]))


def test_minimum_age(make_budget, voter, budget_page_factory):
    page = budget_page_factory(minimum_age=16)
    budget, projects = make_budget(page=page)
    this_year = timezone.localdate().year
    refused(ValidationError, "year of birth", budget=budget, voter=voter, selections=approve(projects[0]))
    refused(
        NotAllowed,
        "from the age of 16",
        budget=budget,
        voter=voter,
        selections=approve(projects[0]),
        declared_birth_year=this_year - 10,
    )
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]), declared_birth_year=this_year - 30)


def test_home_district_rule(make_budget, budget_page_factory, area_factory, user_factory):
    page = budget_page_factory(vote_scope=VoteScope.HOME_AND_CITY)
    north, south = area_factory(name="Nord"), area_factory(name="Sud")
    budget, projects = make_budget(page=page, area=north)
    city, city_projects = make_budget(page=page)
    southerner = user_factory(home_area=south)
    refused(NotAllowed, "residents of Nord", budget=budget, voter=southerner, selections=approve(projects[0]))
    ballot_submit(budget=city, voter=southerner, selections=approve(city_projects[0]))
    northerner = user_factory(home_area=north)
    ballot_submit(budget=budget, voter=northerner, selections=approve(projects[0]))


def test_any_one_district_rule(make_budget, budget_page_factory, area_factory, voter):
    page = budget_page_factory(vote_scope=VoteScope.ONE_DISTRICT)
    north, north_projects = make_budget(page=page, area=area_factory(name="Nord"))
    south, south_projects = make_budget(page=page, area=area_factory(name="Sud"))
    ballot_submit(budget=north, voter=voter, selections=approve(north_projects[0]))
    refused(NotAllowed, "one district only", budget=south, voter=voter, selections=approve(south_projects[0]))
    ballot_submit(budget=north, voter=voter, selections=approve(north_projects[1]))  # changing is fine


# --- one ballot per person -----------------------------------------------------------------------


def test_submitting_again_replaces_the_choices_of_the_same_ballot(make_budget, voter):
    budget, projects = make_budget()
    first = ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
    second = ballot_submit(budget=budget, voter=voter, selections=approve(projects[1], projects[2]))
    assert first.pk == second.pk
    assert Ballot.objects.count() == 1
    assert sorted(BallotChoice.objects.values_list("project_id", flat=True)) == [projects[1].pk, projects[2].pk]


def test_database_refuses_a_second_ballot_for_the_same_person(make_budget, voter):
    budget, _projects = make_budget()
    Ballot.objects.create(budget=budget, voter=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=voter)


def test_race_lost_on_the_constraint_updates_the_winner(make_budget, voter, monkeypatch):
    """The IntegrityError path: another submission committed between our check and our insert."""
    from budget_participatif.services import ballots as module

    budget, projects = make_budget()
    winner = ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
    real_locked = module._locked
    calls = []

    def locked_missing_once(*args):
        calls.append(1)
        return [] if len(calls) == 1 else real_locked(*args)

    monkeypatch.setattr(module, "_locked", locked_missing_once)
    ballot = ballot_submit(budget=budget, voter=voter, selections=approve(projects[3]))
    assert ballot.pk == winner.pk
    assert Ballot.objects.count() == 1
    assert list(BallotChoice.objects.values_list("project_id", flat=True)) == [projects[3].pk]


# --- in person -----------------------------------------------------------------------------------


def test_agent_enters_a_paper_ballot_and_the_person_cannot_vote_online(make_budget, agent, voter):
    budget, projects = make_budget()
    ballot = paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[0]))
    assert (ballot.channel, ballot.entered_by) == (BallotChannel.PAPER, agent)
    refused(NotAllowed, "paper ballot", budget=budget, voter=voter, selections=approve(projects[1]))


def test_online_voter_cannot_vote_again_on_paper(make_budget, agent, voter):
    budget, projects = make_budget()
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
    with pytest.raises(NotAllowed, match="already voted online"):
        paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[1]), assisted=True)
    assert BallotChoice.objects.get().project_id == projects[0].pk


def test_second_paper_ballot_needs_an_explicit_correction(make_budget, agent, voter):
    budget, projects = make_budget()
    paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[0]))
    with pytest.raises(NotAllowed, match="already recorded"):
        paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[1]))
    paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[1]), replace=True)
    assert BallotChoice.objects.get().project_id == projects[1].pk


def test_residents_cannot_enter_paper_ballots(make_budget, voter):
    budget, projects = make_budget()
    with pytest.raises(NotAllowed):
        paper_ballot_enter(budget=budget, agent=voter, voter=voter, selections=approve(projects[0]))


# --- voting codes --------------------------------------------------------------------------------


def test_voting_code_votes_once_per_budget_without_an_account(make_budget, budget_page_factory, agent):
    page = budget_page_factory(use_voting_codes=True)
    budget, projects = make_budget(page=page)
    code = voting_codes_generate(page=page, count=3)[0]
    refused(ValidationError, "voting code", budget=budget, voter=agent, selections=approve(projects[0]))
    refused(ValidationError, "not valid", budget=budget, voting_code="AAAA-BBBB-CCCC", selections=approve(projects[0]))
    first = ballot_submit(budget=budget, voting_code=code.lower(), selections=approve(projects[0]))
    again = ballot_submit(budget=budget, voting_code=code, selections=approve(projects[1]))
    assert first.pk == again.pk and Ballot.objects.count() == 1
    with pytest.raises(NotAllowed, match="voted online"):
        paper_ballot_enter(budget=budget, agent=agent, voting_code=code, selections=approve(projects[0]))
    assert page.voting_codes.filter(first_used_at__isnull=False).count() == 1
    assert code not in str(list(page.voting_codes.values_list("code_hash", flat=True)))


def test_a_first_ballot_stores_every_field_and_all_its_choices(make_budget, voter, area_factory):
    """On PostgreSQL the ballot and its choices go in one statement: every column must be written."""
    budget, projects = make_budget(min_choices=1, max_choices=3)
    area = area_factory()
    ballot = ballot_submit(
        budget=budget, voter=voter, selections=approve(*projects[:3]), declared_birth_year=1990, declared_area=area
    )
    stored = Ballot.objects.get()
    assert stored.pk == ballot.pk and not ballot._state.adding
    assert (stored.voter_id, stored.channel, stored.declared_birth_year, stored.declared_area_id) == (
        voter.pk,
        BallotChannel.ONLINE,
        1990,
        area.pk,
    )
    assert stored.created_at is not None and stored.updated_at is not None
    assert sorted(stored.choices.values_list("project_id", "value")) == sorted((p.pk, 1) for p in projects[:3])


def test_a_second_ballot_inside_a_callers_transaction_replaces_the_first(make_budget, voter):
    """The refused INSERT of a change of mind must not spoil a transaction the caller opened."""
    budget, projects = make_budget()
    with transaction.atomic():
        ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
        ballot_submit(budget=budget, voter=voter, selections=approve(projects[1]))
        assert list(BallotChoice.objects.values_list("project_id", flat=True)) == [projects[1].pk]
    assert Ballot.objects.count() == 1
