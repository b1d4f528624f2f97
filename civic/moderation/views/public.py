"""The public side of moderation: flagging a contribution."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from .. import registry
from ..exceptions import ParticipationError, RateLimited
from ..forms import FlagForm
from ..limits import client_ip
from ..services import flag_create


def _next_url(request, item) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return registry.url_of(item) or "/"


class FlagCreateView(LoginRequiredMixin, View):
    """/moderation/signaler/<content_type_id>/<pk>/: tell the moderators what is wrong with a contribution."""

    template_name = "moderation/flag_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = registry.get_item(kwargs["content_type_id"], kwargs["object_pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
            self.item is None or not self.item.is_published or getattr(self.item, "deleted_at", None)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        context = {
            "form": form,
            "item": self.item,
            "item_label": registry.entry_for(self.item).label,
            "item_text": registry.text_of(self.item),
            "item_url": registry.url_of(self.item),
            "may_flag": self.request.user.has_perm("civic_moderation.flag_contribution", self.item),
            "next_url": _next_url(self.request, self.item),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(FlagForm(initial={"next": _next_url(request, self.item)}))

    def post(self, request, *args, **kwargs):
        form = FlagForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            flag_create(
                user=request.user,
                item=self.item,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                ip=client_ip(request),
            )
        except ParticipationError as exc:
            form.add_error(None, exc.message)
            response = self.render(form, status=exc.status)
            if isinstance(exc, RateLimited):
                response["Retry-After"] = str(exc.retry_after)
            return response
        messages.success(request, _("Thank you. The moderators will look at it."))
        return redirect(_next_url(request, self.item))
