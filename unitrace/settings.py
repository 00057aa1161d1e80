"""Settings for unitrace.

Everything that differs between a laptop and production comes from the environment
(documented in ``.env.example``); the defaults give a working embedded setup on SQLite
with background jobs running in-process, so a newcomer needs no server at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("UNITRACE_ALLOW_INSECURE_KEY", True):
        # Development fallback only; production sets SECRET_KEY (see docs/operations.md).
        SECRET_KEY = "unitrace-insecure-development-key-change-me"  # noqa: S105
    else:  # pragma: no cover - configuration error
        raise RuntimeError("SECRET_KEY must be set")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Base URL used in QR codes and links printed on labels; `check --deploy` warns while it
# is a local or plain-HTTP address (unitrace.W001).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Domain used for GS1 Digital Link URIs on labels (any domain resolves in the scanner).
DIGITAL_LINK_BASE_URL = os.environ.get("DIGITAL_LINK_BASE_URL", PUBLIC_BASE_URL).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "unitrace.core",
    "unitrace.geo",
    "unitrace.calendars",
    "unitrace.accounts",
    "unitrace.parties",
    "unitrace.catalog",
    "unitrace.places",
    "unitrace.inventory",
    "unitrace.serials",
    "unitrace.warranty",
    "unitrace.procurement",
    "unitrace.sales",
    "unitrace.service",
    "unitrace.authenticity",
    "unitrace.unitfile",
    "unitrace.demo",
]

MIDDLEWARE = [
    "unitrace.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "unitrace.core.middleware.RequestContextMiddleware",
    # no control characters (NUL) in query strings and page form posts (core/text.py)
    "unitrace.core.middleware.InputTextMiddleware",
]

ROOT_URLCONF = "unitrace.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "unitrace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "unitrace.core.context_processors.navigation",
                "unitrace.core.context_processors.brand",
                "unitrace.accounts.context_processors.role_label",
            ],
        },
    },
]

WSGI_APPLICATION = "unitrace.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'unitrace.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# Hot-path reads (unitrace.core.sql) prepare their statements once per connection.
# Turn off behind a connection pooler in transaction mode that cannot keep them.
UNITRACE_DB_PREPARE = env_bool("UNITRACE_DB_PREPARE", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web app read while a background import writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "unitrace" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# 150,000 and the language's dates (core/formats/); numbers that are read back (ids in
# forms and links, JSON, CSV) are rendered with |unlocalize.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["unitrace.core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "unitrace" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "unitrace.core.staticfiles.AppDirectoriesFinder",  # without ReDoc (it uses a CDN)
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
# Files of large exports (background jobs): outside MEDIA_ROOT and without a URL, so
# the only way to one is its owner's download view.
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT", BASE_DIR / "var" / "exports"))
# Work-order photos and documents: customers' pictures of their homes, so no URL either;
# a page shows one only to a login that may see its work order.
ATTACHMENT_ROOT = Path(os.environ.get("ATTACHMENT_ROOT", BASE_DIR / "var" / "attachments"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EXPORT_ROOT, "base_url": None},
    },
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": ATTACHMENT_ROOT, "base_url": None},
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 50 * 1024 * 1024))
# Uploaded files (core/uploads.py, core/tabular.py): one file's size, an XLSX's size once
# unzipped and its largest unzip ratio, and the rows above which an import runs as a job.
FILE_UPLOAD_HANDLERS = [
    "unitrace.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UNITRACE_UPLOAD_MAX_BYTES = int(os.environ.get("UNITRACE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
UNITRACE_XLSX_MAX_EXPANDED_BYTES = int(
    os.environ.get("UNITRACE_XLSX_MAX_EXPANDED_BYTES", 200 * 1024 * 1024)
)
UNITRACE_XLSX_MAX_RATIO = int(os.environ.get("UNITRACE_XLSX_MAX_RATIO", 100))
UNITRACE_SYNC_IMPORT_ROWS = int(os.environ.get("UNITRACE_SYNC_IMPORT_ROWS", 10_000))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "serials:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "unitrace.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["unitrace.core.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["unitrace.core.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "unitrace.core.pagination.LimitOffsetPagination",
    # Bodies: bounded JSON nesting, no control characters in any text (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "unitrace.core.parsers.JSONParser",
        "unitrace.core.parsers.FormParser",
        "unitrace.core.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "unitrace.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "unitrace.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_THROTTLE", "20/min")},
    # Number of trusted reverse proxies in front of the app: throttles then key on the
    # real client address and a client cannot dodge them with a forged X-Forwarded-For.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "unitrace API",
    "DESCRIPTION": "Unit-level traceability and after-sales service (一物一码).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Background jobs. Without a broker (the embedded default) tasks run in-process, in a
# thread after the request's transaction commits, so the progress bar still moves.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
UNITRACE_JOBS_INLINE = env_bool("UNITRACE_JOBS_INLINE", False)
# Exports of more rows than this run as a background job with a download link.
UNITRACE_EXPORT_JOB_ROWS = int(os.environ.get("UNITRACE_EXPORT_JOB_ROWS", "10000"))
# Label runs of more labels than this are drawn as a background job with a download.
UNITRACE_LABEL_JOB_UNITS = int(os.environ.get("UNITRACE_LABEL_JOB_UNITS", "2000"))
# The TrueType font the PDFs embed (empty = fonts-wqy-microhei where Debian installs it).
UNITRACE_PDF_FONT = os.environ.get("UNITRACE_PDF_FONT", "")
# Periodic tasks, run by one `celery -A unitrace beat` per installation. Stock changes
# also check their own part at once, so alerts appear without beat in the embedded default.
CELERY_BEAT_SCHEDULE = {
    "inventory-check-min-stock": {
        "task": "unitrace.inventory.check_min_stock",
        "schedule": float(os.environ.get("MIN_STOCK_CHECK_SECONDS", "900")),
    },
    "service-escalate-sla": {
        "task": "unitrace.service.escalate_sla",
        "schedule": float(os.environ.get("SLA_ESCALATION_SECONDS", "300")),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# A serial must be unique per SKU; set this to make it unique across all SKUs.
UNITRACE_SERIAL_GLOBAL_UNIQUE = env_bool("UNITRACE_SERIAL_GLOBAL_UNIQUE", False)

# Public authenticity checks (see unitrace/authenticity/conf.py for what each means).
VERIFICATION_SECRET = os.environ.get("VERIFICATION_SECRET", "")
AUTHENTICITY_RATE_LIMIT = int(os.environ.get("AUTHENTICITY_RATE_LIMIT", "10"))
AUTHENTICITY_RATE_WINDOW = int(os.environ.get("AUTHENTICITY_RATE_WINDOW", "60"))
AUTHENTICITY_CLONE_WINDOW_DAYS = int(os.environ.get("AUTHENTICITY_CLONE_WINDOW_DAYS", "30"))
AUTHENTICITY_CLONE_MAX_CHECKS = int(os.environ.get("AUTHENTICITY_CLONE_MAX_CHECKS", "10"))
AUTHENTICITY_CLONE_MAX_REGIONS = int(os.environ.get("AUTHENTICITY_CLONE_MAX_REGIONS", "3"))
AUTHENTICITY_CLONE_MAX_NETWORKS = int(os.environ.get("AUTHENTICITY_CLONE_MAX_NETWORKS", "3"))
# Only behind a reverse proxy that always overwrites X-Real-IP (docs/operations.md):
# otherwise a client could forge its address to dodge rate limits.
TRUST_X_REAL_IP = env_bool("TRUST_X_REAL_IP", False)


# --- Logins, sessions, client addresses and security headers (docs/operations.md) ---------
# Reverse proxies whose X-Forwarded-For is believed, as address ranges (CIDR); the client
# address is then read right to left through these hops only (core.middleware.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
if TRUSTED_PROXIES:  # DRF's own reading of the header would trust any hop count
    REST_FRAMEWORK["NUM_PROXIES"] = None

# Brute-force limits on every login path (web, admin, API token), shared by all workers
# through the database: django-axes. An account, or a client address (an IPv6 /64), is
# locked for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failed logins.
INSTALLED_APPS += ["unitrace.core.third_party_apps.AxesConfig", "csp"]
AUTHENTICATION_BACKENDS = [
    "unitrace.accounts.backends.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "unitrace.core.middleware.login_limit_key"
AXES_LOCKOUT_CALLABLE = "unitrace.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login, not only the counters
AXES_RESET_ON_SUCCESS = False  # a login to one's own account must not reset an address
AXES_VERBOSE = False
# axes' database handler, plus an entry in the change log for every login and logout
AXES_HANDLER = "unitrace.accounts.login_audit.AuditedAxesHandler"

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request and, in any case,
# SESSION_ABSOLUTE_TIMEOUT seconds after the login.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# HTTPS: HSTS, the redirect to HTTPS, and the header by which the proxy says "HTTPS".
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only this site's own scripts, styles and fonts;
# style attributes (progress bars) are allowed, inline <script> and <style> are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of unitrace uses (scanners type like a keyboard): all off.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
# Server-Timing: app;dur=<ms> on every response (the benchmarks read it); off in production.
SERVER_TIMING = env_bool("SERVER_TIMING", DEBUG)

MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "unitrace.core.middleware.PermissionsPolicyMiddleware",
    "unitrace.core.middleware.SessionTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Stable names for the choice sets whose field names collide ("status", "type"); the
# schema generator otherwise names them by hash and warns (in `check --deploy` too).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "TransferStatusEnum": "unitrace.inventory.models.transfers.Transfer.Status",
    "PartMoveTypeEnum": "unitrace.inventory.models.parts.PartMove.Type",
    "WorkOrderModeEnum": "unitrace.service.states.Mode",
    "ImportModeEnum": "unitrace.serials.importing.MODES",
    "WorkOrderKindEnum": "unitrace.service.states.Kind",
    "WorkOrderPriorityEnum": "unitrace.service.states.Priority",
    "RepairChannelEnum": "unitrace.service.api.repair_requests.CHANNEL_CHOICES",
}

# API tokens (unitrace.accounts.tokens): the expiry POST /api/v1/auth/token/ and the
# token page propose, the longest a token may live, and how often a token's last use
# is written (at most once per interval, so authentication stays a read).
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
API_TOKEN_LAST_USE_INTERVAL = int(os.environ.get("API_TOKEN_LAST_USE_INTERVAL", "60"))

# Two-factor (TOTP) for staff with django-otp (unitrace.accounts.two_factor): the admin
# site asks enrolled logins for a verified session; set OTP_REQUIRED_FOR_SUPERUSERS to
# make every superuser enrol before the admin opens.
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = (
    "unitrace.accounts.admin_site.AdminConfig"
)
INSTALLED_APPS += [
    "django_otp",
    "unitrace.core.third_party_apps.OTPTOTPConfig",
    "unitrace.core.third_party_apps.OTPStaticConfig",
]
MIDDLEWARE += [
    "django_otp.middleware.OTPMiddleware",
    "unitrace.accounts.middleware.TwoFactorMiddleware",
]
OTP_REQUIRED_FOR_SUPERUSERS = env_bool("OTP_REQUIRED_FOR_SUPERUSERS", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "unitrace")

# Audit trail: the key of the HMAC-SHA256 chains over unit events and change-log entries
# (see unitrace/core/chain.py). Kept out of the database so that a database login alone
# cannot recompute a chain after editing rows; never rotate it with SECRET_KEY.
UNITRACE_AUDIT_KEY = os.environ.get("UNITRACE_AUDIT_KEY", "")

# API input bounds (core/pagination.py, core/parsers.py): the largest page a client may
# ask for (a larger ?limit= is clamped), and how deep a JSON body may nest.
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "1000"))
API_JSON_MAX_DEPTH = int(os.environ.get("API_JSON_MAX_DEPTH", "64"))
