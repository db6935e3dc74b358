"""The one settings module for SRMT, driven by environment variables.

Every variable is documented in `.env.example`. Development defaults are safe: SQLite under
`var/`, DEBUG only when asked for. With DEBUG off, a missing SECRET_KEY is an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from srmt import env

# Django's generic classes (admin.ModelAdmin[Office], Paginator[T], ...) take their type
# arguments at runtime too, as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("SRMT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", default=False)
# Production mode: secrets required, HTTPS only (redirect, HSTS, Secure cookies) by default.
PRODUCTION = not DEBUG and env.boolean("SRMT_PRODUCTION", default=False)
SECRET_KEY = env.secret(
    "SECRET_KEY",
    required=PRODUCTION,
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
    "drf_spectacular",
    "csp",
    # Swagger UI's assets, served from /static/ (the docs page works without internet).
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # ISO 3166-1 countries with their names in English and Spanish (its translations load
    # only as an installed app): offices.jurisdiction, docs/adr/0024.
    "django_countries",
    # pg_trgm lookups (trigram_similar) and full-text search for the search box (ADR 29);
    # nothing in it runs on SQLite.
    "django.contrib.postgres",
    "srmt.core",
    "srmt.audit",
    "srmt.offices",
    "srmt.accounts",
    "srmt.cases",
    "srmt.sla",
    "srmt.notifications",
    "srmt.idempotency",
    "srmt.response_templates",
    "srmt.quality",
    "srmt.reviews",
    "srmt.surveys",
    "srmt.access_codes",
    "srmt.service_requests",
    "srmt.workspace",
    "srmt.search",
    "srmt.erequests",
    "srmt.messaging",
    "srmt.qa",
    "srmt.developer",
    "srmt.outcomes",
    "srmt.reporting",
    "srmt.api",
    "srmt.staff",
    "srmt.portal",
    "srmt.backoffice",
    "srmt.seed",
    "axes",  # sign-in lockout (docs/adr/0020)
    # Customers' and representatives' accounts: sign-up, email verification, password
    # reset and multi-factor authentication (issue 11, docs/adr/0042).
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "srmt.core.middleware.RequestIdMiddleware",
    # Error answers on /api/ are problem+json, whoever made them (Django's 404/500 pages).
    "srmt.api.middleware.ApiProblemMiddleware",
    # A NUL character in a path or query string is refused before anything reads it.
    "srmt.core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Customers and representatives are nobody on the staff site (ADR 27).
    "srmt.staff.middleware.StaffAccountsOnlyMiddleware",
    "srmt.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Public accounts: signed out after SRMT_PUBLIC_IDLE_MINUTES idle, and sent to set up
    # multi-factor authentication before any signed-in page (docs/adr/0042).
    "srmt.portal.account_middleware.PublicIdleTimeoutMiddleware",
    "srmt.portal.account_middleware.PublicMfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                # The agency's name and contact lines on the public pages (srmt.portal).
                "srmt.portal.context.public_site",
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
# Customers and representatives sign in on the public site (issue 11, django-allauth).
PORTAL_LOGIN_URL = "/account/login/"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins of a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, for agency staff accounts only (ADR 27).
    "srmt.accounts.backends.StaffModelBackend",
    # django-allauth's email sign-in, for customers and representatives only (ADR 42).
    "srmt.accounts.backends.PublicAccountBackend",
]

# Sign-in lockout (django-axes, docs/adr/0020): after SRMT_SIGN_IN_FAILURE_LIMIT failures for
# one username from one address, that pair cannot sign in, even with the right password,
# for SRMT_SIGN_IN_LOCKOUT_MINUTES. Counted in the database, so every process agrees.
AXES_FAILURE_LIMIT = env.integer("SRMT_SIGN_IN_FAILURE_LIMIT", 5)
SRMT_SIGN_IN_LOCKOUT_MINUTES = env.integer("SRMT_SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1)
# Back-off (ADR 42): each further lockout of the same username within a day doubles the
# wait, up to a day (srmt.accounts.lockout.cool_off).
AXES_COOLOFF_TIME = "srmt.accounts.lockout.cool_off"
# The public sign-in (allauth) sends `email`, the staff one `username`: both are counted.
AXES_USERNAME_CALLABLE = "srmt.accounts.lockout.username_of"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Each attempt during a lockout starts the wait again, so "try again in N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "srmt.staff.views.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "srmt.core.clientip.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log (accounts/signals.py)
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Customers' and representatives' accounts (django-allauth, docs/adr/0042) --------------
ACCOUNT_ADAPTER = "srmt.portal.adapter.PublicAccountAdapter"
ACCOUNT_FORMS = {"signup": "srmt.portal.account_forms.PublicSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_SIGNUP_REDIRECT_URL = "portal:account"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# Per client address (ip) and per account or email (key): "count/period".
ACCOUNT_RATE_LIMITS = {
    "login": env.string("SRMT_RATE_SIGN_IN", "30/m/ip"),
    "login_failed": env.string("SRMT_RATE_SIGN_IN_FAILED", "10/m/ip,5/5m/key"),
    "signup": env.string("SRMT_RATE_SIGN_UP", "10/h/ip"),
    "reset_password": env.string("SRMT_RATE_PASSWORD_RESET", "10/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Sign-in after the password: a code from an authenticator app, or a one-time recovery code.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.string("SRMT_MFA_ISSUER", "USCIS")
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# A signed-in customer or representative idle this long is signed out (staff keep
# SESSION_COOKIE_AGE).
SRMT_PUBLIC_IDLE_MINUTES = env.integer("SRMT_PUBLIC_IDLE_MINUTES", 15, minimum=1)

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
# Files sent with secure messages (ADR 45): outside the web root, served only by checked views.
SRMT_MESSAGE_FILES_ROOT = env.string("SRMT_MESSAGE_FILES_ROOT", str(VAR_DIR / "messages"))
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

# --- HTTPS, cookies and security headers (docs/adr/0020) -----------------------------------
# On by default in production; development and tests run over plain HTTP.
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A request counts as HTTPS when it is, or when the header named here (e.g.
# X-Forwarded-Proto) says "https": only for a proxy that sets it and drops the client's own.
_PROXY_SSL_HEADER = env.string("SRMT_TRUSTED_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", _PROXY_SSL_HEADER):
    raise ImproperlyConfigured(
        f"SRMT_TRUSTED_PROXY_SSL_HEADER must be a header name, not {_PROXY_SSL_HEADER!r}."
    )
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https") if _PROXY_SSL_HEADER else None
)
# How many reverse proxies in front of SRMT append to X-Forwarded-For (0: trust none). The
# client address (lockout, throttles, audit) is read past that many (srmt/core/clientip.py).
SRMT_TRUSTED_PROXY_COUNT = env.integer("SRMT_TRUSTED_PROXY_COUNT", 0)
# Lookups on the public case status page (/status/) per client address (ADR 0040).
SRMT_STATUS_LOOKUP_RATE = env.rate("SRMT_STATUS_LOOKUP_RATE", "20/minute")
# The Case Status API (srmt.developer, ADR 0041): per client, counted in the default cache
# (Redis in production), as the agency's developer API: 10 calls a second, 10,000 a day
# (the day in UTC); tokens live 1799 seconds.
SRMT_CASE_STATUS_API_PER_SECOND = env.integer("SRMT_CASE_STATUS_API_PER_SECOND", 10)
SRMT_CASE_STATUS_API_PER_DAY = env.integer("SRMT_CASE_STATUS_API_PER_DAY", 10_000)
SRMT_CASE_STATUS_API_TOKEN_SECONDS = env.integer("SRMT_CASE_STATUS_API_TOKEN_SECONDS", 1799)
# Content-Security-Policy (django-csp): everything from this origin only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [NONE],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "img-src": [SELF],
        "object-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
    }
}

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
# The periodic sweep runs every this many seconds: the chain of deferred tasks `srmt worker`
# starts, or `srmt sweep --every` on a backend that cannot defer (service_requests.tasks).
SRMT_SWEEP_SECONDS = env.integer("SRMT_SWEEP_SECONDS", 300, minimum=1)
# The daily detection run and digest (reporting.detections, ADR 0051): the hour (UTC) the
# chain `srmt worker` starts runs at, the days of history it reads, and the fewest opened
# requests a day (over the last eight weeks) for an office or form series to be tested.
SRMT_DETECTIONS_HOUR = env.integer("SRMT_DETECTIONS_HOUR", 6, minimum=0)
SRMT_DETECTIONS_HISTORY_DAYS = env.integer("SRMT_DETECTIONS_HISTORY_DAYS", 400, minimum=120)
SRMT_DETECTIONS_MIN_DAILY = env.integer("SRMT_DETECTIONS_MIN_DAILY", 1, minimum=0)
# The daily rollups (ADR 0048) are refreshed every this many seconds: the chain of deferred
# tasks `srmt worker` starts, or `srmt rollup --every` (reporting.rollups.tasks).
SRMT_ROLLUP_SECONDS = env.integer("SRMT_ROLLUP_SECONDS", 900, minimum=1)
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}

# The cache holds the API throttles' counts. "local": each process's memory (development);
# "redis": shared by every process (production; `srmt check --deploy` warns otherwise).
_CACHE_BACKENDS = {
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
}
_CACHE_BACKEND = env.string("SRMT_CACHE_BACKEND", "local")
if _CACHE_BACKEND not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"SRMT_CACHE_BACKEND must be local or redis, not {_CACHE_BACKEND!r}."
    )
CACHES = {"default": _CACHE_BACKENDS[_CACHE_BACKEND]}

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env.integer("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10)
# Customers see this sender: the agency, never the tool (docs/adr/0032).
DEFAULT_FROM_EMAIL = env.string(
    "DEFAULT_FROM_EMAIL", "U.S. Citizenship and Immigration Services <no-reply@agency.example>"
)

# API tokens (docs/adr/0019): a new token lasts SRMT_API_TOKEN_DAYS unless its maker
# chooses otherwise, never more than SRMT_API_TOKEN_MAX_DAYS.
SRMT_API_TOKEN_DAYS = env.integer("SRMT_API_TOKEN_DAYS", 90)
SRMT_API_TOKEN_MAX_DAYS = env.integer("SRMT_API_TOKEN_MAX_DAYS", 365)
if not 1 <= SRMT_API_TOKEN_DAYS <= SRMT_API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured(
        "SRMT_API_TOKEN_DAYS must be at least 1 and at most SRMT_API_TOKEN_MAX_DAYS."
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a 401 says `WWW-Authenticate: Token`.
        "srmt.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["srmt.api.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Calls per signed-in user, and refused tokens per client address.
        "user": env.rate("SRMT_API_RATE_USER", "240/minute"),
        "failed_authentication": env.rate("SRMT_API_RATE_FAILED_AUTHENTICATION", "20/minute"),
    },
    "NUM_PROXIES": SRMT_TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "srmt.api.permissions.IsAgencyStaff",
    ],
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
    # Review statuses (ADR 35) by their own name; the expedite statuses keep theirs.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "srmt.reviews.choices.ReviewStatus",
        "StatusEnum": "srmt.service_requests.expedite_models.ExpediteStatus",
        # The roles an access code may be issued for (ADR 43): no representatives.
        "OwnPartyRoleEnum": "srmt.api.views.access_codes.OWN_ROLES",
        "RoleEnum": "srmt.cases.choices.PartyRole",
    },
    # The Case Status API (plain Django views at the agency's paths, ADR 0041).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "srmt.developer.schema.add_case_status_api",
    ],
}

# Supervisory review (ADR 35): a request whose response waits for review is flagged on the
# review queue when its deadline falls within this many hours (or has passed).
SRMT_REVIEW_MARGIN_HOURS = env.integer("SRMT_REVIEW_MARGIN_HOURS", 24)
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
# The sweep delivers queued (and failed, retryable) notifications that no task delivered,
# once they have been due this many seconds (a just-committed one's own task normally wins),
# at most SRMT_OUTBOX_BATCH per sweep.
SRMT_OUTBOX_GRACE_SECONDS = env.integer("SRMT_OUTBOX_GRACE_SECONDS", 60)
SRMT_OUTBOX_BATCH = env.integer("SRMT_OUTBOX_BATCH", 1000)
# Whether a message to a customer may leave when it is written (the customer-delivery gate,
# ADR 26): a dotted path to a release policy. ReleaseNow sends at once; HoldAll holds every
# customer message until `srmt release_held` releases it.
SRMT_RELEASE_POLICY = env.string("SRMT_RELEASE_POLICY", "srmt.notifications.delivery.ReleaseNow")
# Idempotency-Key records of the API and the one-time tokens of staff forms are kept this
# long (a staff form older than this must be submitted again); the sweep deletes older ones.
SRMT_IDEMPOTENCY_RETENTION_HOURS = env.integer("SRMT_IDEMPOTENCY_RETENTION_HOURS", 48)
SRMT_DEMO_PASSWORD = env.string("SRMT_DEMO_PASSWORD", "srmt-demo-2026")
# The new-information check (issue 10, docs/adr/0034): a response scoring below this is a
# form letter (the writer is warned); a sentence said in responses to at least
# SRMT_COMMON_PHRASE_CASES different cases is a common phrase.
SRMT_NEW_INFORMATION_THRESHOLD = env.decimal_fraction("SRMT_NEW_INFORMATION_THRESHOLD", 0.15)
SRMT_COMMON_PHRASE_CASES = env.integer("SRMT_COMMON_PHRASE_CASES", 20, minimum=2)
# Public reports and open data (issue 12, ADR 47 and 49): counts from 1 to this are shown "D".
SRMT_SUPPRESSION_THRESHOLD = env.integer("SRMT_SUPPRESSION_THRESHOLD", 10, minimum=1)

# --- Customer messages: the agency's brand (docs/adr/0032) -----------------------------------
# Every message to a customer is signed as the agency, never as this tool. The defaults are the
# agency's public contact center (../shared/docs/domain.md section 3).
SRMT_AGENCY_NAME = env.string("SRMT_AGENCY_NAME", "U.S. Citizenship and Immigration Services")
# The closing line under every message; blank signs with the agency's name.
SRMT_AGENCY_SIGNATURE = env.string("SRMT_AGENCY_SIGNATURE", "")
SRMT_AGENCY_PHONE = env.string("SRMT_AGENCY_PHONE", "800-375-5283")
SRMT_AGENCY_TTY = env.string("SRMT_AGENCY_TTY", "800-767-1833")
SRMT_AGENCY_WEB = env.string("SRMT_AGENCY_WEB", "https://www.uscis.gov")
# --- Open data (issue 12, docs/adr/0050) -----------------------------------------------------
# The contact named in the open-data catalogue (/data.json, DCAT-US 1.1) and the agency's
# OMB bureau code (Circular A-11 Appendix C: 024:30 is DHS, USCIS) and Federal Program
# Inventory code (024:000) there.
SRMT_OPEN_DATA_CONTACT_NAME = env.string(
    "SRMT_OPEN_DATA_CONTACT_NAME", "U.S. Citizenship and Immigration Services, open data"
)
SRMT_OPEN_DATA_CONTACT_EMAIL = env.string(
    "SRMT_OPEN_DATA_CONTACT_EMAIL", "open-data@agency.example"
)
SRMT_OPEN_DATA_BUREAU_CODE = env.string("SRMT_OPEN_DATA_BUREAU_CODE", "024:30")
SRMT_OPEN_DATA_PROGRAM_CODE = env.string("SRMT_OPEN_DATA_PROGRAM_CODE", "024:000")
# Where staff open SRMT: links in messages to staff (escalation digests) start with it.
SRMT_STAFF_BASE_URL = env.string("SRMT_STAFF_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# --- Customer satisfaction surveys (docs/adr/0038) ---------------------------------------------
# A final response's message links to a one-question survey, answerable once within this many
# days, at this address (the public survey page; by default where the staff pages are).
# Online access codes (srmt.access_codes, ADR 43).
SRMT_LETTER_SPOOL_DIR = env.string("SRMT_LETTER_SPOOL_DIR", str(VAR_DIR / "letters"))
SRMT_ACCESS_CODE_DAYS = env.integer("SRMT_ACCESS_CODE_DAYS", 90)
SRMT_ACCESS_CODE_FAILURE_LIMIT = env.integer("SRMT_ACCESS_CODE_FAILURE_LIMIT", 5)
SRMT_ACCESS_CODE_LOCKOUT_MINUTES = env.integer("SRMT_ACCESS_CODE_LOCKOUT_MINUTES", 60)
SRMT_ACCESS_CODE_ATTEMPTS_PER_HOUR = env.integer("SRMT_ACCESS_CODE_ATTEMPTS_PER_HOUR", 20)
SRMT_ACCESS_CODE_REQUESTS_PER_DAY = env.integer("SRMT_ACCESS_CODE_REQUESTS_PER_DAY", 5)
SRMT_ACCESS_CODE_REQUEST_BUSINESS_DAYS = env.integer("SRMT_ACCESS_CODE_REQUEST_BUSINESS_DAYS", 10)
SRMT_SURVEY_DAYS = env.integer("SRMT_SURVEY_DAYS", 30)
# Where the public site is: the link in "a message is waiting" notices (ADR 45).
SRMT_PUBLIC_BASE_URL = env.string("SRMT_PUBLIC_BASE_URL", SRMT_STAFF_BASE_URL).rstrip("/")
SRMT_SURVEY_BASE_URL = env.string("SRMT_SURVEY_BASE_URL", SRMT_STAFF_BASE_URL).rstrip("/")
# Answers posted to the survey page per client address and hour (a forged or guessed link is
# refused anyway; this bounds the attempts).
SRMT_SURVEY_POSTS_PER_HOUR = env.integer("SRMT_SURVEY_POSTS_PER_HOUR", 20)
# e-Requests without an account (ADR 44): identity checks per client address and hour.
SRMT_EREQUEST_IDENTITY_CHECKS_PER_HOUR = env.integer("SRMT_EREQUEST_IDENTITY_CHECKS_PER_HOUR", 10)
# --- end of the agency's brand ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # django-axes logs every sign-in at INFO; the audit log has them (accounts/signals.py).
        "axes": {"level": "WARNING"},
    },
}
