"""Settings for the GFMD knowledge base.

Whatever differs between machines comes from the environment, read by
gfmd/env.py, and a value that does not parse stops start-up with a message
saying why (README.md lists the variables). The defaults serve one machine
from an SQLite file and each process's memory as the cache. With DEBUG off,
SECRET_KEY must be set and readers are sent to HTTPS; production also sets
ALLOWED_HOSTS, DATABASE_URL and, with several app servers, CACHE_URL.
`manage.py` takes development defaults (DEBUG=true) from .env or .env.example.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from gfmd.env import env_admins, env_bool, env_cache, env_database, env_int, env_list, env_origin, env_str, file_digest
from lib.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise SystemExit("SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local development.")
    # Development only: a new key each start, so no key ever sits in the repository.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Where readers find the site: every absolute link (citations, the API's next pages, the sitemap, the data
# package) is built from it, never from a request's Host header, which a client chooses.
SITE_URL = env_origin("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else None)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, whose forms it extends with a field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "simple_history",
    "axes",
    "gfmd",
    "themes",
    "sessions.apps.SessionsConfig",
    "recommendations",
    # The content pipeline: load_gfmd, export_gfmd, check_content, generate_synthetic.
    "pipeline",
]

MIDDLEWARE = [
    # First, so that its line gives every response's final status and the whole time taken.
    "lib.logs.log_requests",
    "django.middleware.security.SecurityMiddleware",
    "gfmd.security.security_headers",
    "gfmd.middleware.reject_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF, authentication and admin middleware, which a page served again does not need.
    "lib.caching.page_cache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware, as Django asks: it reads the language from the address
    # (/fr/, /es/; none is English), then admin_language gives the admin the editor's own.
    "django.middleware.locale.LocaleMiddleware",
    "gfmd.middleware.admin_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "gfmd.middleware.admin_not_indexed",
    # Last, as django-axes requires, so that it sees every login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "gfmd.urls"
WSGI_APPLICATION = "gfmd.wsgi.application"

TEMPLATES = [
    {
        # The public pages (templates/): one engine from the layout to the last partial.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "gfmd.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "gfmd.context_processors.page_url",
                "gfmd.context_processors.languages",
            ],
        },
    },
    {
        # The admin, with its overrides (gfmd/templates/), and the pages of the libraries it uses.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gfmd" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gfmd.context_processors.page_url",
                "gfmd.context_processors.languages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=BASE_DIR / "db.sqlite3")}
# Both keyed by the content revision, so a cache that is not shared between app
# servers is still never stale; sharing it only saves work. `pages` holds whole
# responses, `default` what pages derive from the content (lib/caching.py).
CACHES = {"default": env_cache("CACHE_URL"), "pages": env_cache("CACHE_URL", alias="pages")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The project's models the building blocks in lib/ work with, named here as AUTH_USER_MODEL names the user
# model, so that lib/ imports no app: read them with lib.models.configured_model().
SOURCE_DOCUMENT_MODEL = "gfmd.SourceDocument"
SEARCH_DOCUMENT_MODEL = "gfmd.SearchDocument"
ANCHOR_MODEL = "gfmd.Anchor"
SOURCE_TEXT_MODEL = "gfmd.SourceText"
UNRECORDED_TEXT_MODEL = "gfmd.UnrecordedText"
CONTENT_REVISION_MODEL = "gfmd.ContentRevision"
TAG_SNAPSHOT_MODEL = "gfmd.TagSnapshot"
LINK_MODEL = "recommendations.Link"
RELATED_RECORD_MODEL = "gfmd.RelatedRecord"
WORDING_VECTOR_MODEL = "gfmd.WordingVector"
WORDING_VOCABULARY_MODEL = "gfmd.WordingVocabulary"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks the Forum's three languages: English at the addresses it always had, French under
# /fr/ and Spanish under /es/ (gfmd/urls.py). Dates keep their English formats; the records quote their
# sources in the sources' own language. The catalogues, compiled, are in the repository.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# A slug the admin suggests is made from the English name, whatever the editor's language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en-gb"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# The deployed code's version, in every cached page's key and ETag, so that a deploy shows at once rather
# than at the next edit: RELEASE when the deploy sets it (a commit, a tag), else the hash of the static
# manifest collectstatic writes.
RELEASE = env_str("RELEASE", default="").strip() or file_digest(STATIC_ROOT / "staticfiles.json", default="dev")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve files straight from static/ when collectstatic has not run (make run, tests).
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site's root: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

TAGGIT_CASE_INSENSITIVE = True

# HTTPS in production: behind a proxy that terminates TLS, set BEHIND_TLS_PROXY=true
# so that Django trusts its X-Forwarded-Proto header.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the app servers directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Staff sign in for a working day: eight hours from their last request, not two weeks from signing in.
SESSION_COOKIE_AGE = 8 * 60 * 60
# Where a sign-in lands when its `next` is missing or points off the site: the admin's index, not Django's
# default /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Brute-force protection on the admin login (gfmd/login.py): five wrong passwords for one
# account from one address make that address wait a minute, doubling with each further failure;
# ACCOUNT_FAILURE_LIMIT failures for one account from all addresses within a minute pause it for
# the rest of that minute. Every refusal is a 429 with Retry-After, at once.
AXES_HANDLER = "gfmd.login.LoginHandler"
AXES_FAILURE_LIMIT = 5
ACCOUNT_FAILURE_LIMIT = env_int("ACCOUNT_FAILURE_LIMIT", default=30)
if ACCOUNT_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(f"ACCOUNT_FAILURE_LIMIT={ACCOUNT_FAILURE_LIMIT} must be at least 1.")
AXES_COOLOFF_TIME = "gfmd.login.cool_off"
AXES_LOCKOUT_CALLABLE = "gfmd.login.locked_out"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every counted failure, with its time: the account's ceiling counts them, the admin lists them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Tries refused during a wait are not counted, so refusals never lengthen anyone's wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The log names the account and the address of each failure; AXES_SENSITIVE_PARAMETERS=ip_address
# masks the addresses.
AXES_SENSITIVE_PARAMETERS = env_list("AXES_SENSITIVE_PARAMETERS", default=[])
# Behind proxies, the client's address is in X-Forwarded-For (read by django-ipware). The count is
# how many addresses the proxies put after the client's there: 0 behind one nginx that appends
# $remote_addr, 1 behind a load balancer and then nginx. Unset: the connection's own address.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", default=None)
if AXES_IPWARE_PROXY_COUNT is not None:
    if AXES_IPWARE_PROXY_COUNT < 0:
        raise ImproperlyConfigured(f"AXES_IPWARE_PROXY_COUNT={AXES_IPWARE_PROXY_COUNT} cannot be negative.")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# The client's address is the entry AXES_IPWARE_PROXY_COUNT places from the right, which the
# proxies wrote, however many entries the client put before it. django-ipware's strict mode would
# instead distrust a longer header and fall back to the proxy's address, one lock for all such clients.
IPWARE_STRICT = False

# Every request on one line and every server error with its traceback, on stderr; server errors
# are also mailed to ADMINS when set ("Ops <ops@example.org>, alice@example.org").
ADMINS = env_admins("ADMINS")
LOG_LEVEL = env_str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")
LOGGING = logging_config(level=LOG_LEVEL, mail_admins=bool(ADMINS))
SERVER_EMAIL = env_str("SERVER_EMAIL", default="gfmd@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds a request that mails a server error waits for the mail server: one that never answers must not
# hold a worker until the server's own timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=5)

# Whole exports (the lists' CSVs, the data package, the sitemap), built once per content revision and served
# as files (lib/exports.py); each app server keeps its own. EXPORT_STREAMS: how many downloads one server
# builds or streams at once (filtered CSVs), across all its workers; beyond them, 503 with Retry-After.
EXPORTS_DIR = Path(env_str("EXPORTS_DIR", default=str(BASE_DIR / "var" / "exports")))
EXPORT_STREAMS = env_int("EXPORT_STREAMS", default=2)
if EXPORT_STREAMS < 1:
    raise ImproperlyConfigured(f"EXPORT_STREAMS={EXPORT_STREAMS} must be at least 1.")

# Where the knowledge base's content lives; tests point it elsewhere.
GFMD_FIXTURES_DIR = BASE_DIR / "fixtures"
