"""The HTML of a thread's comments, built in Python for one viewer and one page.

A thread page shows a few dozen comments and their replies, each with the same markup; through
the template engine, every comment cost an ``{% include %}`` and some forty variable and tag
nodes, the largest part of a logged-in person's page. Here the markup is written once, as
format strings, and filled with values escaped as the template engine escapes them
(``html.escape``, as ``django.utils.html.escape`` does). The markup is the one that
``discussions.js`` reads and builds for live comments: change both together.

What every viewer sees alike, a comment's header (author, date, "edited") and its text, is
kept in a per-process cache keyed by everything it is made of (comment id, author's name,
dates, the language and the time zone; the text by ``rendering.render_body``), so it cannot be
stale: an edited comment or a renamed author is a new key. What depends on the viewer (their own
comment's status, edit and delete links, the support button and its state, the report link,
the reply form) is added per request.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from civic.moderation.models import ModerationState

from .models import Comment
from .rendering import render_body
from .selectors import Viewer

# Stands for a comment's id in a URL reversed once per page (see ``_url_for_id``).
_ID_SENTINEL = "918273645"


def _url_for_id(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=[*args, id])`` for any id, reversing only once."""
    url = reverse(name, args=[*args, int(_ID_SENTINEL)])
    head, _sentinel, tail = url.rpartition(_ID_SENTINEL)
    return lambda pk: f"{head}{pk}{tail}"


@lru_cache(maxsize=4096)
def _header(pk: int, author: str, created_at, edited: bool, edited_by_moderator: bool, language, time_zone) -> str:
    """A comment's header, the same for every viewer. ``language`` and ``time_zone`` are the
    active ones (what ``date_format`` and ``localtime`` use): they are part of the key."""
    created = timezone.localtime(created_at)
    parts = [
        f'<header class="comment__meta">\n'
        f'<span class="comment__author" id="comment-{pk}-author">{escape(author)}</span>\n'
        f'<a class="comment__date" href="#comment-{pk}"><time datetime="{created.isoformat()}">'
        f"{escape(date_format(created, 'DATETIME_FORMAT'))}</time></a>\n"
    ]
    if edited:
        parts.append(f'<span class="comment__edited">· {escape(_("edited"))}</span>\n')
    if edited_by_moderator:
        parts.append(f'<span class="tag">{escape(_("edited by moderation"))}</span>\n')
    parts.append("</header>\n")
    return "".join(parts)


class CommentRenderer:
    """Renders comments (with their replies) as ``<li>`` items for one viewer, page and language.

    Built once per page: words are translated and escaped, URLs reversed and the repeated hidden
    fields prepared here, not once per comment.
    """

    def __init__(
        self,
        *,
        viewer: Viewer,
        comment_type_id: int,
        next_url: str,
        create_url: str,
        csrf_input: str,
        max_length: int,
    ):
        self.viewer = viewer
        self.language = translation.get_language()
        self.time_zone = timezone.get_current_timezone_name()
        self.former_participant = _("Former participant")
        words = {
            "awaiting": _("Awaiting moderation: only you can see this comment for now."),
            "hidden": _("Hidden by moderation: only you can see this comment."),
            "reason": _("Reason:"),
            "support": _("Support"),
            "supports": _("supports"),
            "reported": _("Reported"),
            "report": _("Report"),
            "report_detail": _("this comment to the moderators"),
            "edit": _("Edit"),
            "delete": _("Delete"),
            "deleted": _("Comment deleted by its author."),
            "hidden_placeholder": _("Comment hidden by moderation."),
            "reply": _("Reply"),
            "your_reply": _("Your reply"),
            "publish_reply": _("Publish the reply"),
        }
        self.words = {key: escape(value) for key, value in words.items()}
        next_query = "?next=" + quote(next_url, safe="/")  # as the ``urlencode`` filter does
        support_url = _url_for_id("comment-support")
        flag_url = _url_for_id("flag-create", comment_type_id)
        edit_url = _url_for_id("comment-edit")
        delete_url = _url_for_id("comment-delete")
        self.support_url = lambda pk: escape(support_url(pk))
        self.flag_url = lambda pk: escape(flag_url(pk) + next_query)
        self.edit_url = lambda pk: escape(edit_url(pk) + next_query)
        self.delete_url = lambda pk: escape(delete_url(pk) + next_query)
        # The hidden fields every per-comment form repeats.
        self.next_field = f'<input type="hidden" name="next" value="{escape(next_url)}">'
        self.csrf_input = csrf_input
        self.create_url = escape(create_url)
        self.max_length = escape(localize(max_length))
        # What ``{{ count }}`` prints: ``localize`` gives ``str`` for an integer unless thousands are grouped.
        self.number = localize if settings.USE_THOUSAND_SEPARATOR else str

    def render(self, comments: Iterable[Comment]) -> SafeString:
        """The ``<li>`` of each top-level comment of ``comments``, replies (``visible_replies``) inside."""
        items = [self.item(comment, replies=getattr(comment, "visible_replies", ())) for comment in comments]
        return mark_safe("\n".join(items))  # noqa: S308 - every value is escaped above or comes from render_body

    def item(self, comment: Comment, *, replies: Iterable[Comment] = (), is_reply: bool = False) -> str:
        words = self.words
        actions = self.viewer.actions(comment)
        own = actions["own"]
        readable = not comment.is_deleted and (comment.is_public or own)
        pk = comment.pk
        classes = "comment"
        if is_reply:
            classes += " comment--reply"
        if own:
            classes += " comment--own"
        if not readable:
            classes += " comment--placeholder"
        parts = [f'<li class="{classes}" id="comment-{pk}" data-comment-id="{pk}">\n']
        if readable:
            parts.append(f'<article class="comment__card" aria-labelledby="comment-{pk}-author">\n')
            parts.append(self._readable_card(comment, actions))
        else:
            placeholder = words["deleted"] if comment.is_deleted else words["hidden_placeholder"]
            parts.append(f'<article class="comment__card">\n<p class="comment__placeholder">{placeholder}</p>\n')
        parts.append("</article>\n")
        if not is_reply:
            replies = [self.item(reply, is_reply=True) for reply in replies]
            hidden = "" if replies else " hidden"
            parts.append(f'<ol class="comments comments--replies" data-reply-list{hidden}>\n')
            if replies:
                parts.append("\n".join(replies))
                parts.append("\n")
            parts.append("</ol>\n")
            if actions["can_reply"]:
                parts.append(self._reply_form(pk))
        parts.append("</li>")
        return "".join(parts)

    def _readable_card(self, comment: Comment, actions: dict[str, bool]) -> str:
        words = self.words
        pk = comment.pk
        own = actions["own"]
        author = comment.author.display_name if comment.author is not None else self.former_participant
        parts = [
            _header(
                pk,
                author,
                comment.created_at,
                comment.edited_at is not None,
                comment.edited_by_moderator_at is not None,
                self.language,
                self.time_zone,
            )
        ]
        state = comment.moderation_state
        if own and state == ModerationState.PENDING:
            parts.append(f'<p class="comment__status">{words["awaiting"]}</p>\n')
        elif own and state in (ModerationState.HIDDEN, ModerationState.REJECTED):
            reason = f" {words['reason']} {escape(comment.moderation_reason)}" if comment.moderation_reason else ""
            parts.append(f'<p class="comment__status comment__status--hidden">{words["hidden"]}{reason}</p>\n')
        parts.append(f'<div class="comment__text">{render_body(comment.body)}</div>\n<div class="comment__actions">\n')
        count = self.number(comment.support_count)
        if actions["can_support"]:
            supported = bool(getattr(comment, "viewer_supported", False))
            parts.append(
                f'<form method="post" action="{self.support_url(pk)}" class="inline-form" data-support-form>\n'
                f"{self.csrf_input}{self.next_field}\n"
                f'<input type="hidden" name="support" value="{"0" if supported else "1"}">\n'
                f'<button type="submit" class="support-button" aria-pressed="{"true" if supported else "false"}">\n'
                f'<span aria-hidden="true">+1</span> {words["support"]}\n'
                f'<span class="support-button__count" data-support-count>{count}</span>'
                f'<span class="visually-hidden"> {words["supports"]}</span>\n'
                f"</button>\n</form>\n"
            )
        else:
            hidden = "" if comment.support_count else " hidden"
            parts.append(
                f'<span class="comment__supports" data-support-total{hidden}>'
                f"<span data-support-count>{count}</span> {words['supports']}</span>\n"
            )
        if actions["can_flag"]:
            if getattr(comment, "viewer_flagged", False):
                parts.append(f'<span class="comment__flagged">{words["reported"]}</span>\n')
            else:
                parts.append(
                    f'<a href="{self.flag_url(pk)}" class="comment__flag">{words["report"]}'
                    f'<span class="visually-hidden"> {words["report_detail"]}</span></a>\n'
                )
        if actions["can_edit"]:
            parts.append(f'<a href="{self.edit_url(pk)}">{words["edit"]}</a>\n')
        if actions["can_delete"]:
            parts.append(f'<a href="{self.delete_url(pk)}">{words["delete"]}</a>\n')
        parts.append("</div>\n")
        return "".join(parts)

    def _reply_form(self, pk: int) -> str:
        words = self.words
        return (
            '<details class="comment__reply">\n'
            f"<summary>{words['reply']}</summary>\n"
            f'<form method="post" action="{self.create_url}" class="comment-form comment-form--reply" data-comment-form>\n'
            f"{self.csrf_input}\n{self.next_field}\n"
            f'<input type="hidden" name="parent" value="{pk}">\n'
            '<div class="field">\n'
            f'<label for="reply-{pk}-body">{words["your_reply"]}</label>\n'
            f'<textarea id="reply-{pk}-body" name="body" rows="3" required maxlength="{self.max_length}"'
            f' aria-describedby="reply-{pk}-error"></textarea>\n'
            f'<p class="error" id="reply-{pk}-error" data-form-error role="alert" hidden></p>\n'
            "</div>\n"
            f'<button type="submit">{words["publish_reply"]}</button>\n'
            "</form>\n</details>\n"
        )
