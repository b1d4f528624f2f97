"""``{% load discussions_tags %}{% comments_for object %}``: the discussion of any object.

The page that shows ``object`` has already decided that the viewer may see it; the tag decides
what they may do in the discussion. Query string parameters: ``comments_sort`` and ``comments_page``.

A page shows a few dozen comments, so the work done for each one is kept small: what the
viewer may do is decided from the loaded rows (``Viewer.actions``, no query), and the comments
themselves are written by ``CommentRenderer`` (``comment_html.py``) rather than by an
``{% include %}`` per comment; ``discussions/thread.html`` prints them as one block. See the
"Discussions" section of docs/architecture.md.
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .. import conf
from ..comment_html import CommentRenderer
from ..forms import CommentForm
from ..models import Comment, target_content_type
from ..selectors import Sort, Viewer, thread_comments, thread_counts

register = template.Library()


class _CountedPaginator(Paginator):
    """A paginator told the number of items (counted with the thread's other figures)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


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

    create_url = reverse("comment-create", args=[content_type.pk, target.pk])
    max_length = conf.get("CIVIC_DISCUSSIONS_MAX_LENGTH")
    renderer = CommentRenderer(
        viewer=viewer,
        comment_type_id=comment_type.pk,
        next_url=next_url,
        create_url=create_url,
        csrf_input=_csrf_input(request),
        max_length=max_length,
    )
    comments_html = renderer.render(page.object_list)
    heading = min(max(int(heading_level), 2), 5)
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
        "heading_tag": f"h{heading}",
        "reply_heading_tag": f"h{heading + 1}",
        "title": title,
        "count": public_count,
        "comments_html": comments_html,
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
        "max_length": max_length,
        "create_url": create_url,
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


def _csrf_input(request) -> str:
    if request is None:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))


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
