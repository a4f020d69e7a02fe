"""Every deploy-time choice, read from the environment in this one place.

Embedded mode (the default) needs nothing set: SQLite under `var/`, a secret key generated once
into `var/`, tasks in the database. Production mode (`UNIONHUB_PRODUCTION=1`) refuses to start
without an explicit `SECRET_KEY` and `ALLOWED_HOSTS`.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("UNIONHUB_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("UNIONHUB_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("UNIONHUB_PRODUCTION")
DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when UNIONHUB_PRODUCTION is on.")
    # Generated once so sessions and signed links survive restarts of an embedded install.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when UNIONHUB_PRODUCTION is on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # Ours, lowest layer first (DESIGN §3): an app may import only from apps above it here.
    "unionhub.core",
    "unionhub.audit",
    "unionhub.orgs",
    "unionhub.members",
    "unionhub.imports",
    "unionhub.cards",
    "unionhub.reports",
    "unionhub.congress",
    "unionhub.elections",
    "unionhub.display",
    "unionhub.dispatch",
    "unionhub.finance",
    "unionhub.privacy",
    "unionhub.movements",
    "unionhub.news",
    "unionhub.training",
    "unionhub.api",
    "unionhub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionhub.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "unionhub.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "unionhub.urls"
WSGI_APPLICATION = "unionhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionhub.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'unionhub.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue instead of failing with "database is locked"; core.sqlite makes
    # them queue without SQLite's coarse busy sleeps. A 64 MB page cache instead of the default
    # 2 MB: a province's month of dues touches index pages all over tables of a million rows.
    DATABASES["default"]["ENGINE"] = "unionhub.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Django's default in-memory test database, said outright: pytest-django (xdist) only
    # recognises that default under Django's own engine name.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        if (url := os.environ.get("REDIS_URL"))
        # A file cache is shared by the web server and the task worker: job progress needs that.
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if os.environ.get("TASK_BACKEND") == "rq"
        else {
            "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
            "QUEUES": ["default"],
        }
    )
}
if os.environ.get("TASK_BACKEND") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # The queue may live on its own Redis (RQ_REDIS_URL), else on the cache's.
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("RQ_REDIS_URL")
            or os.environ.get("REDIS_URL")
            or "redis://127.0.0.1:6379/0",
            # RQ kills a job after 3 minutes by default; a national import or card batch runs
            # longer.
            "DEFAULT_TIMEOUT": int(os.environ.get("RQ_JOB_TIMEOUT", 6 * 3600)),
        }
    }
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# An officer's session ends after a working day, or sooner when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "vi"
# Each language by its own name, as a language switcher shows them.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["unionhub.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if os.environ.get("S3_BUCKET"):
    # Media and generated files on any S3-compatible store (django-storages). Every object is
    # private: the scoped views stream it, and a URL, where one is ever made, is signed and
    # short-lived, so a file behind scope never has a public address.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            # MinIO and most self-hosted stores want bucket names in the path, not the host.
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_URL_EXPIRE_SECONDS", 300)),
            "signature_version": "s3v4",
            # Two uploads of the same name never replace each other's file.
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Personal data (Decree 13/2023, Law 91/2025): how many years after a person's membership ends
# each class of their data must still be kept before the privacy app may anonymise them.
PRIVACY_RETENTION_YEARS = {
    "identity": int(os.environ.get("PRIVACY_RETENTION_YEARS_IDENTITY", 5)),
    "contact": int(os.environ.get("PRIVACY_RETENTION_YEARS_CONTACT", 0)),
    "photo": int(os.environ.get("PRIVACY_RETENTION_YEARS_PHOTO", 0)),
    "sensitive": int(os.environ.get("PRIVACY_RETENTION_YEARS_SENSITIVE", 0)),
}
# The member's own page (/me/): a code sent to their phone or e-mail is good for ten minutes and
# five tries; a sign-in link a registrar prints for thirty days; a signed-in visit lasts half an
# hour without a click.
PRIVACY_SIGN_IN_CODE_MINUTES = 10
PRIVACY_SIGN_IN_CODE_TRIES = 5
PRIVACY_SIGN_IN_LINK_DAYS = int(os.environ.get("PRIVACY_SIGN_IN_LINK_DAYS", 30))
PRIVACY_SELF_SESSION_SECONDS = 30 * 60
# Where text messages go: a class with send(phone, text); the console unless a gateway is set.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "unionhub.core.sms.ConsoleBackend")

# Uploaded files, each kind with its own ceiling in MB (shown on its form).
UPLOAD_MAX_MB = {
    "member_import": int(os.environ.get("UPLOAD_MAX_MB_MEMBER_IMPORT", 50)),
    "delegate_import": int(os.environ.get("UPLOAD_MAX_MB_DELEGATE_IMPORT", 10)),
    "photo": int(os.environ.get("UPLOAD_MAX_MB_PHOTO", 15)),
    "photo_archive": int(os.environ.get("UPLOAD_MAX_MB_PHOTO_ARCHIVE", 500)),
    "attachment": int(os.environ.get("UPLOAD_MAX_MB_ATTACHMENT", 20)),
    "slide_image": int(os.environ.get("UPLOAD_MAX_MB_SLIDE_IMAGE", 15)),
    "news_image": int(os.environ.get("UPLOAD_MAX_MB_NEWS_IMAGE", 15)),
    # A few minutes of phone video (H.264 at about 8 Mbit/s is 60 MB a minute).
    "news_video": int(os.environ.get("UPLOAD_MAX_MB_NEWS_VIDEO", 200)),
    "congress_document": int(os.environ.get("UPLOAD_MAX_MB_CONGRESS_DOCUMENT", 50)),
    "payroll_import": int(os.environ.get("UPLOAD_MAX_MB_PAYROLL_IMPORT", 20)),
    "unit_logo": int(os.environ.get("UPLOAD_MAX_MB_UNIT_LOGO", 5)),
    "training_material": int(os.environ.get("UPLOAD_MAX_MB_TRAINING_MATERIAL", 50)),
}
# No request body may be larger: the largest upload with room for the form's other fields.
REQUEST_MAX_MB = int(os.environ.get("REQUEST_MAX_MB", max(UPLOAD_MAX_MB.values()) + 1))
PHOTO_ARCHIVE_MAX_FILES = int(os.environ.get("PHOTO_ARCHIVE_MAX_FILES", 20_000))
# A sheet spanning more is refused before it is read; the reading runs in a child process with
# this much memory, so a file that slips past the check cannot take the server down.
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", 200_000))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", 200))
SPREADSHEET_READ_MEMORY_MB = int(os.environ.get("SPREADSHEET_READ_MEMORY_MB", 2048))
# How many members of other unions an officer may be told about (by typing or importing their
# document numbers) per hour; each look-up is audited.
DOCUMENT_LOOKUP_RATE = (int(os.environ.get("DOCUMENT_LOOKUPS_PER_HOUR", 100)), 3600)

# Where officers reach UnionHub: links in e-mails sent by background tasks, which have no request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Ed25519 key that signs QR tokens (cards, delegate cards); generated under var/ when unset.
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "unionhub@localhost")
# The federation's mail server, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "unionhub.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UnionHub API",
    "DESCRIPTION": "Scoped access to units, members, cards, reports and documents.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Fields named `state` or `status` with different choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MemberStateEnum": "unionhub.members.models.MemberState",
        "CardStateEnum": "unionhub.cards.models.CardState",
        "FeeStatusEnum": "unionhub.finance.models.FeeStatus",
        "FeeRecordStatusEnum": "unionhub.finance.api.FEE_RECORD_STATUSES",
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------------------------
# Security: the client's address behind proxies, login lockout, throttling, API docs, and the
# Content-Security-Policy. Every value here is documented in README's configuration table.
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

# core.clientip: the one place that turns a request into the client's address (rate limits,
# lockout, API throttles). Without trusted proxies the forwarded header is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
TRUSTED_PROXY_HEADER = "HTTP_" + os.environ.get(
    "TRUSTED_PROXY_HEADER", "X-Forwarded-For"
).upper().replace("-", "_")

INSTALLED_APPS += ["axes", "csp", "django_otp", "django_otp.plugins.otp_totp"]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "unionhub.orgs.two_factor.TwoFactorMiddleware",
)
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its answer.
    "axes.middleware.AxesMiddleware",
]
# Five wrong passwords for one account from one address lock that pair for 15 minutes; another
# officer behind the same office router can still log in.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed logins from one client address per hour, whatever the accounts (core.login): a
# password spray over many accounts is stopped here.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "unionhub.core.clientip.client_address_or_none"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # type: ignore[index]  # not a line per successful login

# Two-factor login (TOTP, orgs.two_factor): any officer may enrol; with this on, unit admins of
# a province (or above) and superusers must enrol before anything else opens.
TWO_FACTOR_PROVINCE_ADMINS = env_bool("TWO_FACTOR_PROVINCE_ADMINS")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "UnionHub")

# Password-reset mails per client address and per e-mail address, per hour.
PASSWORD_RESET_RATE = int(os.environ.get("PASSWORD_RESET_RATE", "5"))

REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "unionhub.core.throttles.AnonRateThrottle",
    "unionhub.core.throttles.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": os.environ.get("API_THROTTLE_ANON", "30/minute"),
    "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
}

# The schema and Swagger UI map every route: behind a login in production unless said otherwise.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", not PRODUCTION)

# Scripts only from our own static files; inline <style> blocks only with the page's nonce;
# style="…" attributes stay allowed (the widgets size their bars with them, and they cannot run
# code). The camera of the check-in station and the kiosk's fetches need nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
