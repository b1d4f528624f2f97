from allauth.account.adapter import DefaultAccountAdapter

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
