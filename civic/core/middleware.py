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
