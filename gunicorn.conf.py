"""gunicorn's settings for the site, read from the directory gunicorn runs in (`gunicorn gfmd.wsgi ...`).

Only what the server itself should do: the command line gives the address and the number of workers.

A full collection of Python's garbage walks every object the collector tracks. Once Django has loaded
the models, the URLconf and the templates, a worker holds about 100,000 of them, nearly all for its whole
life, and a full collection took 35 to 65 ms: every twenty-odd requests of a busy list, the slowest 5% of
it (API activities: median 20 ms, p95 125 ms). After its first request each worker moves them to the
collector's permanent generation (gc.freeze, which the Python docs describe for this), so later
collections walk only what came since (the same list's slowest of 90 requests: 129 -> 49 ms). A frozen
object is still freed when nothing refers to it any more; only a cycle among frozen objects would stay, so
garbage is collected first.
"""

import gc


def post_request(worker, req, environ, resp):
    # Called once the response has gone out; the first request has loaded what the worker keeps for life.
    if getattr(worker, "froze_long_lived_objects", False):
        return
    worker.froze_long_lived_objects = True
    gc.collect()
    gc.freeze()
