"""Django settings. Every value comes from an environment variable (see koers/config.py).

The defaults serve the embedded mode: SQLite in WAL mode and a SQLite task store in
the data folder, nothing else to install. DATABASE_URL and KOERS_REDIS_URL switch to
PostgreSQL and Redis for scale-out.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from koers import config

try:
    ENV = config.load()
except config.ConfigError as error:
    # ImproperlyConfigured would bury the message in a traceback; the CLI prints it.
    raise SystemExit(f"Koers cannot start: {error}") from None

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(ENV["KOERS_DATA_DIR"]).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = config.secret_key_for(DATA_DIR, ENV["KOERS_SECRET_KEY"])
DEBUG = ENV["KOERS_DEBUG"]
HTTPS = ENV["KOERS_HTTPS"]
BASE_URL = ENV["KOERS_BASE_URL"]
PROXY_COUNT = ENV["KOERS_PROXY_COUNT"]

ALLOWED_HOSTS = list(ENV["KOERS_ALLOWED_HOSTS"])
_base_host = urlsplit(BASE_URL).hostname
if _base_host and _base_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base_host)
CSRF_TRUSTED_ORIGINS = [BASE_URL]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "ninja",
    "koers.accounts",
    "koers.orgs",
    "koers.audit",
    "koers.api",
    "koers.strategy",
    "koers.support",
    "koers.content",
    "koers.guidelines",
    "koers.listening",
    "koers.alerts",
    "koers.publishing",
    "koers.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "koers.orgs.middleware.OrganisationLanguageMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koers.orgs.context_processors.organisation",
            ],
        },
    }
]

# Database -----------------------------------------------------------------------
if ENV["DATABASE_URL"]:
    DATABASES = {"default": dj_database_url.parse(ENV["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "koers.sqlite3",
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the
                # write lock at BEGIN, so two writers queue instead of failing with
                # "database is locked" halfway through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

# Cache: shared by all processes, because login throttling counts across them.
if ENV["KOERS_REDIS_URL"]:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV["KOERS_REDIS_URL"],
            "KEY_PREFIX": "koers",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "koers_cache",
        }
    }

# Background work ------------------------------------------------------------------
_immediate = ENV["KOERS_TASKS_IMMEDIATE"]
if ENV["KOERS_REDIS_URL"]:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "koers",
        "url": ENV["KOERS_REDIS_URL"],
        "immediate": _immediate,
        "utc": True,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "koers",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": _immediate,
        "utc": True,
    }
HUEY["consumer"] = {
    "workers": ENV["KOERS_TASK_WORKERS"],
    "worker_type": "thread",
    # An idle thread looks at the queue at least every second (Huey's default lets the
    # wait grow to 10 s): an alert passes three tasks (enrichment, evaluation,
    # delivery) and must reach its channels within a minute. Redis storage blocks on
    # the queue instead, so there it makes no difference.
    "max_delay": 1.0,
}

# Accounts ---------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:start"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "koers.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Koers] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Throttling: counted in the shared cache, per IP address and per account.
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Koers"

# Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "koers_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV["KOERS_TIME_ZONE"]

# Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
# Hashed, compressed file names once `collectstatic` has written its manifest (`koers
# run` collects at every start); until then (tests, a bare `koers migrate`) files are
# served straight from the apps under their own names.
_COLLECTING = sys.argv[1:2] == ["collectstatic"]
_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists()
# Uploaded files (photos with content ideas). Never served as static files: a view
# checks that the person belongs to the organisation first.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if (_COLLECTING or _COLLECTED)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _COLLECTED
# Source maps are for developers: keep them, but do not spend a start-up compressing
# megabytes of them.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
)

# E-mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = ENV["KOERS_EMAIL_FROM"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if ENV["KOERS_EMAIL_HOST"]:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV["KOERS_EMAIL_HOST"]
    EMAIL_PORT = ENV["KOERS_EMAIL_PORT"]
    EMAIL_HOST_USER = ENV["KOERS_EMAIL_USER"]
    EMAIL_HOST_PASSWORD = ENV["KOERS_EMAIL_PASSWORD"]
    EMAIL_USE_SSL = ENV["KOERS_EMAIL_SSL"]
    EMAIL_USE_TLS = ENV["KOERS_EMAIL_TLS"] and not EMAIL_USE_SSL
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

INVITATION_DAYS = ENV["KOERS_INVITATION_DAYS"]

# Listening ---------------------------------------------------------------------------
# Whether source fetches may reach private/internal addresses (koers.platforms.http).
OUTGOING_ALLOW_PRIVATE = ENV["KOERS_OUTGOING_ALLOW_PRIVATE"]

# Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health check is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # allauth shows the TOTP QR code as a data: image.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV["KOERS_LOG_LEVEL"]},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # `koers worker` gives huey a handler of its own.
        "huey": {"level": ENV["KOERS_LOG_LEVEL"], "propagate": False},
    },
}
