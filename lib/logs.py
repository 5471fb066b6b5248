"""What the site writes to its log: every request on one line, every server error with its traceback.

The log goes to stderr, where gunicorn and systemd/journald collect it.
"""

import logging
import time

request_log = logging.getLogger("gfmd.requests")


class RequestLine(logging.Filter):
    """Gives a record about a request the request's first line, so that a traceback says what failed."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            record.request_line = f"{request.method} {request.get_full_path()}"
        else:
            record.request_line = "-"
        return True


def log_requests(get_response):
    """One line per request: method, address, status and the time it took."""

    def middleware(request):
        started = time.monotonic()
        response = get_response(request)
        took = (time.monotonic() - started) * 1000
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.get_full_path(),
            response.status_code,
            took,
            extra={"status_code": response.status_code},
        )
        return response

    return middleware


def logging_config(*, level, mail_admins):
    """The LOGGING setting: stderr for everything, mail to ADMINS for server errors when they are set."""
    handlers = {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "line",
            "filters": ["request_line"],
        },
    }
    error_handlers = ["stderr"]
    if mail_admins:
        handlers["mail_admins"] = {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"}
        error_handlers.append("mail_admins")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_line": {"()": RequestLine}},
        "formatters": {
            "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_line)s] %(message)s"},
        },
        "handlers": handlers,
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Django's own loggers would also go to its console handler, which is silent without DEBUG.
            "django": {"handlers": ["stderr"], "level": level, "propagate": False},
            "django.request": {"handlers": error_handlers, "level": "ERROR", "propagate": False},
            "django.security": {"handlers": error_handlers, "level": "ERROR", "propagate": False},
            # A stray Host header is a client's mistake or a scanner, not the site's: logged, never mailed,
            # so that a scan cannot flood the admins' mail or hold workers on a slow mail server.
            "django.security.DisallowedHost": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "gfmd.requests": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            # Failed sign-ins and lockouts, not every successful one.
            "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
    }
