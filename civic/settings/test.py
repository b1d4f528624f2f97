"""Test settings: fast hashing, in-memory email, temporary media."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="civic-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = False
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    # A file, not :memory:, so that server processes started by tests see the same data.
    DATABASES["default"]["TEST"] = {
        "NAME": env(
            "TEST_DATABASE_FILE", default=os.path.join(tempfile.gettempdir(), f"civic-test-{os.getpid()}.sqlite3")
        )
    }
STATIC_ROOT = tempfile.mkdtemp(prefix="civic-test-static-")
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"}}  # noqa: F405
