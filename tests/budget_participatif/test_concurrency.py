"""Fifty concurrent submissions by the same person leave exactly one ballot (PostGIS only)."""

import threading

import pytest
from django.db import connection, connections

from budget_participatif.models import Ballot, BallotChoice
from budget_participatif.services import ballot_submit

pytestmark = pytest.mark.django_db(transaction=True)


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
