"""Read settings from the environment, rejecting values that do not parse."""

import hashlib
import os
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name, *, default):
    return os.environ.get(name, default)


def env_origin(name, *, default):
    """'https://gfmd.example.org': a scheme and a host (a port if need be), no path; unset, the default, and
    with no default a message saying to set it."""
    raw = os.environ.get(name, "").strip().rstrip("/")
    if not raw:
        if default is None:
            raise ImproperlyConfigured(
                f"{name} is not set: give the address readers use, such as https://gfmd.example.org, from which "
                "the site builds its absolute links."
            )
        return default
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an address such as https://gfmd.example.org: a scheme (http or https) and a "
            "host, with no path."
        )
    try:
        _ = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} has a port that is not a number from 0 to 65535.") from error
    return raw


def file_digest(path, *, default):
    """The first 12 hex digits of the file's SHA-256, or the default when there is no such file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except FileNotFoundError:
        return default


def env_bool(name, *, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
    )


def env_int(name, *, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name, *, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty item; give a comma-separated list such as 'example.org,www.example.org'."
        )
    return items


def sqlite_database(path):
    # Connections are kept between requests: a new one reads the whole schema again before its first
    # query, which costs a cached page ten times what serving it does.
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "CONN_MAX_AGE": 60}


def env_database(name, *, sqlite_path):
    """Unset: an SQLite file. postgres://user:password@host:port/name: PostgreSQL."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return sqlite_database(sqlite_path)
    parts = urlsplit(raw)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"{name}={raw!r} names no file; use sqlite:///path/to/db.sqlite3.")
        return sqlite_database(path[1:] if path.startswith("//") else path)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} has the scheme {parts.scheme!r}; only postgres:// and sqlite:/// are supported."
        )
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name or "/" in db_name:
        raise ImproperlyConfigured(f"{name}={raw!r} names no database; use postgres://user@host:5432/name.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} has a port that is not a number.") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def env_cache(name, *, alias="default"):
    """Unset: a cache in each process's memory. redis://host:port/db: a Redis shared by the app servers.

    Each alias is a cache of its own: its own memory, or its own keys in the one Redis.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    scheme = urlsplit(raw).scheme
    if scheme in {"redis", "rediss", "unix"}:
        backend = "lib.cache.PagesCache" if alias == "pages" else "lib.cache.ForgivingRedisCache"
        return {"BACKEND": backend, "LOCATION": raw, "KEY_PREFIX": alias}
    raise ImproperlyConfigured(f"{name} has the scheme {scheme!r}; use redis://, rediss:// or unix://.")


def env_admins(name):
    """'Ops <ops@example.org>, alice@example.org' as Django's ADMINS: (name, address) pairs."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    admins = []
    for display, address in getaddresses([raw]):
        if "@" not in address:
            raise ImproperlyConfigured(
                f"{name}={raw!r} holds {address or display!r}, which is not an email address; "
                "give addresses separated by commas, such as 'Ops <ops@example.org>, alice@example.org'."
            )
        admins.append((display or address, address))
    return admins


def read_env_file(path):
    """NAME=value lines; blank lines and # comments skipped, surrounding quotes removed."""
    values = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.removeprefix("export ").strip()
        if not equals or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: {line!r} is not NAME=value.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def load_env_file(base_dir):
    """For manage.py: `.env` if there is one, else the development defaults of `.env.example` when
    the environment sets neither DEBUG nor SECRET_KEY. The environment always wins."""
    base_dir = Path(base_dir)
    chosen = base_dir / ".env"
    if not chosen.exists():
        if "DEBUG" in os.environ or "SECRET_KEY" in os.environ:
            return None
        chosen = base_dir / ".env.example"
        if not chosen.exists():
            return None
    for name, value in read_env_file(chosen).items():
        os.environ.setdefault(name, value)
    return chosen
