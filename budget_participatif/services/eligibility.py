"""Who may vote where: the checks every ballot passes, whatever its channel, and what the ballot page
says before the form (``ballot_refusal``), with the same messages.

Two kinds of checks:

* on the ballot alone (``check_open``, ``check_eligibility``): the vote is open, the account may
  vote, birth year, declared district against the budget's district;
* on the person's other ballots of the campaign (``check_person``): one person, one district. Under
  "home district" or "one district" voting a person votes in one district budget only, and declares
  the same district on every ballot; a voting code belongs to the first account that used it, and an
  account uses one code. The writer runs these under the locks of ``lock_person`` (the voting code's
  row, then the account's row: always in that order), so two ballots of one person sent at once are
  checked one after the other.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.moderation.exceptions import NotAllowed
from civic.moderation.rules import is_blocked
from civic.territory.models import Area

from ..models import Ballot, BallotChannel, Budget, BudgetPage, VoteScope, VotingCode


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def check_open(page: BudgetPage, now) -> None:
    if now < page.voting_opens:
        raise NotAllowed(_("The vote opens on %(date)s.") % {"date": _when(page.voting_opens)}, code="not_open")
    if now >= page.voting_closes:
        raise NotAllowed(
            _("The vote closed on %(date)s: ballots are no longer accepted.") % {"date": _when(page.voting_closes)},
            code="closed",
        )


def within(area_id, district_id) -> bool:
    """Whether area ``area_id`` is ``district_id`` or lies inside it (by the parent chain)."""
    return Area.objects.ancestors_of(area_id, include_self=True).filter(pk=district_id).exists()


def district_of(*, voter, code, declared_area) -> int | None:
    """The person's district by id: declared on the ballot, else the code's, else the account's home area."""
    return (
        (declared_area.pk if declared_area is not None else None)
        or (code.area_id if code is not None else None)
        or (voter.home_area_id if voter is not None else None)
    )


def _check_account(*, page, voter, code, channel) -> None:
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


def _check_budget_district(*, budget, page, district_id) -> None:
    if budget.area_id is None or page.vote_scope != VoteScope.HOME_AND_CITY:
        return
    if district_id is None:
        raise ValidationError({"area": _("Tell us which district you live in.")})
    if not within(district_id, budget.area_id):
        raise NotAllowed(
            _("This budget is for the residents of %(area)s; you can vote in your own district's budget.")
            % {"area": budget.area},
            code="district",
        )


def check_eligibility(*, budget, page, voter, code, birth_year, declared_area, channel) -> None:
    """The checks that need nothing but the ballot itself."""
    _check_account(page=page, voter=voter, code=code, channel=channel)
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
    district_id = district_of(voter=voter, code=code, declared_area=declared_area)
    if page.require_residence and declared_area is None and district_id is None:
        raise ValidationError({"area": _("Tell us which district you live in.")})
    _check_budget_district(budget=budget, page=page, district_id=district_id)


def identity(voter, code) -> Q:
    if voter is not None and code is not None:
        return Q(voter=voter) | Q(voting_code=code)
    if voter is not None:
        return Q(voter=voter)
    if code is not None:
        return Q(voting_code=code)
    return Q(pk__in=[])


def code_for(page: BudgetPage, voting_code: str) -> VotingCode | None:
    if not (voting_code or "").strip():
        return None
    code = VotingCode.objects.filter(page=page, code_hash=VotingCode.hash(voting_code)).first()
    if code is None:
        raise ValidationError(
            {"voting_code": _("This voting code is not valid for this campaign. Check the letter you received.")}
        )
    return code


# --- The person's other ballots ------------------------------------------------------------------


def needs_person_check(*, budget: Budget, page: BudgetPage, code, declared_area) -> bool:
    """Whether this ballot depends on the person's other ballots (then it is written under their locks)."""
    if code is not None or declared_area is not None:
        return True
    return budget.area_id is not None and page.vote_scope != VoteScope.ALL


def lock_person(*, voter, code) -> None:
    """Inside the caller's transaction: the voting code's row, then the account's row (this order,
    always), so that two ballots of one person, or of one code, are written one after the other."""
    if code is not None:
        list(VotingCode.objects.select_for_update().filter(pk=code.pk).values_list("pk", flat=True))
    if voter is not None:
        no_key = connection.features.has_select_for_no_key_update
        locked = get_user_model().objects.select_for_update(no_key=no_key).filter(pk=voter.pk)
        list(locked.values_list("pk", flat=True))


def check_person(*, budget: Budget, page: BudgetPage, voter, code, declared_area) -> None:
    """One person, one district, one code: checked against the person's other ballots of the campaign."""
    if code is not None:
        holders = set(
            Ballot.objects.filter(budget__page=page, voting_code=code)
            .exclude(voter=None)
            .values_list("voter_id", flat=True)
        )
        if voter is None and holders:
            raise NotAllowed(
                _("This voting code was used by an account: log in to that account to vote or change its ballots."),
                code="code_of_account",
            )
        if voter is not None and holders - {voter.pk}:
            raise NotAllowed(_("This voting code was already used by someone else."), code="code_used")
        if (
            voter is not None
            and Ballot.objects.filter(budget__page=page, voter=voter)
            .exclude(voting_code=None)
            .exclude(voting_code=code)
            .exists()
        ):
            raise NotAllowed(_("You already voted with another voting code."), code="other_code")
    others = list(
        Ballot.objects.filter(identity(voter, code), budget__page=page)
        .exclude(budget=budget)
        .select_related("budget", "declared_area")
        .only("budget__name", "budget__area_id", "declared_area__name")
    )
    if declared_area is not None:
        for other in others:
            if other.declared_area_id is not None and other.declared_area_id != declared_area.pk:
                raise NotAllowed(
                    _(
                        "On your ballot for “%(budget)s” you declared that you live in %(area)s: "
                        "a person declares one district."
                    )
                    % {"budget": other.budget.name, "area": other.declared_area.name},
                    code="other_declared_area",
                )
    if budget.area_id is None or page.vote_scope == VoteScope.ALL:
        return
    for other in others:
        if other.budget.area_id is not None:
            raise NotAllowed(
                _("You already voted in “%(budget)s”: you may vote in one district only (you can change that ballot).")
                % {"budget": other.budget.name},
                code="one_district",
            )


# --- A ballot already there ----------------------------------------------------------------------

CHANNEL_REFUSALS = {
    BallotChannel.ONLINE: gettext_lazy("This person already voted online; they cannot vote again in person."),
    BallotChannel.PAPER: gettext_lazy(
        "A paper ballot of yours is already recorded; it cannot be replaced by another one."
    ),
    BallotChannel.ASSISTED: gettext_lazy("You already voted at a desk; that ballot cannot be replaced by another one."),
    BallotChannel.IMPORTED: gettext_lazy("This ballot was imported and cannot be changed."),
}


def check_same_channel(existing: Ballot, channel: str, *, voter, code, replace: bool) -> None:
    """The same check whatever the channel: a ballot is only ever replaced through its own channel,
    and only by the person who cast it."""
    if voter is not None and existing.voter_id not in (None, voter.pk):
        raise NotAllowed(_("This voting code was already used by someone else."), code="code_used")
    if voter is None and existing.voter_id is not None:
        raise NotAllowed(
            _("This voting code was used by an account: log in to that account to vote or change its ballots."),
            code="code_of_account",
        )
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


# --- What the ballot page says before the form ---------------------------------------------------

ONLINE_REFUSALS = {
    BallotChannel.PAPER: gettext_lazy(
        "You voted on paper on %(date)s: that ballot counts and cannot be changed online."
    ),
    BallotChannel.ASSISTED: gettext_lazy(
        "You voted at a desk on %(date)s: that ballot counts and cannot be changed online."
    ),
    BallotChannel.IMPORTED: gettext_lazy("Your ballot of %(date)s was imported and cannot be changed online."),
}


def ballot_refusal(*, budget: Budget, voter, existing: Ballot | None = None, now=None) -> str:
    """Why this logged-in person cannot vote online in ``budget``, said before they fill the ballot,
    or "" when they may (or when it depends on what they will type: a code, a birth year, a district).

    ``existing``: their ballot in this budget, if the caller read it already."""
    if voter is None or not voter.is_authenticated:
        return ""
    page = budget.page
    try:
        check_open(page, now or timezone.now())
        if not page.use_voting_codes:
            _check_account(page=page, voter=voter, code=None, channel=BallotChannel.ONLINE)
        if existing is None:
            existing = Ballot.objects.filter(budget=budget, voter=voter).first()
        if existing is not None and existing.channel != BallotChannel.ONLINE:
            return str(ONLINE_REFUSALS[existing.channel]) % {"date": _when(existing.updated_at)}
        declared = (
            Ballot.objects.filter(budget__page=page, voter=voter)
            .exclude(declared_area=None)
            .values_list("declared_area_id", flat=True)
            .first()
        )
        if not page.require_residence or declared is not None:
            district_id = declared or voter.home_area_id
            if district_id is not None:
                _check_budget_district(budget=budget, page=page, district_id=district_id)
        if existing is None:
            check_person(
                budget=budget,
                page=page,
                voter=voter,
                code=None,
                declared_area=Area(pk=declared) if declared is not None else None,
            )
    except NotAllowed as exc:
        return exc.message
    return ""
