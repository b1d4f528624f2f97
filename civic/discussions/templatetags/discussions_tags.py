"""``{% load discussions_tags %}{% comments_for object %}``: the discussion of any object.

The page that shows ``object`` has already decided that the viewer may see it; the tag decides
what they may do in the discussion. Query string parameters: ``comments_sort`` and ``comments_page``.

A page shows a few dozen comments, so the work done for each one is kept small: what the
viewer may do is decided from the loaded rows (``Viewer.actions``, no query), and everything a
comment's template needs (texts, dates, URLs, CSS classes) is prepared here as plain values, so
that ``discussions/comment.html`` only prints them. URLs are reversed once per page, not once
per comment. See the "Discussions" section of docs/performance.md.
"""

from collections.abc import Callable
from urllib.parse import quote

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from civic.moderation.models import ModerationState

from .. import conf
from ..forms import CommentForm
from ..models import Comment, target_content_type
from ..rendering import render_body
from ..selectors import Sort, Viewer, thread_comments, thread_counts

register = template.Library()

# Stands for a comment's id in a URL reversed once per page (see ``_url_for_id``).
_ID_SENTINEL = "918273645"


class _CountedPaginator(Paginator):
    """A paginator told the number of items (counted with the thread's other figures)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _url_for_id(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=[*args, id])`` for any id, reversing only once."""
    url = reverse(name, args=[*args, int(_ID_SENTINEL)])
    head, _sentinel, tail = url.rpartition(_ID_SENTINEL)
    return lambda pk: f"{head}{pk}{tail}"


@register.inclusion_tag("discussions/thread.html", takes_context=True)
def comments_for(context, target, heading_level: int = 2, title: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    params = request.GET if request is not None else {}
    sort = Sort.clean(params.get("comments_sort"))
    content_type = target_content_type(target)
    comment_type = ContentType.objects.get_for_model(Comment)
    viewer = Viewer.for_thread(user=user, target=target)
    listed, public_count = thread_counts(target=target, user=user)
    comments = thread_comments(target=target, user=user, sort=sort)
    paginator = _CountedPaginator(comments, conf.get("CIVIC_DISCUSSIONS_PAGE_SIZE"), count=listed)
    page = paginator.get_page(params.get("comments_page"))
    path = request.path if request is not None else ""
    query = params.copy() if request is not None else QueryDict(mutable=True)
    next_url = request.get_full_path() if request is not None else ""

    def url(**changes) -> str:
        changed = query.copy()
        for key, value in changes.items():
            if value in (None, ""):
                changed.pop(key, None)
            else:
                changed[key] = value
        encoded = changed.urlencode()
        return f"{path}?{encoded}#comments" if encoded else f"{path}#comments"

    row_for = _RowBuilder(viewer=viewer, comment_type_id=comment_type.pk, next_url=next_url)
    rows = [row_for(comment, replies=getattr(comment, "visible_replies", [])) for comment in page.object_list]
    heading = min(max(int(heading_level), 2), 5)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        # Once per page rather than once per comment: the hidden CSRF field and the comment's words.
        "csrf_input": _csrf_input(request),
        "labels": _comment_labels(),
        "target": target,
        "content_type_id": content_type.pk,
        "object_pk": str(target.pk),
        "thread_id": f"thread-{content_type.pk}-{target.pk}",
        "config_id": f"thread-{content_type.pk}-{target.pk}-config",
        "login_url": reverse("account_login") + "?" + urlencode({"next": f"{path}#comments"}),
        "heading_tag": f"h{heading}",
        "reply_heading_tag": f"h{heading + 1}",
        "title": title,
        "count": public_count,
        "rows": rows,
        "page_obj": page,
        "sort": sort,
        "sort_links": [
            {"label": label, "url": url(comments_sort=value, comments_page=None), "current": value == sort}
            for value, label in Sort.choices
        ],
        "previous_url": url(comments_page=page.previous_page_number()) if page.has_previous() else "",
        "next_page_url": url(comments_page=page.next_page_number()) if page.has_next() else "",
        "next_url": next_url,
        "viewer": viewer,
        "help_text": CommentForm.base_fields["body"].help_text,
        "max_length": conf.get("CIVIC_DISCUSSIONS_MAX_LENGTH"),
        "create_url": reverse("comment-create", args=[content_type.pk, target.pk]),
        "js_config": {
            "socketPath": f"/ws/discussions/{content_type.pk}/{target.pk}/",
            "apiUrl": reverse("api-comment-list", args=[content_type.pk, target.pk]),
            "supportUrl": reverse("api-comment-support", args=[0]).replace("/0/", "/{id}/"),
            "editUrl": reverse("comment-edit", args=[0]).replace("/0/", "/{id}/"),
            "deleteUrl": reverse("comment-delete", args=[0]).replace("/0/", "/{id}/"),
            "flagUrl": reverse("flag-create", args=[comment_type.pk, "__id__"]).replace("__id__", "{id}"),
            "sort": sort,
            # New top-level comments are inserted where the viewer would see them: first page, newest first.
            "insertTopLevel": page.number == 1 and sort == Sort.NEWEST,
            "loggedIn": bool(user is not None and user.is_authenticated),
            "mayComment": viewer.may_comment,
            "labels": _js_labels(),
        },
    }


class _RowBuilder:
    """Turns a comment into what ``discussions/comment.html`` prints, for one viewer and page."""

    def __init__(self, *, viewer: Viewer, comment_type_id: int, next_url: str):
        self.viewer = viewer
        self.former_participant = _("Former participant")
        next_query = "?next=" + quote(next_url, safe="/")  # as the ``urlencode`` filter does
        support_url = _url_for_id("comment-support")
        flag_url = _url_for_id("flag-create", comment_type_id)
        edit_url = _url_for_id("comment-edit")
        delete_url = _url_for_id("comment-delete")
        self.support_url = support_url
        self.flag_url = lambda pk: flag_url(pk) + next_query
        self.edit_url = lambda pk: edit_url(pk) + next_query
        self.delete_url = lambda pk: delete_url(pk) + next_query

    def __call__(self, comment: Comment, *, replies=None, is_reply: bool = False) -> dict:
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
        row = {
            "id": str(pk),
            "classes": classes,
            "is_reply": is_reply,
            "readable": readable,
            "deleted": comment.is_deleted,
            "can_reply": actions["can_reply"],
        }
        if not is_reply:
            row["replies"] = [self(reply, is_reply=True) for reply in replies or ()]
        if not readable:
            return row
        created = localtime(comment.created_at)
        state = comment.moderation_state
        row.update(
            author=comment.author.display_name if comment.author is not None else self.former_participant,
            created_iso=created.isoformat(),  # what the ``date:"c"`` filter prints
            created_display=date_format(created, "DATETIME_FORMAT"),
            edited=comment.edited_at is not None,
            edited_by_moderator=comment.edited_by_moderator_at is not None,
            status=(
                "pending"
                if own and state == ModerationState.PENDING
                else "hidden"
                if own and state in (ModerationState.HIDDEN, ModerationState.REJECTED)
                else ""
            ),
            moderation_reason=comment.moderation_reason,
            body_html=render_body(comment.body),
            support_count=comment.support_count,
            can_support=actions["can_support"],
            supported=bool(getattr(comment, "viewer_supported", False)),
            support_url=self.support_url(pk) if actions["can_support"] else "",
            can_flag=actions["can_flag"],
            flagged=bool(getattr(comment, "viewer_flagged", False)),
            flag_url=self.flag_url(pk) if actions["can_flag"] else "",
            edit_url=self.edit_url(pk) if actions["can_edit"] else "",
            delete_url=self.delete_url(pk) if actions["can_delete"] else "",
        )
        return row


def _csrf_input(request) -> str:
    if request is None:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))


def _comment_labels() -> dict[str, str]:
    """The words of ``discussions/comment.html``, translated once per page."""
    return {
        "edited": _("edited"),
        "edited_by_moderation": _("edited by moderation"),
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


def _js_labels() -> dict[str, str]:
    """Strings the live thread script needs, translated here so the page's language applies."""
    return {
        "support": _("Support"),
        "supported": _("Supported"),
        "supports": _("supports"),
        "flag": _("Report"),
        "reply": _("Reply"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "replyLabel": _("Your reply"),
        "send": _("Publish the reply"),
        "edited": _("edited"),
        "deleted": _("Comment deleted by its author."),
        "hidden": _("Comment hidden by moderation."),
        "pending": _("Awaiting moderation: only you can see this comment for now."),
        "formerParticipant": _("Former participant"),
        "newComment": _("New comment by %(author)s."),
        "newComments": _("New comments have been posted."),
        "showNew": _("Show the new comments"),
        "published": _("Your comment is published."),
        "awaiting": _("Thank you. Your comment will be published once a moderator has read it."),
        "error": _("Your comment could not be sent. Check your connection and try again."),
        "retryAfter": _("Please wait before trying again."),
    }
