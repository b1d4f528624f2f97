from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as globals_context
from django.conf import settings
from django.urls import reverse

from civic.core.emails import email_queue, site_url
from civic.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url: str) -> bool:
        """A ``next`` that cannot even be parsed (``http://[``: "Invalid IPv6 URL") is not a safe target;
        allauth would let the ValueError through as a server error (Wagtail's admin login sends here)."""
        try:
            return super().is_safe_url(url)
        except ValueError:
            return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins are counted per account *and* IP address (ACCOUNT_RATE_LIMITS' ``key``), so that
        someone guessing a password locks out themselves, never the account's owner elsewhere;
        the ``ip`` rate bounds what one address may try over all accounts."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request) or ''}"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.email.split("@")[0]
        if commit:
            user.save()
        return user

    # --- One email path: links from SITE_URL, messages through the task queue ----------------------

    def get_email_confirmation_url(self, request, emailconfirmation):
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": site_url(reverse("account_signup")),
            "password_reset_url": site_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def send_mail(self, template_prefix, email, context):
        """As allauth composes it (its templates, the request's language), then queued like every email."""
        context = {"site_url": settings.SITE_URL, **context}
        request = globals_context.request
        context.setdefault("request", request)
        context.setdefault("email", email)
        # allauth's templates name the site by its domain: the public one, not the request's host.
        context.setdefault(
            "current_site", SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        )
        email_queue(self.render_mail(template_prefix, email, context))
