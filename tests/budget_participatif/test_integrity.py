"""One person, one district, one ballot per budget, whatever the channel (online, code, paper desk).

Every refusal also proves that nothing was stored or changed (``refused``)."""

import pytest

from budget_participatif.models import Ballot, BallotChoice, VoteScope
from budget_participatif.services import ballot_submit, paper_ballot_enter, voting_codes_generate
from civic.moderation.exceptions import NotAllowed

from .conftest import approve

pytestmark = pytest.mark.django_db


def refused(match, submit=ballot_submit, **kwargs):
    """``submit`` is refused with ``match``, and no ballot or choice is added, removed or changed."""
    before = sorted(BallotChoice.objects.values_list("ballot__budget", "ballot__voter", "project", "value"))
    ballots = sorted(Ballot.objects.values_list("pk", "voter", "voting_code", "declared_area", "channel"))
    with pytest.raises(NotAllowed, match=match):
        submit(**kwargs)
    assert sorted(BallotChoice.objects.values_list("ballot__budget", "ballot__voter", "project", "value")) == before
    assert sorted(Ballot.objects.values_list("pk", "voter", "voting_code", "declared_area", "channel")) == ballots


@pytest.fixture
def districts(make_budget, budget_page_factory, area_factory):
    """A "home district and city" campaign with two district budgets and a city-wide one."""

    def make(**page_fields):
        page = budget_page_factory(vote_scope=VoteScope.HOME_AND_CITY, **page_fields)
        north_area, south_area = area_factory(name="Nord"), area_factory(name="Sud")
        north = make_budget(page=page, area=north_area, name="Budget Nord")
        south = make_budget(page=page, area=south_area, name="Budget Sud")
        city = make_budget(page=page, name="Budget ville")
        return page, north_area, south_area, north, south, city

    return make


def test_a_person_declares_one_district_across_the_district_budgets(districts, user_factory):
    _page, north_area, south_area, (north, north_projects), (south, south_projects), _city = districts()
    homeless = user_factory(home_area=None)
    ballot_submit(budget=north, voter=homeless, selections=approve(north_projects[0]), declared_area=north_area)
    refused(
        "one district only|you declared that you live in Nord",
        budget=south,
        voter=homeless,
        selections=approve(south_projects[0]),
        declared_area=south_area,
    )
    # changing the ballot in their own district stays possible
    ballot_submit(budget=north, voter=homeless, selections=approve(north_projects[1]), declared_area=north_area)
    assert Ballot.objects.filter(voter=homeless).count() == 1


def test_the_district_declared_on_the_city_ballot_binds_the_district_ballot(districts, user_factory):
    _page, north_area, south_area, _north, (south, south_projects), (city, city_projects) = districts()
    person = user_factory(home_area=None)
    ballot_submit(budget=city, voter=person, selections=approve(city_projects[0]), declared_area=north_area)
    refused(
        "you declared that you live in Nord",
        budget=south,
        voter=person,
        selections=approve(south_projects[0]),
        declared_area=south_area,
    )


def test_a_paper_ballot_in_one_district_stops_an_online_ballot_in_another(districts, user_factory, agent):
    _page, north_area, south_area, (north, north_projects), (south, south_projects), _city = districts()
    person = user_factory(home_area=None)
    paper_ballot_enter(
        budget=north, agent=agent, voter=person, selections=approve(north_projects[0]), declared_area=north_area
    )
    refused(
        "one district only|you declared that you live in Nord",
        budget=south,
        voter=person,
        selections=approve(south_projects[0]),
        declared_area=south_area,
    )


def test_a_code_holder_votes_in_one_district_at_the_desk_too(districts, agent):
    page, north_area, south_area, (north, north_projects), (south, south_projects), _city = districts(
        use_voting_codes=True
    )
    code = voting_codes_generate(page=page, count=1)[0]
    ballot_submit(budget=north, voting_code=code, selections=approve(north_projects[0]), declared_area=north_area)
    refused(
        "one district only|you declared that you live in Nord",
        submit=paper_ballot_enter,
        budget=south,
        agent=agent,
        voting_code=code,
        selections=approve(south_projects[0]),
        declared_area=south_area,
    )


def test_without_an_account_a_code_cannot_replace_the_ballot_of_the_account_that_used_it(
    make_budget, budget_page_factory, voter
):
    page = budget_page_factory(use_voting_codes=True)
    budget, projects = make_budget(page=page)
    other, other_projects = make_budget(page=page)
    code = voting_codes_generate(page=page, count=1)[0]
    ballot_submit(budget=budget, voter=voter, voting_code=code, selections=approve(projects[0]))
    refused("log in to that account", budget=budget, voting_code=code, selections=approve(projects[1]))
    refused("log in to that account", budget=other, voting_code=code, selections=approve(other_projects[1]))
    # the account itself still changes its ballot
    ballot_submit(budget=budget, voter=voter, voting_code=code, selections=approve(projects[2]))
    assert list(BallotChoice.objects.values_list("project", flat=True)) == [projects[2].pk]


def test_a_code_belongs_to_the_first_account_that_used_it_in_every_budget(
    make_budget, budget_page_factory, voter, user_factory
):
    page = budget_page_factory(use_voting_codes=True)
    budget, projects = make_budget(page=page)
    other, other_projects = make_budget(page=page)
    first, second = voting_codes_generate(page=page, count=2)
    ballot_submit(budget=budget, voter=voter, voting_code=first, selections=approve(projects[0]))
    someone_else = user_factory(roles=["resident"])
    refused(
        "already used by someone else",
        budget=budget,
        voter=someone_else,
        voting_code=first,
        selections=approve(projects[1]),
    )
    refused(
        "already used by someone else",
        budget=other,
        voter=someone_else,
        voting_code=first,
        selections=approve(other_projects[1]),
    )
    refused("another voting code", budget=other, voter=voter, voting_code=second, selections=approve(other_projects[0]))
    ballot_submit(budget=other, voter=voter, voting_code=first, selections=approve(other_projects[0]))
    assert Ballot.objects.filter(voter=voter).count() == 2
