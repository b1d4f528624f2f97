"""Fifty concurrent submissions by the same person leave exactly one ballot (PostGIS only)."""

import threading

import pytest
from django.db import connection, connections

from budget_participatif.models import Ballot, BallotChoice
from budget_participatif.services import ballot_submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers: the race needs PostgreSQL")
def test_fifty_concurrent_submissions_leave_one_ballot(make_budget, voter):
    budget, projects = make_budget(max_choices=4)
    barrier = threading.Barrier(50)
    errors = []

    def submit(index):
        try:
            barrier.wait(timeout=30)
            ballot_submit(budget=budget, voter=voter, selections=[(projects[index % 4].pk, 1)])
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Ballot.objects.filter(budget=budget, voter=voter).count() == 1
    assert BallotChoice.objects.filter(ballot__budget=budget).count() == 1
    assert connection.vendor == "postgresql"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers: the race needs PostgreSQL")
def test_accounts_sharing_one_code_at_once_leave_one_holder_and_no_error(
    make_budget, budget_page_factory, user_factory
):
    """Twenty accounts (and code-only submissions) send one voting code at once, in two budgets: no
    deadlock, no 500; only the refusals that say the code is taken, and every ballot of the code is
    one account's, one per budget."""
    from budget_participatif.services import voting_codes_generate
    from civic.moderation.exceptions import NotAllowed

    page = budget_page_factory(use_voting_codes=True)
    first, first_projects = make_budget(page=page, max_choices=4)
    second, second_projects = make_budget(page=page, max_choices=4)
    code = voting_codes_generate(page=page, count=1)[0]
    people = [user_factory(roles=["resident"]) for _ in range(20)]
    barrier = threading.Barrier(40)
    errors, refusals = [], []

    def submit(index):
        budget, projects = (first, first_projects) if index % 2 else (second, second_projects)
        person = people[index % 20] if index % 4 != 3 else None
        try:
            barrier.wait(timeout=30)
            ballot_submit(budget=budget, voter=person, voting_code=code, selections=[(projects[index % 4].pk, 1)])
        except NotAllowed as exc:
            refusals.append(exc.code)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(refusals) <= {"code_used", "code_of_account"}
    ballots = Ballot.objects.filter(voting_code__page=page)
    assert ballots.count() <= 2
    assert ballots.values("budget").distinct().count() == ballots.count()
    assert ballots.exclude(voter=None).values("voter").distinct().count() <= 1
    assert BallotChoice.objects.filter(ballot__in=ballots).count() == ballots.count()
