"""Downloads that cannot starve the pages: whole exports built once per revision, streams capped.

A whole export (a list's CSV without filters, the data package and its
tables, the sitemap's pages) is the same for every reader until the next
edit, and at a hundred times the content it takes seconds to write. It is
built once per content revision into a file in EXPORTS_DIR, by the first
request that asks for it, and then served as a file, as whitenoise serves
static files (Content-Length, ETag, Last-Modified, a 304 to a matching
If-None-Match). Not by the write path: an editor's save would wait for every
export, and a load would build them all again at each batch it commits.

A file lock lets one process build a file; a request that comes meanwhile
is told to come back (503 with Retry-After) rather than held. Building and
streaming take a slot of the server's EXPORT_STREAMS: locked files in
EXPORTS_DIR, so that the cap holds across every worker on the machine,
whatever their kind. Beyond it a request gets 503 with Retry-After at once,
and the workers stay free for pages.

A stream that fails once its first bytes have gone (the status is already
200) is logged at ERROR with its request line, as a server error is.
"""

import fcntl
import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from lib.caching import PAGE_TIMEOUT, current_revision

# Seconds a reader is asked to wait when the server is busy with other downloads, or building this one.
RETRY_AFTER = 10
# A file older than this is built again, as a cached page would be: a database restored from a backup
# starts its revisions again, and must not be served exports of the one it replaced.
MAX_AGE = PAGE_TIMEOUT

# Logged as Django logs a server error, so that it is mailed to ADMINS too.
failures = logging.getLogger("django.request")
requests_log = logging.getLogger("gfmd.requests")


def exports_dir():
    path = Path(settings.EXPORTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def busy(message):
    response = HttpResponse(
        f"{message} Please ask again in {RETRY_AFTER} seconds.\n", status=503, content_type="text/plain"
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def too_many():
    return busy("This server is preparing as many downloads as it can at once.")


def try_lock(path):
    """An open file holding an exclusive lock on path, or None when another holds it."""
    handle = open(path, "a+b")  # noqa: SIM115 (held beyond this function: it is the lock)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def stream_slot():
    """One of the server's EXPORT_STREAMS slots, or None when all are taken. Closing it frees it, and so
    does the end of its process, however that comes."""
    folder = exports_dir()
    for number in range(settings.EXPORT_STREAMS):
        if (slot := try_lock(folder / f"stream-{number}.lock")) is not None:
            return slot
    return None


@dataclass(eq=False)
class GuardedStream:
    """A streamed download's chunks, holding a slot until the stream ends or is closed, and logging a
    failure once the first bytes have gone."""

    chunks: object
    slot: object
    request: object
    finished: bool = field(default=False)

    def __iter__(self):
        try:
            yield from self.chunks
            self.finished = True
        except Exception:
            self.finished = True
            failures.error(
                "The download %s %s failed after it had begun: the reader got part of it.",
                self.request.method,
                self.request.get_full_path(),
                exc_info=True,
                extra={"status_code": 500, "request": self.request},
            )
            raise
        finally:
            self.close()

    def close(self):
        if self.slot is not None:
            if not self.finished:
                # Not the site's failure, but the download's line in the log says 200 all the same.
                requests_log.warning(
                    "The download %s %s was closed before its end: the reader left, or the server stopped.",
                    self.request.method,
                    self.request.get_full_path(),
                    extra={"request": self.request},
                )
            self.slot.close()
            self.slot = None
        if hasattr(self.chunks, "close"):
            self.chunks.close()


def stream(request, chunks, *, content_type, filename):
    """A streamed download (a filtered export), within the server's cap on streams; 503 beyond it."""
    slot = stream_slot()
    if slot is None:
        if hasattr(chunks, "close"):
            chunks.close()
        return too_many()
    response = StreamingHttpResponse(GuardedStream(iter(chunks), slot, request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class Export:
    """A whole export: `build(file)` writes it, as bytes; `variant` holds what else it depends on (the
    site's address its links start with, a byte-order mark), so that each gets its file."""

    name: str
    build: object
    content_type: str
    filename: str = ""  # a download's name; none for a page served inline (the sitemap)
    variant: tuple = ()
    # A file small enough to read whole (a sitemap page, at most its limit of addresses) is answered from
    # memory, holding no file open until the response is read.
    small: bool = False

    def stem(self):
        # The database too: two sites (a bench's, a test's) may share a folder, and count revisions alike. And
        # the deployed code (RELEASE), which may write an export otherwise, as it keys the cached pages.
        database = {key: connection.settings_dict.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT")}
        key = (self.name, self.variant, database, settings.RELEASE)
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        return f"{self.name}-{digest}"


def built(request, export):
    """The export's file for the current revision, built now if it is missing; 503 if it cannot be now."""
    revision = getattr(request, "content_revision", None) or current_revision()
    folder = exports_dir()
    path = folder / f"{export.stem()}-r{revision}{Path(export.filename or export.name).suffix}"
    if not fresh(path):
        lock = try_lock(folder / f"{export.stem()}.lock")
        if lock is None:
            return busy("This download is being prepared.")
        try:
            if not fresh(path):
                slot = stream_slot()
                if slot is None:
                    return too_many()
                with slot:
                    write(path, export.build)
                forget_others(folder, export.stem(), path)
        finally:
            lock.close()
    return serve(request, path, export, etag=f'"{path.stem}"')


def fresh(path):
    try:
        return time.time() - path.stat().st_mtime < MAX_AGE
    except FileNotFoundError:
        return False


def write(path, build):
    """Written beside its place and moved there whole: a reader never gets half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as out:
            build(out)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def forget_others(folder, stem, kept):
    """Remove the files of earlier revisions (a process still sending one keeps it open until it is done)."""
    for other in folder.glob(f"{stem}-r*"):
        if other != kept and not other.name.endswith(".partial"):
            other.unlink(missing_ok=True)


def serve(request, path, export, *, etag):
    modified = path.stat().st_mtime
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if not_modified is not None:
        return not_modified
    if export.small:
        response = HttpResponse(path.read_bytes(), content_type=export.content_type)
    else:
        response = FileResponse(
            open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
            content_type=export.content_type,
            as_attachment=bool(export.filename),
            filename=export.filename,
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
