"""``{% load discussions_tags %}{% comments_for object %}``: the discussion of any object.

The page that shows ``object`` has already decided that the viewer may see it; the tag decides
what they may do in the discussion. Query string parameters: ``comments_sort`` and ``comments_page``.
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from civic.moderation.models import ModerationState

from .. import conf
from ..forms import CommentForm
from ..models import Comment, target_content_type
from ..rendering import render_body
from ..selectors import Sort, Viewer, public_comment_count, thread_comments

register = template.Library()


@register.inclusion_tag("discussions/thread.html", takes_context=True)
def comments_for(context, target, heading_level: int = 2, title: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    params = request.GET if request is not None else {}
    sort = Sort.clean(params.get("comments_sort"))
    content_type = target_content_type(target)
    comment_type = ContentType.objects.get_for_model(Comment)
    viewer = Viewer.for_thread(user=user, target=target)
    comments = thread_comments(target=target, user=user, sort=sort)
    page = Paginator(comments, conf.get("CIVIC_DISCUSSIONS_PAGE_SIZE")).get_page(params.get("comments_page"))
    path = request.path if request is not None else ""
    query = params.copy() if request is not None else QueryDict(mutable=True)

    def url(**changes) -> str:
        changed = query.copy()
        for key, value in changes.items():
            if value in (None, ""):
                changed.pop(key, None)
            else:
                changed[key] = value
        encoded = changed.urlencode()
        return f"{path}?{encoded}#comments" if encoded else f"{path}#comments"

    rows = []
    for comment in page.object_list:
        replies = [_row(reply, viewer) for reply in getattr(comment, "visible_replies", [])]
        rows.append({**_row(comment, viewer), "replies": replies})
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "content_type_id": content_type.pk,
        "object_pk": str(target.pk),
        "thread_id": f"thread-{content_type.pk}-{target.pk}",
        "config_id": f"thread-{content_type.pk}-{target.pk}-config",
        "login_url": reverse("account_login") + "?" + urlencode({"next": f"{path}#comments"}),
        "heading_tag": f"h{min(max(int(heading_level), 2), 5)}",
        "reply_heading_tag": f"h{min(max(int(heading_level), 2), 5) + 1}",
        "title": title,
        "count": public_comment_count(target=target),
        "rows": rows,
        "page_obj": page,
        "sort": sort,
        "sort_links": [
            {"label": label, "url": url(comments_sort=value, comments_page=None), "current": value == sort}
            for value, label in Sort.choices
        ],
        "previous_url": url(comments_page=page.previous_page_number()) if page.has_previous() else "",
        "next_page_url": url(comments_page=page.next_page_number()) if page.has_next() else "",
        "next_url": request.get_full_path() if request is not None else "",
        "viewer": viewer,
        "form": CommentForm(initial={"next": request.get_full_path() if request is not None else ""}),
        "create_url": reverse("comment-create", args=[content_type.pk, target.pk]),
        "comment_content_type_id": comment_type.pk,
        "states": ModerationState,
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


def _row(comment, viewer: Viewer) -> dict:
    actions = viewer.actions(comment)
    readable = not comment.is_deleted and (comment.is_public or actions["own"])
    return {
        "comment": comment,
        "body_html": render_body(comment.body) if readable else "",
        "readable": readable,
        "supported": bool(getattr(comment, "viewer_supported", False)),
        "flagged": bool(getattr(comment, "viewer_flagged", False)),
        **actions,
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
