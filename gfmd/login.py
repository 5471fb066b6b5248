"""The admin's login door: failures counted per account and address, capped per account, never locked for all.

- One address that fails AXES_FAILURE_LIMIT (5) times for one account, with no
  success in between, waits a minute before its next try for that account; each
  further failure doubles its wait, up to an hour (`cool_off`). Every other
  address still signs in with the right password.
- Guessing spread over many addresses meets a ceiling: ACCOUNT_FAILURE_LIMIT
  failures for one account from all addresses within a minute pause the account
  until that minute has passed, a minute at most, for every address that has
  not signed in to it in the last month (`account_wait`).
- A refused try is answered at once with 429 and Retry-After (`locked_out`),
  and is not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so
  refusals never lengthen anyone's wait.

The pair's failures are django-axes' access attempts (one row per account,
address and user agent, summed); the account's are its access failure log
(one row per counted failure). Both show in the admin, where deleting an
access attempt lifts that lock.
"""

import logging
import math
from datetime import timedelta

from axes import admin as axes_admin
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_str, get_client_username
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# A pair's failures are forgotten a day after its last one (or at its next success).
MEMORY = timedelta(days=1)
ACCOUNT_WINDOW = timedelta(minutes=1)
# An address an editor signed in from this recently is theirs: the account's ceiling lets it through.
KNOWN_ADDRESS = timedelta(days=30)


def _now(request):
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def _pair(username, address):
    """The account's failures from the address, summed over user agents; with the time of the last."""
    attempts = AccessAttempt.objects.filter(username=username, ip_address=address)
    return attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))


def _wait_after(failures):
    # Bounded so that a long run of failures cannot overflow the timedelta on its way to the cap.
    doublings = min(max(failures - settings.AXES_FAILURE_LIMIT, 0), 12)
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


def cool_off(request):
    """AXES_COOLOFF_TIME: how long after its last failure an address waits for an account."""
    if request is None or not hasattr(request, "axes_ip_address"):
        # Asked outside a sign-in, where no pair is known: only forgotten pairs have expired.
        return MEMORY
    return _wait_after(_pair(get_client_username(request), request.axes_ip_address)["failures"] or 0)


def pair_locked_until(username, address):
    """When this address may try this account again; None if it need not wait for its failures."""
    pair = _pair(username, address)
    if not pair["failures"] or pair["failures"] < settings.AXES_FAILURE_LIMIT:
        return None
    return pair["last"] + _wait_after(pair["failures"])


def pair_wait(request, username):
    """Seconds before this address may try this account again (0: now)."""
    until = pair_locked_until(username, request.axes_ip_address)
    return _seconds_until(until, request) if until else 0


def account_wait(request, username):
    """Seconds before this account's ceiling lets this address try again (0: now)."""
    if not username:
        return 0
    now = _now(request)
    limit = settings.ACCOUNT_FAILURE_LIMIT
    recent = AccessFailureLog.objects.filter(username=username, attempt_time__gt=now - ACCOUNT_WINDOW)
    # The ceiling lifts when the limit-th latest failure leaves the window.
    reaching = recent.order_by("-attempt_time").values_list("attempt_time", flat=True)[limit - 1 : limit]
    if not reaching:
        return 0
    known = AccessLog.objects.filter(
        username=username, ip_address=request.axes_ip_address, attempt_time__gt=now - KNOWN_ADDRESS
    )
    if known.exists():
        return 0
    return _seconds_until(reaching[0] + ACCOUNT_WINDOW, request)


def _seconds_until(moment, request):
    return max(math.ceil((moment - _now(request)).total_seconds()), 0)


class LoginHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        # Every remembered failure of the pair, as pair_locked_until counts them, rather than django-axes'
        # count within one cool-off, so that the failure that locks is answered as the lock it starts.
        return _pair(get_client_username(request, credentials), request.axes_ip_address)["failures"] or 0

    def is_locked(self, request, credentials=None):
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        username = get_client_username(request, credentials)
        return pair_wait(request, username) > 0 or account_wait(request, username) > 0

    def remove_out_of_limit_failure_logs(self, *, username, limit=None):
        # Keep the latest AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT failures: django-axes deletes the first
        # rows in the database's own order, which may be the latest ones the account's ceiling counts.
        limit = settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT if limit is None else limit
        failures = AccessFailureLog.objects.filter(username=username)
        latest = failures.order_by("-attempt_time", "-pk").values("pk")[:limit]
        count, _ = failures.exclude(pk__in=latest).delete()
        return count

    def clean_expired_user_attempts(self, request=None, credentials=None):
        # django-axes would clean by this request's cool-off, which differs between addresses:
        # a pair's failures are kept as long as they can still make it wait.
        count, _ = AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - MEMORY).delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the refusal, at once, saying how long to wait."""
    username = get_client_username(request, credentials) or ""
    wait = max(pair_wait(request, username), account_wait(request, username), 1)
    client = get_client_str(username, request.axes_ip_address, request.axes_user_agent, request.path, request)
    log.warning("Sign-in by %s refused: waits %d seconds.", client, wait)
    context = {"username": username, "wait": _readable(wait), "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(wait)
    return response


def _readable(seconds):
    if seconds < 90:
        return f"{seconds} seconds" if seconds != 1 else "1 second"
    return f"{math.ceil(seconds / 60)} minutes"


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' list of failures per account and address, with when each address may try again.

    Deleting a row lifts that address's wait; its "clean up" forgets only what no longer counts.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handler = LoginHandler()
        self.list_display = [*self.list_display, "waits_until"]

    @admin.display(description=gettext_lazy("Waits until"))
    def waits_until(self, attempt):
        until = pair_locked_until(attempt.username, attempt.ip_address)
        return until if until and until > timezone.now() else "-"
