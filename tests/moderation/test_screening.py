"""Automatic holds: personal data and watched words."""

import pytest

from civic.moderation.models import HoldReason, ModerationSettings
from civic.moderation.screening import find_personal_data, find_watched_words, screen


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "01 42 68 53 00",
        "appelez le 07 98 76 54 32 après 18h",
        "jean.dupont@example.org",
        "écrivez à marie+mairie@sub.example.fr svp",
    ],
)
def test_personal_data_is_found(text):
    assert find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le budget est de 1 200 000 euros",
        "Rendez-vous le 12/03/2026 à 18h30",
        "Code postal 69007, rue 12",
        "Ticket 123456789012",
        "un @ tout seul",
        "Version 06 12 34",
    ],
)
def test_ordinary_numbers_are_not_personal_data(text):
    assert find_personal_data(text) == []


def test_watched_words_ignore_case_and_accents_and_match_whole_words():
    words = ("arnaque*", "nul", "très mauvais")
    assert find_watched_words("Une ARNAQUE !", words) == ["arnaque"]
    assert find_watched_words("des arnaqueurs", words) == ["arnaqueurs"]
    assert find_watched_words("c'est Nul", words) == ["nul"]
    assert find_watched_words("annulé, nullement", words) == []
    assert find_watched_words("Tres   MAUVAIS travail", words) == ["tres   mauvais"]


def test_words_edited_in_the_admin_are_used(db, settings):
    settings.CIVIC_MODERATION_HELD_WORDS = ["escroc"]
    setting = ModerationSettings.load()
    setting.held_words = "  voyou \n\n magouille*\n"
    setting.save()
    assert find_watched_words("Un voyou qui magouillait, un escroc")
    assert screen(["Ces magouilles"]).reason == HoldReason.HELD_WORDS
    assert screen(["Un texte aimable"]) is None


def test_personal_data_comes_first_and_can_be_switched_off(db, settings):
    assert screen(["06 12 34 56 78"]).reason == HoldReason.PERSONAL_DATA
    settings.CIVIC_MODERATION_HOLD_PERSONAL_DATA = False
    assert screen(["06 12 34 56 78"]) is None


def test_moderators_see_what_held_a_text_highlighted(db, settings):
    from civic.moderation.templatetags.moderation_tags import highlight_holds

    settings.CIVIC_MODERATION_HELD_WORDS = ["escroc*"]
    html = highlight_holds("Un ESCROCS <b>!</b>\nAppelez le 06 12 34 56 78")
    assert html == ("Un <mark>ESCROCS</mark> &lt;b&gt;!&lt;/b&gt;<br>\nAppelez le <mark>06 12 34 56 78</mark>")
    assert highlight_holds("Évidemment élu") == "Évidemment élu"
    settings.CIVIC_MODERATION_HELD_WORDS = ["elu"]
    assert highlight_holds("Évidemment élu") == "Évidemment <mark>élu</mark>"
