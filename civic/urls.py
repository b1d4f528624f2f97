from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civic.cms.views import search
from civic.core.health import healthz


def _superuser_only(request):
    return request.user.is_active and request.user.is_superuser


# The Django admin is kept for superusers only; staff work in the Wagtail admin at /admin/.
admin.site.has_permission = _superuser_only

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include("civic.accounts.urls")),
    path("notifications/", include("civic.notifications.urls")),
    path("discussions/", include("civic.discussions.urls")),
    path("moderation/", include("civic.moderation.urls")),
    path("budget-participatif/", include("budget_participatif.urls")),
    path("signalements/", include("signalements.urls")),
    path("open311/v2/", include("signalements.open311.urls")),
    path("espaces/", include("civic.spaces.urls")),
    path("recherche/", search, name="search"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("civic.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's settings come as a script file (?script=), its styles from a file: no inline code.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
