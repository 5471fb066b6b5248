"""What a server process keeps for its whole life, taken out of the garbage collector's way.

A full collection walks every object Python tracks. Once Django has loaded the
models, the URLconf and the templates, a process holds about 100,000 of them,
and a full collection took 35 to 65 ms. It came every twenty-odd requests, so it
became the slowest 5% of a busy list (`make bench`, API activities: median 20 ms,
p95 125 ms). Nearly all those objects live as long as the process, so after the
first request they are moved to the collector's permanent generation (gc.freeze,
which the Python docs describe for this). Later collections walk only what was
made since. A frozen object is still freed when nothing refers to it any more;
only a cycle among frozen objects would stay, so garbage is collected first.
"""

import gc

from django.core.signals import request_finished

DISPATCH_UID = "lib-long-lived-freeze"


def freeze_after_first_request():
    request_finished.connect(freeze, dispatch_uid=DISPATCH_UID)


def freeze(**kwargs):
    # Once per process: on request_finished, after the response has gone out.
    request_finished.disconnect(dispatch_uid=DISPATCH_UID)
    gc.collect()
    gc.freeze()
