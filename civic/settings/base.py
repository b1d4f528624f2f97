"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor, django-environ):
``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ... See
docs/deployment.md for the full list.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Load balancers (addresses or networks) whose X-Forwarded-For gives the client's address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    # civic
    "civic.core",
    "civic.accounts",
    "civic.territory",
    "civic.cms",
    "civic.notifications",
    "civic.moderation",
    "civic.discussions",
    "civic.spaces",
    "budget_participatif",
    "signalements",
    "frontend",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "civic.accounts.wagtail_apps.CivicWagtailUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third parties
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.gis",
]

MIDDLEWARE = [
    "civic.core.middleware.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "civic.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civic.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civic.core.middleware.IdRangeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "civic.urls"
WSGI_APPLICATION = "civic.wsgi.application"
ASGI_APPLICATION = "civic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "civic.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SpatiaLite file under var/ by default; postgis://user@host/name switches to PostGIS.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"spatialite:///{VAR_DIR / 'civic.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# HTTP requests run on HTTP_THREADS long-lived threads per server process (civic/asgi.py): with
# CONN_MAX_AGE each thread keeps its database connection for that many seconds between requests.
HTTP_THREADS = env.int("HTTP_THREADS", default=8)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"].endswith(("postgis", "postgresql")) and env.int("DATABASE_POOL_SIZE", default=0):
    # Or psycopg's pool, per process (then CONN_MAX_AGE is 0): connections shared by all the threads
    # of a process, for many threads or many processes against few connections (docs/deployment.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, env.int("DATABASE_POOL_SIZE")),
        "max_size": env.int("DATABASE_POOL_SIZE"),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    # Several processes (server, worker, tests) share the file: wait rather than fail on a lock.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
SPATIALITE_LIBRARY_PATH = env("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer: in memory by default, Redis when REDIS_URL is set ----------------
REDIS_URL = env("REDIS_URL", default="")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "civic.core.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="civic"),
        }
    }
    # Sessions read from Redis, written to the database too (so a Redis restart logs nobody out).
    # Only with a cache every process shares: a per-process cache would keep a session after logout.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="civic"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background tasks (django-tasks): immediate by default, a database-backed worker in production
TASKS_BACKEND = env("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Email: console by default, SMTP when EMAIL_URL is set ---------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # EMAIL_URL=filemail:// writes each message to a file: handy for staging and browser tests.
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="civic <no-reply@civic.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "civic_accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's backends, loading the session's user with their participation flags.
    "civic.accounts.backends.ModelBackend",
    "civic.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account-space"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "civic.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "civic.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_RATE_LIMITS = {"signup": "20/h/ip", "login_failed": "10/m/ip,5/5m/key"}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_NAME = "civic_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", default="civic")
# The site's public address: every link in an email is built from it (civic.core.emails.site_url).
# BASE_URL is the name it had before; SITE_URL wins when both are set.
SITE_URL = env("SITE_URL", default=env("BASE_URL", default="http://127.0.0.1:8000")).rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# Wagtail admin's password reset email: links on SITE_URL, sent by the task queue.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "civic.accounts.forms.AdminPasswordResetForm"  # noqa: S105 (a class path)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "odt", "ods", "docx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# No Gravatar: staff avatars are not fetched from a third party (privacy, and the admin's CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Maps -----------------------------------------------------------------------------------
# Tiles are fetched by the browser from the URL in the site settings; nothing is downloaded
# by the server. django-leaflet ships Leaflet itself.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 6,
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
    "ATTRIBUTION_PREFIX": "",
    "TILES": [],
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "civic.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
    # A service's ValidationError becomes a 400 keyed by field; a ParticipationError a 403, 409 or 429.
    "EXCEPTION_HANDLER": "civic.core.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "civic API",
    "DESCRIPTION": "Public API of the civic participation platform. Geometries are GeoJSON (RFC 7946, WGS84).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and its favicon come from drf-spectacular-sidecar: nothing is fetched from a CDN.
    # Swagger UI, its favicon and Redoc come from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["civic.core.openapi.public_endpoints_only"],
    # GeoJSON's "type" members (civic.core.openapi), each under a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "GeoJSONFeatureTypeEnum": ["Feature"],
        "GeoJSONFeatureCollectionTypeEnum": ["FeatureCollection"],
        **{f"GeoJSON{name}TypeEnum": [name] for name in ("Point", "MultiPoint", "LineString", "MultiLineString")},
        **{f"GeoJSON{name}TypeEnum": [name] for name in ("Polygon", "MultiPolygon")},
    },
}

# --- Security defaults (production tightens them) ---------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy of every HTML page (civic.core.middleware.SecurityHeadersMiddleware):
# no inline script or style anywhere (JSON data blocks are not run), no eval, nothing from
# another origin but the map tiles, whose server each request adds from the site settings
# (CONTENT_SECURITY_POLICY_SOURCES) to img-src. See docs/deployment.md.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "frame-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    # SAMEORIGIN, like X_FRAME_OPTIONS: Wagtail's live preview frames our pages in the admin.
    "frame-ancestors": ["'self'"],
}
# Wagtail 8's admin starts its date pickers, inline panels and multiple choosers with inline
# scripts whose text varies (no fixed hash), and its page editor's libraries (Draftail and the
# like, in vendor.js) add <style> elements: /admin/ allows inline scripts and styles. Nothing else
# is relaxed there (no eval, no other origin). The Django admin kept for superusers is under it too.
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# Responses that are not HTML (JSON, GeoJSON, CSV, files) load nothing and are framed by nobody.
CONTENT_SECURITY_POLICY_DATA = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
CONTENT_SECURITY_POLICY_SOURCES = ["civic.cms.chrome.content_security_sources"]
# Browser features: the report form asks for the phone's position; photos come through a file
# input, which needs no camera permission; everything else is off.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

CIVIC_ADMIN_ROLES = ("agent", "moderator", "administrator")

# Debian 12 ships GDAL 3.6, which cannot block file and network access from spatial reference
# definitions. civic only builds spatial references from integer EPSG codes (never from text or
# URLs given by users), so the risk that warning describes does not apply.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Notifications (civic.notifications): follows, emails, digests ----------------------------
# How long the one-click unsubscribe link in a notification email stays valid, in seconds.
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = env.int("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE", default=180 * 24 * 3600)
# The mailbox named in the List-Unsubscribe mailto: link; empty means the DEFAULT_FROM_EMAIL address.
NOTIFICATIONS_UNSUBSCRIBE_EMAIL = env("NOTIFICATIONS_UNSUBSCRIBE_EMAIL", default="")
# send_digests skips a person whose last digest is more recent than this, in seconds.
NOTIFICATIONS_DIGEST_MIN_INTERVAL = env.int("NOTIFICATIONS_DIGEST_MIN_INTERVAL", default=20 * 3600)
