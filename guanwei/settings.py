"""Guanwei settings, read from environment variables.

Embedded default: SQLite under var/, tasks in-process, no Redis needed.
Production: DATABASE_URL (PostgreSQL) and REDIS_URL (cache + Celery broker),
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from guanwei.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUANWEI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)

# The embedded default (`make run`) keeps a generated key in var/secret_key, so
# `manage.py` commands work on a developer's checkout; a production machine has
# no such file and must set DJANGO_SECRET_KEY.
EMBEDDED_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
EMBEDDED = not SECRET_KEY and EMBEDDED_KEY_FILE.is_file()
if EMBEDDED:
    SECRET_KEY = EMBEDDED_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production refuses to start without it "
            "(`make run` creates one for the embedded default)."
        )
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or EMBEDDED else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The project's apps come first: for the same English text their translations
# and templates win over those of Django's and third-party apps.
GUANWEI_APPS = [
    "orgs",
    "activities",
    "metrics",
    "plans",
    "assessments",
    "notifications",
    "api",
    "dashboards",
    "backups",
    "demo",
    "bench",
]
INSTALLED_APPS = [
    *GUANWEI_APPS,
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "import_export",
    "django_filters",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "guanwei.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guanwei.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: five failures for one user name from one address lock
# that pair out for 15 minutes.
GUANWEI_PROXY_COUNT = env_int("GUANWEI_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "guanwei.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "guanwei.urls"
WSGI_APPLICATION = "guanwei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgs.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guanwei.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue up
    # instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if env_str("GUANWEI_TEST_DB_NAME"):
    # Lets parallel test runs on one PostgreSQL server use separate test databases.
    DATABASES["default"]["TEST"] = {"NAME": env_str("GUANWEI_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and time: Simplified Chinese and Asia/Shanghai by default.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files are never served directly: views check scope and stream them.
MEDIA_ROOT = Path(env_str("GUANWEI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GUANWEI_MAX_UPLOAD_BYTES = env_int("GUANWEI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Pictures are decoded (and re-encoded) on upload, which costs memory by pixels, not bytes:
# about 4 bytes a pixel once decoded, so 50 megapixels (a 50 MP phone camera) is ~200 MB at
# worst; large JPEGs are decoded at reduced scale. All the pictures of one request together
# are held to a total, so 20 photos at once cost bounded time. Originals are kept at most
# GUANWEI_PHOTO_MAX_SIDE pixels on their longer side (enough for any printed report).
GUANWEI_MAX_IMAGE_PIXELS = env_int("GUANWEI_MAX_IMAGE_PIXELS", 50_000_000)
GUANWEI_MAX_REQUEST_IMAGE_PIXELS = env_int("GUANWEI_MAX_REQUEST_IMAGE_PIXELS", 400_000_000)
GUANWEI_PHOTO_MAX_SIDE = env_int("GUANWEI_PHOTO_MAX_SIDE", 4096)
# Excel imports read only the cells a sheet holds, never the size it declares (a 2 KB file can
# declare 20,000 × 16,384 empty cells). Rows count by their Excel number under the header,
# empty ones included, so blank rows are not free; no template has 20 columns, so columns past
# 100 are not read; and parsing costs 10-25 µs a cell, so the cell cap keeps one upload to
# about 10-20 s of CPU (50,000 rows of the widest template are 550,000 cells).
GUANWEI_IMPORT_MAX_ROWS = env_int("GUANWEI_IMPORT_MAX_ROWS", 50_000)
GUANWEI_IMPORT_MAX_COLUMNS = env_int("GUANWEI_IMPORT_MAX_COLUMNS", 100)
GUANWEI_IMPORT_MAX_CELLS = env_int("GUANWEI_IMPORT_MAX_CELLS", 1_000_000)
# Plan documents (.docx): python-docx reads every part into memory and builds a tree of each XML
# part at many times its size, so a plan may expand to this much (pictures included), this much of
# it XML, with this many paragraphs; a real plan is 1-2 MB of XML and under 2,000 paragraphs. The
# largest document allowed parses within the memory the benchmark shows (README, Security).
GUANWEI_PLAN_MAX_EXPANDED_BYTES = env_int("GUANWEI_PLAN_MAX_EXPANDED_BYTES", 32 * 1024 * 1024)
GUANWEI_PLAN_MAX_XML_BYTES = env_int("GUANWEI_PLAN_MAX_XML_BYTES", 8 * 1024 * 1024)
GUANWEI_PLAN_MAX_PARAGRAPHS = env_int("GUANWEI_PLAN_MAX_PARAGRAPHS", 10_000)
# A dashboard of a subtree larger than this (committees) shows its last snapshot while a
# recompute is pending, saying when it was taken; smaller ones are counted live then.
GUANWEI_LIVE_SUBTREE_LIMIT = env_int("GUANWEI_LIVE_SUBTREE_LIMIT", 2000)

# Cache and Celery: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "guanwei@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Security headers; HTTPS-only settings switch on with GUANWEI_HTTPS.
HTTPS = env_bool("GUANWEI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("GUANWEI_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("GUANWEI_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The JSON API under /api/: session or token authentication, the same scoping as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is then told to authenticate (401, WWW-Authenticate: Token).
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies bounded in size and depth (issue 20); forms and uploads as DRF has them.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guanwei API",
    "DESCRIPTION": "Committees, people, activities, plans and evaluations, scoped like the web pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "plans.models.PlanStatus",
        "EvaluationStatusEnum": "assessments.models.EvaluationStatus",
    },
    # Docs assets come from the portal itself (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
