from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView

from .emails import unsubscribe_token_read
from .forms import NotificationPreferenceForm
from .models import EmailFrequency, Notification
from .selectors import can_follow, follows_of, is_following, preference_of, target_from_key
from .services import (
    email_unsubscribe,
    follow_create,
    follow_delete,
    notification_preference_update,
    notifications_mark_read,
)


def _next_url(request, fallback: str) -> str:
    """The ``next`` the form carried if it stays on this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notification_list.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)


class NotificationMarkReadView(LoginRequiredMixin, View):
    """Mark one notification read and go back to the list page it was on."""

    def post(self, request, pk):
        notifications_mark_read(user=request.user, ids=[pk])
        return redirect(_next_url(request, reverse("notification-list")))


class NotificationMarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        if notifications_mark_read(user=request.user):
            messages.success(request, _("All your notifications are marked as read."))
        return redirect(_next_url(request, reverse("notification-list")))


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow a notification's link and mark it read on the way."""

    def get(self, request, pk):
        notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
        if notification is None:
            return redirect("notification-list")
        notifications_mark_read(user=request.user, ids=[pk])
        target = (
            notification.url if notification.url.startswith("/") and not notification.url.startswith("//") else None
        )
        return redirect(target or "notification-list")


class FollowToggleView(View):
    """Follow or stop following a space or a contribution.

    The form posts ``content_type_id``, ``object_pk``, ``action`` (follow or unfollow; none: the
    opposite of now) and ``next``. Without JavaScript the answer is a redirect to ``next``; asked
    for JSON (the enhanced button), it is ``{"following": bool, "message": str}``.
    """

    http_method_names = ["post"]

    def post(self, request):
        next_url = _next_url(request, reverse("follow-list"))
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        target = target_from_key(request.POST.get("content_type_id"), request.POST.get("object_pk"))
        if target is None:
            raise Http404(_("There is nothing to follow here."))
        action = request.POST.get("action")
        if action not in {"follow", "unfollow"}:
            action = "unfollow" if is_following(request.user, target) else "follow"
        visible = can_follow(request, target)
        if action == "follow":
            if not visible:
                raise Http404(_("There is nothing to follow here."))
            follow_create(user=request.user, target=target)
            message = _("You follow “%(name)s”: you will be notified of what happens there.") % {"name": target}
        elif visible:
            follow_delete(user=request.user, target=target)
            message = _("You no longer follow “%(name)s”.") % {"name": target}
        elif follow_delete(user=request.user, target=target):
            # Still followed but hidden from them now (held, withdrawn): stop, without naming it.
            message = _("You no longer follow it.")
        else:
            raise Http404(_("There is nothing to follow here."))
        if _wants_json(request):
            return JsonResponse({"following": action == "follow", "message": message})
        messages.success(request, message)
        return redirect(next_url)


class FollowListView(LoginRequiredMixin, ListView):
    """What I follow."""

    template_name = "notifications/follow_list.html"
    paginate_by = 30
    context_object_name = "follows"

    def get_queryset(self):
        return follows_of(self.request.user)


class NotificationPreferenceView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = NotificationPreferenceForm

    def get_initial(self):
        preference = preference_of(self.request.user)
        return {
            "email_frequency": preference.email_frequency,
            "language": preference.language or getattr(self.request, "LANGUAGE_CODE", ""),
        }

    def form_valid(self, form):
        notification_preference_update(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your email preferences have been saved."))
        return redirect("notification-preferences")


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class EmailUnsubscribeView(View):
    """The link in every notification email: stop those emails without logging in.

    GET only asks for confirmation (mail scanners open links); POST applies, including the
    one-click POST of RFC 8058 that mail clients send with ``List-Unsubscribe=One-Click``. The signed
    token is the only credential, hence no CSRF check.
    """

    template_name = "notifications/unsubscribe.html"

    def dispatch(self, request, token):
        try:
            user_id, self.scope = unsubscribe_token_read(token)
        except signing.SignatureExpired:
            return self.error(request, expired=True)
        except signing.BadSignature:
            return self.error(request, expired=False)
        self.person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if self.person is None:
            return self.error(request, expired=False)
        return super().dispatch(request, token)

    def error(self, request, *, expired: bool):
        return render(request, self.template_name, {"state": "error", "expired": expired}, status=400)

    def get(self, request, token):
        preference = preference_of(self.person)
        state = "already" if preference.email_frequency == EmailFrequency.NEVER else "confirm"
        return render(request, self.template_name, {"state": state, "email": _masked(self.person.email)})

    def post(self, request, token):
        email_unsubscribe(user_id=self.person.pk, scope=self.scope)
        return render(request, self.template_name, {"state": "done", "email": _masked(self.person.email)})


def _masked(email: str) -> str:
    """j•••@example.org: enough for the person to recognise their address, not for anyone else."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
