"""Email alerts on new reports: subscribe (logged in or not), confirm, one-click unsubscribe, manage."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from civic.core.ratelimit import client_ip

from ..forms import ReportAlertForm
from ..models import ReportAlert
from ..selectors import portal_page
from ..services.alerts import alert_confirm, alert_delete, alert_from_unsubscribe_token, alert_subscribe


def alert_form_initial(request) -> dict:
    """What the form starts with: the area, point or categories given in the address (the list's filters)."""
    initial = {}
    if request.GET.get("area", "").isdigit():
        initial.update(area=int(request.GET["area"]), where=ReportAlertForm.WHERE_AREA)
    if request.GET.get("lat") and request.GET.get("lon"):
        initial.update(latitude=request.GET["lat"], longitude=request.GET["lon"], where=ReportAlertForm.WHERE_POINT)
    if request.GET.get("category"):
        initial["categories"] = list(
            ReportAlertForm()
            .fields["categories"]
            .queryset.filter(code=request.GET["category"])
            .values_list("pk", flat=True)
        )
    return initial


class ReportAlertCreateView(View):
    """/signalements/alertes/: the subscription form (also embedded in the reports list)."""

    template_name = "signalements/alert_form.html"

    def get(self, request, *, form=None, status=200):
        form = form or ReportAlertForm(user=request.user, initial=alert_form_initial(request))
        return render(request, self.template_name, {"alert_form": form, "page": portal_page()}, status=status)

    def post(self, request):
        form = ReportAlertForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        data = form.cleaned_data
        by_area = data["where"] == ReportAlertForm.WHERE_AREA
        try:
            alert = alert_subscribe(
                email=data["email"],
                user=request.user,
                area=data["area"] if by_area else None,
                longitude=None if by_area else data["longitude"],
                latitude=None if by_area else data["latitude"],
                radius=None if by_area else data["radius"],
                categories=data["categories"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
            return self.get(request, form=form, status=400)
        if alert.is_confirmed:
            messages.success(request, _("Your alert is active: you will receive an email for each new report."))
        else:
            messages.success(
                request,
                _("Almost done: open the link we sent to %(email)s to start receiving the alerts.")
                % {"email": alert.email},
            )
        if request.user.is_authenticated:
            return redirect("report-alert-list")
        return redirect("report-alert-create")


class ReportAlertConfirmView(View):
    def get(self, request, token):
        try:
            alert_confirm(token=token)
        except ValidationError as error:
            return render(
                request,
                "signalements/alert_message.html",
                {"title": _("Alert"), "message": error.messages[0]},
                status=404,
            )
        return render(
            request,
            "signalements/alert_message.html",
            {
                "title": _("Alert confirmed"),
                "message": _("Your alert is active: you will receive an email for each new report."),
            },
        )


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class ReportAlertUnsubscribeView(View):
    """The link of every alert email. GET asks to confirm; POST (the button, or a mail client's
    RFC 8058 one-click request, hence no CSRF token) removes the alert."""

    template_name = "signalements/alert_unsubscribe.html"

    def dispatch(self, request, token):
        try:
            self.alert = alert_from_unsubscribe_token(token)
        except signing.BadSignature:  # SignatureExpired included
            return render(request, self.template_name, {"state": "error"}, status=400)
        if self.alert is None:
            return render(request, self.template_name, {"state": "gone"})
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(request, self.template_name, {"state": "confirm", "alert": self.alert})

    def post(self, request, token):
        alert_delete(alert=self.alert)
        return render(request, self.template_name, {"state": "done"})


class ReportAlertListView(LoginRequiredMixin, View):
    """/signalements/mes-alertes/: a logged-in person's alerts, to remove them or add one."""

    def get(self, request, *, form=None, status=200):
        alerts = ReportAlert.objects.of_user(request.user).select_related("area").prefetch_related("categories")
        return render(
            request,
            "signalements/alert_list.html",
            {
                "alerts": alerts,
                "alert_form": form or ReportAlertForm(user=request.user),
                "page": portal_page(),
            },
            status=status,
        )


class ReportAlertDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        alert = get_object_or_404(ReportAlert.objects.of_user(request.user), pk=pk)
        alert_delete(alert=alert)
        messages.success(request, _("The alert is removed: you will no longer receive its emails."))
        return redirect("report-alert-list")
