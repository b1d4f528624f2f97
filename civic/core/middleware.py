"""French by default, whatever the browser says; the language switcher sets a cookie."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.supported:
            code = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = code
        with translation.override(code):  # restored afterwards: the thread serves other requests
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


def _is_address(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ForwardedForMiddleware:
    """Behind a load balancer, the client's address is the last one it added to ``X-Forwarded-For``.

    A WSGI server (granian) reports the balancer's address as ``REMOTE_ADDR``; per-IP limits (login,
    signup, comments, flags) would then treat every visitor as one. When the request comes from an
    address or network listed in ``TRUSTED_PROXIES``, ``REMOTE_ADDR`` becomes the right-most address
    of ``X-Forwarded-For`` that is not itself a trusted proxy (the left part can be forged by the client).
    Under uvicorn with ``--forwarded-allow-ips`` the address is already the client's: nothing changes.
    """

    def __init__(self, get_response):
        import ipaddress

        self.get_response = get_response
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]

    def _trusted(self, address: str) -> bool:
        import ipaddress

        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, request):
        remote = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if self.networks and forwarded and self._trusted(remote):
            for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
                if not self._trusted(address):
                    if _is_address(address):  # anything else: keep the balancer's address
                        request.META["REMOTE_ADDR"] = address
                    break
        return self.get_response(request)


def _header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    (Django's SecurityMiddleware adds Referrer-Policy, X-Content-Type-Options,
    Cross-Origin-Opener-Policy and, in production, Strict-Transport-Security.)

    The policies live in settings (``CONTENT_SECURITY_POLICY``, ``CONTENT_SECURITY_POLICY_ADMIN``
    for the paths in ``CONTENT_SECURITY_POLICY_ADMIN_PREFIXES``, ``CONTENT_SECURITY_POLICY_DATA``
    for responses that are not HTML, ``PERMISSIONS_POLICY``; see docs/deployment.md). HTML pages
    outside the admin also get, per request, the sources returned by the callables named in
    ``CONTENT_SECURITY_POLICY_SOURCES`` (the map tile server of the site settings) and the page's
    own WebSocket origin in ``connect-src`` (not every browser counts ``ws:`` as ``'self'``).
    A header a view already set is kept.
    """

    def __init__(self, get_response):
        from django.utils.module_loading import import_string

        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.admin_policy = settings.CONTENT_SECURITY_POLICY_ADMIN
        self.admin_prefixes = tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES)
        self.data_policy = _header_value(settings.CONTENT_SECURITY_POLICY_DATA)
        self.sources = [import_string(path) for path in settings.CONTENT_SECURITY_POLICY_SOURCES]
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def content_security_policy(self, request, response) -> str:
        if not response.get("Content-Type", "").startswith("text/html"):
            return self.data_policy
        from django.core.exceptions import DisallowedHost

        admin = request.path.startswith(self.admin_prefixes)
        policy = {
            directive: list(sources) for directive, sources in (self.admin_policy if admin else self.policy).items()
        }
        try:
            host = request.get_host()
        except DisallowedHost:  # the 400 page for a host we do not serve: the base policy
            return _header_value(policy)
        scheme = "wss" if request.is_secure() else "ws"
        policy.setdefault("connect-src", []).append(f"{scheme}://{host}")
        for source in [] if admin else self.sources:  # the admin shows no map: no settings to read
            for directive, extra in source(request).items():
                for value in extra:
                    if value not in policy.setdefault(directive, []):
                        policy[directive].append(value)
        return _header_value(policy)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.content_security_policy(request, response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class IdRangeMiddleware:
    """A number in a URL that no id can be (past 2**63: SQLite cannot even bind it) names nothing: 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from .ids import ID_MAX, ID_MIN

        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not ID_MIN <= value <= ID_MAX:
                raise Http404
