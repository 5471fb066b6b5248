"""The WSGI application. It refuses to start when it could serve no page (gfmd/health.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gfmd.settings")
application = get_wsgi_application()

from gfmd.health import refuse_to_start_without_static_files  # noqa: E402  (needs the settings set up above)

refuse_to_start_without_static_files()
