"""The admin's login door: a lock per account and address, and a cap per account across addresses.

Five wrong passwords for one account from one address lock that pair for an
hour (django-axes). Guessing spread over many addresses meets a second limit:
ACCOUNT_FAILURE_LIMIT failures for one account, from all addresses together,
lock the account everywhere. A locked address's further tries are not counted
(AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so one client adds at most
five failures: no single client can lock an editor out for others.
"""

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models import Sum


class LoginHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if not settings.AXES_LOCK_OUT_AT_FAILURE or not username:
            return False
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return failures >= settings.ACCOUNT_FAILURE_LIMIT
