"""Automatic holds: words on the watch list and personal data in what people write."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from . import conf
from .models import HoldReason

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12..., 0033 6 12 34 56 78
FRENCH_PHONE_RE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)",
)


@dataclass(frozen=True)
class Hold:
    reason: HoldReason
    explanation: str


def normalise(text: str) -> str:
    """Lower case without accents, so that watch words match whatever the spelling of case and accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@lru_cache(maxsize=32)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for word in words:
        word = normalise(word).strip()
        if not word:
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*").strip()
        if not word:
            continue
        body = r"\s+".join(re.escape(piece) for piece in word.split())
        ending = r"\w*" if prefix else r"(?!\w)"
        parts.append(r"(?<!\w)" + body + ending)
    return re.compile("|".join(parts)) if parts else None


def watched_words() -> tuple[str, ...]:
    from .models import ModerationSettings

    words = list(conf.get("CIVIC_MODERATION_HELD_WORDS"))
    words += ModerationSettings.load().word_list()
    return tuple(sorted(set(words)))


def watched_pattern(words: tuple[str, ...] | None = None) -> re.Pattern | None:
    """The compiled watch list (from the settings and the admin), matching normalised text."""
    return _word_pattern(watched_words() if words is None else tuple(words))


def find_watched_words(text: str, words: tuple[str, ...] | None = None) -> list[str]:
    pattern = watched_pattern(words)
    if pattern is None:
        return []
    return sorted({match.group(0) for match in pattern.finditer(normalise(text))})


def find_personal_data(text: str) -> list[str]:
    """Email addresses and French phone numbers found in ``text``."""
    return [m.group(0) for m in EMAIL_RE.finditer(text or "")] + [
        m.group(0) for m in FRENCH_PHONE_RE.finditer(text or "")
    ]


def screen(texts) -> Hold | None:
    """Why these texts should wait for a moderator, or None when they may be published."""
    text = "\n".join(texts)
    if conf.get("CIVIC_MODERATION_HOLD_PERSONAL_DATA") and find_personal_data(text):
        return Hold(
            HoldReason.PERSONAL_DATA,
            str(_("It seems to contain an email address or a phone number; a moderator will check it.")),
        )
    if find_watched_words(text):
        return Hold(HoldReason.HELD_WORDS, str(_("A moderator will read it before it is published.")))
    return None
