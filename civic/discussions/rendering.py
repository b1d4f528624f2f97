"""Comment text is plain text: escaped, links made clickable, line breaks kept, then cleaned by nh3.

Nothing people write is trusted: the text is escaped first, so any markup shows as text; only
the ``<a href rel>`` and ``<br>`` this module adds survive nh3's allow-list.
"""

import html
import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel"}}
URL_SCHEMES = {"http", "https"}
LINK_REL = "nofollow ugc noopener noreferrer"

# Runs on escaped text: a URL stops at whitespace or at an escaped quote or angle bracket.
_URL_RE = re.compile(r"\bhttps?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s])+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'"


def _link(match: re.Match) -> str:
    url = match.group(0)
    trail = ""
    while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
        trail = url[-1] + trail
        url = url[:-1]
    while url.endswith("&amp;"):  # a lone "&" ending a sentence
        trail = "&amp;" + trail
        url = url[: -len("&amp;")]
    return f'<a href="{url}" rel="{LINK_REL}">{url}</a>{trail}'


def normalise_text(text: str) -> str:
    """What is stored: no carriage returns or control characters, at most two blank lines in a row."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(char for char in text if char in "\n\t" or ord(char) >= 32 and char != "\x7f")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def render_body(text: str) -> SafeString:
    """HTML for a comment body: inert text, clickable http(s) links, line breaks."""
    return mark_safe(_clean_html(text or ""))  # noqa: S308 - escaped, then cleaned by nh3 with an allow-list


# The HTML depends on the text alone: pages of a busy thread, the API and the live thread ask
# for the same comments again and again, so the last 1,024 results are kept (in memory, per
# process: about 1 MB for comments of 500 characters; an edited comment is new text, a new entry).
@lru_cache(maxsize=1024)
def _clean_html(text: str) -> str:
    escaped = html.escape(text, quote=True)
    linked = _URL_RE.sub(_link, escaped)
    with_breaks = linked.replace("\n", "<br>\n")
    cleaned = nh3.clean(
        with_breaks,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return cleaned


def excerpt(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
