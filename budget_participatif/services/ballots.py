"""Ballots: validation by ballot type, who may vote where, and the one-ballot-per-person upsert.

A person has at most one ballot per budget, enforced by unique constraints on (budget, voter) and
(budget, voting_code). Submitting again replaces the choices of the same ballot until the vote
closes. The write tries the common case first, a person's first ballot: one transaction with the
ballot INSERT and one INSERT for all its choices. If the constraint says this person (or code)
already has a ballot there — a change of mind, or a concurrent submission that committed first —
that transaction is rolled back whole and a second one locks that ballot and replaces its choices,
so exactly one ballot remains. (PostgreSQL logs the refused INSERT of each change of mind.)

A first online ballot costs four statements besides the session, the user and the budget (with its
campaign) that the middleware and the view load: the verified-email check, the projects on the
ballot (id, title and cost only), the ballot INSERT and the choices INSERT, in one transaction.
"""

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civic.moderation.exceptions import NotAllowed
from civic.moderation.rules import is_blocked
from civic.territory.models import Area

from ..models import Ballot, BallotChannel, BallotChoice, BallotType, Budget, BudgetPage, Project, VoteScope, VotingCode

Selections = Iterable[tuple[int | str, int]]


def _money(value) -> str:
    return f"{formats.number_format(value, force_grouping=True)} €"


# --- Validation ----------------------------------------------------------------------------------


def ballot_validate(
    *, budget: Budget, selections: Selections, projects: dict[int, Project] | None = None
) -> list[tuple[Project, int]]:
    """The (project, value) pairs of a valid ballot, or ValidationError listing everything wrong.

    ``selections``: (project id, value) pairs; value is 1 for approval and knapsack ballots, the
    points for cumulative ballots and the rank (1 = first) for ranked ballots. Without ``projects``
    (id -> Project), the budget's projects on the ballot are read with only the fields validation
    needs (id, title, cost): another field of a returned project is read from the database on access.
    """
    if projects is None:
        projects = {
            project.pk: project for project in budget.projects.on_ballot().only("id", "budget", "title", "cost")
        }
    errors: list[str] = []
    chosen: list[tuple[Project, int]] = []
    seen: set[int] = set()
    for raw_id, raw_value in selections:
        try:
            project_id, value = int(raw_id), int(raw_value)
        except (TypeError, ValueError):
            errors.append(_("“%(value)s” is not a valid choice.") % {"value": raw_id})
            continue
        project = projects.get(project_id)
        if project is None:
            errors.append(_("Project %(id)s is not on this ballot.") % {"id": project_id})
            continue
        if project_id in seen:
            errors.append(_("You chose “%(title)s” twice.") % {"title": project.title})
            continue
        seen.add(project_id)
        chosen.append((project, value))
    if errors:
        raise ValidationError({"choices": errors})

    kind = budget.ballot_type
    count = len(chosen)
    if kind == BallotType.CUMULATIVE:
        chosen = [(project, points) for project, points in chosen if points != 0]
        count = len(chosen)
    if count < max(budget.min_choices, 1):
        errors.append(
            ngettext(
                "Choose at least %(count)d project.", "Choose at least %(count)d projects.", max(budget.min_choices, 1)
            )
            % {"count": max(budget.min_choices, 1)}
        )
    if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
        if any(value != 1 for _project, value in chosen):
            errors.append(_("Tick the projects you choose; they carry no points on this ballot."))
        if kind == BallotType.APPROVAL and budget.max_choices is not None and count > budget.max_choices:
            errors.append(
                ngettext(
                    "Choose at most %(max)d project (you chose %(count)d).",
                    "Choose at most %(max)d projects (you chose %(count)d).",
                    budget.max_choices,
                )
                % {"max": budget.max_choices, "count": count}
            )
        if kind == BallotType.KNAPSACK:
            total = sum(project.cost for project, _value in chosen)
            if total > budget.amount:
                errors.append(
                    _("Your choice costs %(total)s, more than the budget of %(amount)s.")
                    % {"total": _money(total), "amount": _money(budget.amount)}
                )
            elif total < budget.min_spend and count:
                errors.append(
                    _("Spend at least %(min)s (%(share)d %% of the budget); your choice costs %(total)s.")
                    % {"min": _money(budget.min_spend), "share": budget.min_share_percent, "total": _money(total)}
                )
    elif kind == BallotType.CUMULATIVE:
        negative = [project.title for project, points in chosen if points < 0]
        if negative:
            errors.append(_("Points cannot be negative (“%(title)s”).") % {"title": negative[0]})
        total = sum(points for _project, points in chosen)
        if total > budget.points_total:
            errors.append(
                _("You gave %(given)d points; you have %(total)d to share.")
                % {"given": total, "total": budget.points_total}
            )
        if budget.points_cap is not None:
            for project, points in chosen:
                if points > budget.points_cap:
                    errors.append(
                        _("At most %(cap)d points on one project: “%(title)s” has %(points)d.")
                        % {"cap": budget.points_cap, "title": project.title, "points": points}
                    )
    elif kind == BallotType.RANKED:
        if count > budget.rank_k:
            errors.append(
                ngettext("Rank at most %(k)d project.", "Rank at most %(k)d projects.", budget.rank_k)
                % {"k": budget.rank_k}
            )
        ranks = sorted(value for _project, value in chosen)
        duplicates = sorted({rank for rank in ranks if ranks.count(rank) > 1})
        if duplicates:
            errors.append(
                _("Two projects share rank %(rank)d: give each project its own rank.") % {"rank": duplicates[0]}
            )
        elif ranks != list(range(1, count + 1)):
            errors.append(_("Number your projects 1, 2, 3… without gaps."))
        chosen.sort(key=lambda pair: pair[1])
    if errors:
        raise ValidationError({"choices": errors})
    return chosen


# --- Who may vote where --------------------------------------------------------------------------


def _check_open(page: BudgetPage, now) -> None:
    if now < page.voting_opens:
        raise NotAllowed(
            _("The vote opens on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(page.voting_opens), "DATETIME_FORMAT")},
            code="not_open",
        )
    if now >= page.voting_closes:
        raise NotAllowed(
            _("The vote closed on %(date)s: ballots are no longer accepted.")
            % {"date": formats.date_format(timezone.localtime(page.voting_closes), "DATETIME_FORMAT")},
            code="closed",
        )


def _within(area_id, district_id) -> bool:
    """Whether area ``area_id`` is ``district_id`` or lies inside it (by the parent chain)."""
    return Area.objects.ancestors_of(area_id, include_self=True).filter(pk=district_id).exists()


def _check_eligibility(*, budget, page, voter, code, birth_year, declared_area, channel) -> None:
    if channel == BallotChannel.ONLINE:
        if voter is None and code is None:
            raise NotAllowed(_("Log in to vote."), code="login_required")
        if voter is not None and not voter.is_active:
            raise NotAllowed(_("This account is disabled."), code="inactive")
        if voter is not None and is_blocked(voter):
            raise NotAllowed(_("This account is blocked by the moderators: it cannot vote."), code="blocked")
        if page.require_verified_email and code is None:
            from civic.accounts.backends import has_verified_email

            if not has_verified_email(voter):
                raise NotAllowed(_("Confirm your email address before voting."), code="unverified")
    elif voter is None and code is None:
        raise ValidationError({"voting_code": _("Identify the voter: their account or their voting code.")})
    if page.use_voting_codes and code is None:
        raise ValidationError({"voting_code": _("Enter the voting code of your letter.")})
    if birth_year is not None and not 1900 <= birth_year <= date.today().year:
        raise ValidationError({"birth_year": _("This year of birth is not valid.")})
    if page.minimum_age:
        if birth_year is None:
            raise ValidationError({"birth_year": _("Give your year of birth: this vote has a minimum age.")})
        if not 1900 <= birth_year <= date.today().year:
            raise ValidationError({"birth_year": _("This year of birth is not valid.")})
        if timezone.localdate().year - birth_year < page.minimum_age:
            raise NotAllowed(_("This vote is open from the age of %(age)d.") % {"age": page.minimum_age}, code="age")
    # The district by id: declared on the ballot, else the code's, else the account's home area.
    district_id = (
        (declared_area.pk if declared_area is not None else None)
        or (code.area_id if code is not None else None)
        or (voter.home_area_id if voter is not None else None)
    )
    if page.require_residence and declared_area is None and district_id is None:
        raise ValidationError({"area": _("Tell us which district you live in.")})
    if budget.area_id is None or page.vote_scope == VoteScope.ALL:
        return
    if page.vote_scope == VoteScope.HOME_AND_CITY:
        if district_id is None:
            raise ValidationError({"area": _("Tell us which district you live in.")})
        if not _within(district_id, budget.area_id):
            raise NotAllowed(
                _("This budget is for the residents of %(area)s; you can vote in your own district's budget.")
                % {"area": budget.area},
                code="district",
            )
    elif page.vote_scope == VoteScope.ONE_DISTRICT:
        other = (
            Ballot.objects.filter(budget__page=page, budget__area__isnull=False)
            .exclude(budget=budget)
            .filter(_identity(voter, code))
            .select_related("budget")
            .first()
        )
        if other is not None:
            raise NotAllowed(
                _("You already voted in “%(budget)s”: you may vote in one district only (you can change that ballot).")
                % {"budget": other.budget.name},
                code="one_district",
            )


def _identity(voter, code) -> Q:
    if voter is not None and code is not None:
        return Q(voter=voter) | Q(voting_code=code)
    if voter is not None:
        return Q(voter=voter)
    if code is not None:
        return Q(voting_code=code)
    return Q(pk__in=[])


def _code_for(page: BudgetPage, voting_code: str) -> VotingCode | None:
    if not (voting_code or "").strip():
        return None
    code = VotingCode.objects.filter(page=page, code_hash=VotingCode.hash(voting_code)).first()
    if code is None:
        raise ValidationError(
            {"voting_code": _("This voting code is not valid for this campaign. Check the letter you received.")}
        )
    return code


CHANNEL_REFUSALS = {
    BallotChannel.ONLINE: gettext_lazy("This person already voted online; they cannot vote again in person."),
    BallotChannel.PAPER: gettext_lazy(
        "A paper ballot of yours is already recorded; it cannot be replaced by another one."
    ),
    BallotChannel.ASSISTED: gettext_lazy("You already voted at a desk; that ballot cannot be replaced by another one."),
    BallotChannel.IMPORTED: gettext_lazy("This ballot was imported and cannot be changed."),
}


def _check_same_channel(existing: Ballot, channel: str, *, voter, code, replace: bool) -> None:
    """The same check whatever the channel: a ballot is only ever replaced through its own channel."""
    if voter is not None and existing.voter_id not in (None, voter.pk):
        raise NotAllowed(_("This voting code was already used by someone else."), code="code_used")
    if code is not None and existing.voting_code_id not in (None, code.pk):
        raise NotAllowed(_("You already voted with another voting code."), code="other_code")
    if existing.channel != channel:
        raise NotAllowed(str(CHANNEL_REFUSALS[existing.channel]), code="other_channel")
    if channel != BallotChannel.ONLINE and not replace:
        raise NotAllowed(
            _("A ballot of this person is already recorded (%(channel)s). Tick “correct” to replace it.")
            % {"channel": existing.get_channel_display()},
            code="duplicate",
        )


# --- Writes --------------------------------------------------------------------------------------


def _locked(budget, voter, code) -> list[Ballot]:
    return list(Ballot.objects.select_for_update().filter(_identity(voter, code), budget=budget)[:2])


def ballot_submit(
    *,
    budget: Budget,
    selections: Selections,
    voter=None,
    voting_code: str = "",
    channel: str = BallotChannel.ONLINE,
    entered_by=None,
    declared_birth_year: int | None = None,
    declared_area=None,
    replace: bool = False,
    now=None,
    projects: dict[int, Project] | None = None,
) -> Ballot:
    """Store or replace a person's ballot in ``budget``; refuse it whole with what is wrong.

    ``projects``: the budget's projects on the ballot by id, when the caller has them already
    (``ballot_cache.budget_for_ballot``); read from the database otherwise."""
    now = now or timezone.now()
    page = budget.page
    if voter is not None and not voter.is_authenticated:
        voter = None
    _check_open(page, now)
    code = _code_for(page, voting_code)
    _check_eligibility(
        budget=budget,
        page=page,
        voter=voter,
        code=code,
        birth_year=declared_birth_year,
        declared_area=declared_area,
        channel=channel,
    )
    chosen = ballot_validate(budget=budget, selections=selections, projects=projects)
    fields = {
        "channel": channel,
        "entered_by": entered_by,
        "declared_birth_year": declared_birth_year,
        "declared_area": declared_area,
    }
    for _attempt in range(2):
        try:
            ballot = Ballot(budget=budget, voter=voter, voting_code=code, **fields)
            _insert(ballot, chosen, code=code, now=now)
            return ballot
        except IntegrityError as exc:
            conflict = exc
        # This person or code has a ballot in this budget already: replace it, under a row lock.
        with transaction.atomic():
            found = _locked(budget, voter, code)
            if found:
                return _replace(
                    found, chosen, fields, voter=voter, code=code, channel=channel, replace=replace, now=now
                )
        # The ballot we collided with is gone (deleted meanwhile): try the insert once more.
    raise conflict  # not a second ballot (e.g. a project deleted meanwhile): nothing is stored


def _replace(found: list[Ballot], chosen, fields, *, voter, code, channel, replace, now) -> Ballot:
    """Inside the transaction that locked ``found``: the person's ballot gets the new choices."""
    if len(found) > 1:
        raise NotAllowed(_("This voting code was already used by someone else."), code="code_used")
    ballot = found[0]
    _check_same_channel(ballot, channel, voter=voter, code=code, replace=replace)
    for name, value in fields.items():
        setattr(ballot, name, value)
    if ballot.voter_id is None:
        ballot.voter = voter
    if ballot.voting_code_id is None:
        ballot.voting_code = code
    ballot.save()
    BallotChoice.objects.filter(ballot=ballot).delete()
    _store_choices(ballot, chosen, code=code, now=now)
    return ballot


def _insert(ballot: Ballot, chosen, *, code, now) -> None:
    """A new ballot and its choices, all or nothing; IntegrityError if this person already has one."""
    if connection.vendor == "postgresql" and chosen and code is None:
        if connection.in_atomic_block:  # a caller's transaction: a savepoint keeps it usable on conflict
            with transaction.atomic():
                _insert_one_statement(ballot, chosen)
        else:
            _insert_one_statement(ballot, chosen)
        return
    with transaction.atomic():
        ballot.save(force_insert=True)
        _store_choices(ballot, chosen, code=code, now=now)


def _insert_one_statement(ballot: Ballot, chosen) -> None:
    """PostgreSQL: the ballot and all its choices in one statement, atomic by itself (one round trip)."""
    quote = connection.ops.quote_name
    fields = [field for field in Ballot._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(ballot, True), connection) for field in fields]
    choice = BallotChoice._meta
    sql = (
        f"WITH ballot AS (INSERT INTO {quote(Ballot._meta.db_table)} "  # noqa: S608 - names from the models
        f"({', '.join(quote(field.column) for field in fields)}) VALUES ({', '.join(['%s'] * len(fields))}) "
        f"RETURNING {quote(Ballot._meta.pk.column)}) "
        f"INSERT INTO {quote(choice.db_table)} ({quote(choice.get_field('ballot').column)}, "
        f"{quote(choice.get_field('project').column)}, {quote(choice.get_field('value').column)}) "
        f"SELECT ballot.{quote(Ballot._meta.pk.column)}, picked.project, picked.value FROM ballot, "
        "unnest(%s::bigint[], %s::integer[]) AS picked(project, value) "
        f"RETURNING {quote(choice.get_field('ballot').column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, [project.pk for project, _value in chosen], [value for _p, value in chosen]])
        ballot.pk = cursor.fetchone()[0]
    ballot._state.adding, ballot._state.db = False, connection.alias


def _store_choices(ballot: Ballot, chosen, *, code, now) -> None:
    """All the choices in one INSERT; a voting code is marked used the first time."""
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, project_id=project.pk, value=value) for project, value in chosen]
    )
    if code is not None and code.first_used_at is None:
        VotingCode.objects.filter(pk=code.pk, first_used_at__isnull=True).update(first_used_at=now)


def paper_ballot_enter(
    *,
    budget: Budget,
    agent,
    selections: Selections,
    voter=None,
    voting_code: str = "",
    assisted: bool = False,
    declared_birth_year: int | None = None,
    declared_area=None,
    replace: bool = False,
    now=None,
) -> Ballot:
    """An agent enters a paper ballot, or records the vote of a resident helped at a desk."""
    if agent is None or not agent.has_perm("budget_participatif.enter_ballot", budget):
        raise NotAllowed(_("Only council staff enter ballots, while the vote is open."), code="forbidden")
    return ballot_submit(
        budget=budget,
        selections=selections,
        voter=voter,
        voting_code=voting_code,
        channel=BallotChannel.ASSISTED if assisted else BallotChannel.PAPER,
        entered_by=agent,
        declared_birth_year=declared_birth_year,
        declared_area=declared_area,
        replace=replace,
        now=now,
    )


# --- Voting codes --------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def voting_codes_generate(*, page: BudgetPage, count: int, area=None, batch: str = "") -> list[str]:
    """Create ``count`` one-time codes; returns them in clear, once, for the letters (only hashes are kept)."""
    if not 1 <= count <= 100_000:
        raise ValidationError(_("Generate between 1 and 100,000 codes at a time."))
    codes = []
    with transaction.atomic():
        while len(codes) < count:
            batch_codes = [_new_code() for _ in range(min(1000, count - len(codes)))]
            created = VotingCode.objects.bulk_create(
                [
                    VotingCode(page=page, code_hash=VotingCode.hash(code), area=area, batch=batch)
                    for code in batch_codes
                ],
                ignore_conflicts=True,
            )
            codes.extend(batch_codes[: len(created)])
    return codes


def voting_codes_import(*, page: BudgetPage, codes: Iterable[str], area=None, batch: str = "") -> int:
    """Store codes printed elsewhere; refuses the whole list if one is too short or already known."""
    cleaned = [VotingCode.normalise(code) for code in codes if code.strip()]
    short = [code for code in cleaned if len(code) < 8]
    if short:
        raise ValidationError(
            _("Codes must have at least 8 letters or digits: “%(code)s” is too short.") % {"code": short[0]}
        )
    hashes = [VotingCode.hash(code) for code in cleaned]
    if len(set(hashes)) != len(hashes):
        raise ValidationError(_("The list holds the same code twice."))
    with transaction.atomic():
        if VotingCode.objects.filter(code_hash__in=hashes).exists():
            raise ValidationError(_("Some of these codes are already registered."))
        VotingCode.objects.bulk_create(VotingCode(page=page, code_hash=h, area=area, batch=batch) for h in hashes)
    return len(hashes)
