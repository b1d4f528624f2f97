"""Comment forms that work without JavaScript: POST, then redirect back to the thread.

When something is refused, a small page explains why and keeps what the person wrote.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from civic.core.ids import object_for_key
from civic.moderation.exceptions import ParticipationError, RateLimited
from civic.moderation.limits import client_ip
from civic.moderation.registry import object_url

from .forms import CommentEditForm, CommentForm
from .models import Comment
from .services import comment_create, comment_delete, comment_edit, comment_support, comment_unsupport


def _target(content_type_id: int, object_pk: str):
    target = object_for_key(content_type_id, object_pk)
    if target is None:
        raise Http404
    return target


def _back(request, target, anchor: str = "") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if not url or not url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        url = object_url(target) or "/"
    url = url.split("#")[0]
    return f"{url}#{anchor}" if anchor else url


def _refused(request, *, template, context, exc: ParticipationError):
    response = TemplateResponse(request, template, {**context, "error": exc.message}, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


class CommentCreateView(LoginRequiredMixin, View):
    """POST a comment or a reply on any object that allows it."""

    template_name = "discussions/comment_form_page.html"
    http_method_names = ["post"]

    def handle_no_permission(self):
        target = _target(self.kwargs["content_type_id"], self.kwargs["object_pk"])
        return redirect_to_login(_back(self.request, target, "comments"))

    def post(self, request, content_type_id, object_pk):
        target = _target(content_type_id, object_pk)
        form = CommentForm(request.POST)
        context = {"form": form, "target": target, "target_url": _back(request, target, "comments")}
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, context, status=400)
        parent = None
        if parent_id := form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=parent_id).select_related("parent").first()
            if parent is None:
                raise Http404
        try:
            comment = comment_create(
                author=request.user,
                target=target,
                body=form.cleaned_data["body"],
                parent=parent,
                ip=client_ip(request),
            )
        except ParticipationError as exc:
            return _refused(request, template=self.template_name, context=context, exc=exc)
        if comment.is_public:
            messages.success(request, _("Your comment is published."))
        else:
            messages.info(request, _("Thank you. Your comment will be published once a moderator has read it."))
        return HttpResponseRedirect(_back(request, target, comment.anchor))


class _CommentView(LoginRequiredMixin, View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.comment = get_object_or_404(Comment.objects.select_related("author"), pk=kwargs["pk"])
        self.target = self.comment.target
        if self.target is None:
            raise Http404


class CommentEditView(_CommentView):
    template_name = "discussions/comment_edit.html"

    def context(self, form):
        return {
            "form": form,
            "comment": self.comment,
            "target": self.target,
            "target_url": _back(self.request, self.target, self.comment.anchor),
            "may_edit": self.request.user.has_perm("civic_discussions.edit_comment", self.comment),
        }

    def get(self, request, pk):
        form = CommentEditForm(initial={"body": self.comment.body, "next": request.GET.get("next", "")})
        return TemplateResponse(request, self.template_name, self.context(form))

    def post(self, request, pk):
        form = CommentEditForm(request.POST)
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, self.context(form), status=400)
        try:
            comment_edit(user=request.user, comment=self.comment, body=form.cleaned_data["body"])
        except ParticipationError as exc:
            return _refused(request, template=self.template_name, context=self.context(form), exc=exc)
        if self.comment.is_public:
            messages.success(request, _("Your comment was updated."))
        else:
            messages.info(request, _("Your comment was updated; a moderator will read it before it is published."))
        return HttpResponseRedirect(_back(request, self.target, self.comment.anchor))


class CommentDeleteView(_CommentView):
    template_name = "discussions/comment_confirm_delete.html"

    def context(self):
        return {
            "comment": self.comment,
            "target": self.target,
            "target_url": _back(self.request, self.target, self.comment.anchor),
            "next": self.request.GET.get("next", ""),
            "may_delete": self.request.user.has_perm("civic_discussions.remove_comment", self.comment),
        }

    def get(self, request, pk):
        return TemplateResponse(request, self.template_name, self.context())

    def post(self, request, pk):
        try:
            comment_delete(user=request.user, comment=self.comment)
        except ParticipationError as exc:
            return _refused(request, template=self.template_name, context=self.context(), exc=exc)
        messages.success(request, _("Your comment was deleted."))
        return HttpResponseRedirect(_back(request, self.target, self.comment.anchor))


class CommentSupportView(_CommentView):
    """POST ``support=1`` adds the person's "+1", ``support=0`` withdraws it."""

    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            if request.POST.get("support", "1") == "0":
                comment_unsupport(user=request.user, comment=self.comment)
            else:
                comment_support(user=request.user, comment=self.comment)
        except ParticipationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(_back(request, self.target, self.comment.anchor))
