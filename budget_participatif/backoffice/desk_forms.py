"""Forms of the voting desk and voting codes screens (``desk.py``): identity, ballot entry, codes.

The import form checks a list line by line before anything is stored, so an agent is told every
line to fix (with its number) and nothing is half-imported.
"""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.territory.models import Area, AreaKind

from ..models import BallotChannel, Budget, BudgetPage, VoteScope, VotingCode

MAX_CODES = 100_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_LISTED_ERRORS = 20
HEADER_WORDS = {"code", "codes", "voting code", "voting_code", "code de vote", "codes de vote"}
CODE_TEXT = re.compile(r"^[A-Za-z0-9 \-]+$")


def districts():
    return Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.QUARTIER]).defer("geometry").order_by("name")


class VoterForm(forms.Form):
    """Who votes: an account (by its email) or a voting code of the campaign, or both."""

    email = forms.EmailField(
        label=gettext_lazy("Account email"),
        required=False,
        help_text=gettext_lazy("The address the person uses to log in."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    voting_code = forms.CharField(
        label=gettext_lazy("Voting code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("As printed on the letter; dashes, spaces and case do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, page: BudgetPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.voter = None
        self.code = None
        if page.use_voting_codes:
            self.fields["voting_code"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            self.voter = get_user_model().objects.filter(email__iexact=email).select_related("home_area").first()
            if self.voter is None:
                raise ValidationError(
                    _("No account uses this email address. Check the spelling, or identify the person by their code.")
                )
        return email

    def clean_voting_code(self):
        text = self.cleaned_data["voting_code"].strip()
        if text:
            self.code = (
                VotingCode.objects.filter(page=self.page, code_hash=VotingCode.hash(text))
                .select_related("area")
                .first()
            )
            if self.code is None:
                raise ValidationError(_("This voting code is not valid for this campaign. Check the letter."))
        return text

    def clean(self):
        data = super().clean()
        if not self.errors and self.voter is None and self.code is None:
            raise ValidationError(_("Identify the voter: their account email or their voting code."))
        return data


class BallotEntryForm(VoterForm):
    """The identity again (hidden), what the voter declares, the channel and the correction box."""

    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), required=False)
    area = forms.ModelChoiceField(
        label=gettext_lazy("District where the person lives"), queryset=Area.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("How the person votes"),
        choices=[
            (BallotChannel.PAPER, gettext_lazy("Paper ballot, typed by the agent")),
            (BallotChannel.ASSISTED, gettext_lazy("Helped at the desk (assisted vote)")),
        ],
        initial=BallotChannel.PAPER,
        widget=forms.RadioSelect,
    )
    correct = forms.BooleanField(
        label=gettext_lazy("Correct: replace the ballot already recorded for this person"), required=False
    )

    def __init__(self, *args, budget: Budget, **kwargs):
        super().__init__(*args, page=budget.page, **kwargs)
        page = budget.page
        self.fields["email"].widget = forms.HiddenInput()
        self.fields["voting_code"].widget = forms.HiddenInput()
        if page.minimum_age:
            self.fields["birth_year"].required = True
            self.fields["birth_year"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        else:
            del self.fields["birth_year"]
        if page.require_residence or (budget.area_id and page.vote_scope == VoteScope.HOME_AND_CITY):
            self.fields["area"].queryset = districts()
            self.fields["area"].required = page.require_residence
            self.fields["area"].empty_label = _("Not declared")
            if not page.require_residence:
                self.fields["area"].help_text = _("Only if the account has no home district or the code none.")
        else:
            del self.fields["area"]


class CodeGenerateForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("Number of codes"), min_value=1, max_value=MAX_CODES)
    area = forms.ModelChoiceField(
        label=gettext_lazy("District of the addressees"),
        queryset=Area.objects.none(),
        required=False,
        help_text=gettext_lazy("Optional: a code of a district counts as a declared residence there."),
    )
    batch = forms.CharField(
        label=gettext_lazy("Batch label"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("To recognise the mailing, e.g. “Letters north district”. Empty: date and time."),
    )

    def __init__(self, *args, page: BudgetPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["area"].queryset = districts()
        self.fields["area"].empty_label = _("No district")

    def clean_batch(self):
        batch = self.cleaned_data["batch"].strip()
        if not batch:
            batch = _("Generated on %(date)s") % {
                "date": formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
            }
        if VotingCode.objects.filter(page=self.page, batch=batch).exists():
            raise ValidationError(
                _("The batch “%(batch)s” already has codes: give this one another label.") % {"batch": batch}
            )
        return batch


class CodeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy("Text or CSV (UTF-8): one code per line, in the first column."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy("One code per line."),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("District of the addressees"), queryset=Area.objects.none(), required=False
    )
    batch = forms.CharField(label=gettext_lazy("Batch label"), max_length=80, required=False)

    def __init__(self, *args, page: BudgetPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["area"].queryset = districts()
        self.fields["area"].empty_label = _("No district")

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "")
        if upload and text.strip():
            raise ValidationError(_("Give either a file or a pasted list, not both."))
        if upload:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError(_("This file is larger than 5 MB: split it into several imports."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError(
                    _("This file is not UTF-8 text. Save it as “CSV UTF-8” or plain text and choose it again.")
                ) from exc
        elif not text.strip():
            raise ValidationError(_("Choose a file or paste the codes."))
        data["codes"] = self.codes_from(text)
        return data

    def codes_from(self, text: str) -> list[str]:
        """The codes of the list, or ValidationError naming each bad line (nothing is stored then)."""
        errors, codes, lines_of = [], [], {}
        first = True
        for number, line in enumerate(text.splitlines(), start=1):
            cell = re.split(r"[;,\t]", line, maxsplit=1)[0].strip().strip('"').strip()
            if not cell:
                continue
            if first and cell.lower() in HEADER_WORDS:
                first = False
                continue
            first = False
            clear = VotingCode.normalise(cell)
            if not CODE_TEXT.match(cell):
                errors.append(
                    _("Line %(line)d: “%(text)s” holds characters a code cannot have (letters, digits, dashes only).")
                    % {"line": number, "text": cell[:40]}
                )
            elif len(clear) < 8:
                errors.append(
                    _("Line %(line)d: “%(text)s” is too short: a code has at least 8 letters or digits.")
                    % {"line": number, "text": cell}
                )
            elif len(clear) > 32:
                errors.append(
                    _("Line %(line)d: “%(text)s…” is too long: a code has at most 32 letters or digits.")
                    % {"line": number, "text": cell[:20]}
                )
            elif clear in lines_of:
                errors.append(
                    _("Line %(line)d: the same code as line %(first)d.") % {"line": number, "first": lines_of[clear]}
                )
            else:
                lines_of[clear] = number
                codes.append(clear)
        if len(codes) > MAX_CODES:
            errors.insert(0, _("Import at most 100,000 codes at a time."))
        if not errors:
            errors = self._already_known(codes, lines_of)
        if errors:
            if len(errors) > MAX_LISTED_ERRORS:
                extra = len(errors) - MAX_LISTED_ERRORS
                errors = errors[:MAX_LISTED_ERRORS] + [_("…and %(count)d more lines to fix.") % {"count": extra}]
            raise ValidationError([*errors, _("Nothing was imported: fix these lines and import the list again.")])
        if not codes:
            raise ValidationError(_("No code found in this list."))
        return codes

    def _already_known(self, codes: list[str], lines_of: dict[str, int]) -> list[str]:
        hashed = {VotingCode.hash(code): code for code in codes}
        known: list[int] = []
        hashes = list(hashed)
        for start in range(0, len(hashes), 500):
            found = VotingCode.objects.filter(code_hash__in=hashes[start : start + 500]).values_list(
                "code_hash", flat=True
            )
            known.extend(lines_of[hashed[value]] for value in found)
        return [_("Line %(line)d: this code is already registered.") % {"line": line} for line in sorted(known)]
