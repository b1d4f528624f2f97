"""OpenAPI schema hooks: the public schema describes our API, not Wagtail's internal admin API."""

PUBLIC_PREFIXES = ("/api/", "/open311/")


def public_endpoints_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIXES)]
