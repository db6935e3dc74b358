"""The one settings module for SRMT, driven by environment variables.

Every variable is documented in `.env.example`. Development defaults are safe: SQLite under
`var/`, DEBUG only when asked for. With DEBUG off, a missing SECRET_KEY is an error.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from srmt import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("SRMT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", default=False)
SECRET_KEY = env.secret(
    "SECRET_KEY",
    required=not DEBUG and env.boolean("SRMT_PRODUCTION", default=False),
    dev_default="srmt-development-key-not-for-production-use-0123456789",
)
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The form renderer (TemplatesSetting) finds Django's own widget templates here;
    # srmt/templates/django/forms/ overrides the ones USWDS needs.
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's assets, served from /static/ (the docs page works without internet).
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "srmt.core",
    "srmt.audit",
    "srmt.offices",
    "srmt.accounts",
    "srmt.cases",
    "srmt.sla",
    "srmt.notifications",
    "srmt.service_requests",
    "srmt.api",
    "srmt.staff",
    "srmt.seed",
]

MIDDLEWARE = [
    "srmt.core.middleware.RequestIdMiddleware",
    # Error answers on /api/ are problem+json, whoever made them (Django's 404/500 pages).
    "srmt.api.middleware.ApiProblemMiddleware",
    # A NUL character in a path or query string is refused before anything reads it.
    "srmt.core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "srmt.urls"
WSGI_APPLICATION = "srmt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "srmt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'srmt.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker and the web server use the embedded database at once;
    # IMMEDIATE transactions take the write lock up front, so writers queue instead of failing.
    # Tests use a file too (not the in-memory default), so that concurrent writers in
    # transactional tests wait for the lock exactly as in production.
    DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}.test"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "srmt" / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "srmt" / "static"]
# Uploaded evidence (attachments); never served directly, only through access-checked views.
MEDIA_ROOT = Path(env.string("SRMT_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Bodies larger than this are refused before they reach a view (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("SRMT_MAX_REQUEST_BYTES", 65_536)

SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Background work: one task interface (django-tasks). "database" keeps jobs in the database
# and `srmt worker` runs them; "rq" uses Redis with RQ (`srmt rqworker default`);
# "immediate" runs them in-process (tests).
REDIS_URL = env.string("REDIS_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env.string("SRMT_TASKS_BACKEND", "database")]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env.integer("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "SRMT <no-reply@srmt.example>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["srmt.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "srmt.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SRMT API",
    "DESCRIPTION": "Service requests for an immigration agency's customer service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Deadlines: a request is "at risk" once this share of the time to its due date has passed.
SRMT_AT_RISK_SHARE = env.decimal_fraction("SRMT_AT_RISK_SHARE", 0.8)
# Seconds a process keeps its snapshot of request types, offices and deadline policies.
SRMT_CONFIG_SNAPSHOT_SECONDS = env.integer("SRMT_CONFIG_SNAPSHOT_SECONDS", 60)
# A request transferred more than this many times is flagged to supervisors (ping-pong).
SRMT_TRANSFER_FLAG_AFTER = env.integer("SRMT_TRANSFER_FLAG_AFTER", 3)
# Residents of countries with no configured international office are referred here.
SRMT_DEFAULT_INTERNATIONAL_OFFICE = env.string("SRMT_DEFAULT_INTERNATIONAL_OFFICE", "MEX")
# Closed requests on the same case and of the same type count as possible repeats at intake
# for this many days after closing (open ones always do).
SRMT_REPEAT_WINDOW_DAYS = env.integer("SRMT_REPEAT_WINDOW_DAYS", 30)
# A notification still "sending" this many seconds after a worker claimed it is taken back
# (the worker died): queued again, or failed once its attempts are used up.
SRMT_NOTIFICATION_STALL_SECONDS = env.integer("SRMT_NOTIFICATION_STALL_SECONDS", 900)
SRMT_DEMO_PASSWORD = env.string("SRMT_DEMO_PASSWORD", "srmt-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

if not DEBUG and env.boolean("SRMT_PRODUCTION", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
