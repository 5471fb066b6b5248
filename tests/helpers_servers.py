"""Servers a test starts and stops itself: Debian's redis-server, gunicorn."""

import os
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager


def free_port():
    """A port nothing listens on; within TEST_PORTS ("14100-14199") when that is set."""
    span = os.environ.get("TEST_PORTS", "")
    candidates = range(int(span.split("-")[0]), int(span.split("-")[1]) + 1) if span else [0]
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in TEST_PORTS={span}")


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped at start-up: {process.args}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Nothing answered on port {port} within {timeout}s")


def redis_server_path():
    return shutil.which("redis-server") or (os.path.exists("/usr/bin/redis-server") and "/usr/bin/redis-server")


# As docs/operations.md configures production's: a ceiling on memory, the least recently used keys evicted.
REDIS_LIMITS = ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]


@contextmanager
def redis_server():
    """A Redis of the test's own, on a free port, keeping nothing on disk; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            redis_server_path(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            *REDIS_LIMITS,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield RedisProcess(process, port)
    finally:
        stop(process)


def redis_caches(url):
    """The site's two caches (derived values, whole pages) on one Redis, as CACHE_URL makes them."""
    return {
        "default": {"BACKEND": "lib.cache.ForgivingRedisCache", "LOCATION": url, "KEY_PREFIX": "default"},
        "pages": {"BACKEND": "lib.cache.PagesCache", "LOCATION": url, "KEY_PREFIX": "pages"},
    }


class RedisProcess:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self):
        stop(self.process)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def hung_server():
    """A server that accepts connections and never answers, as a Redis that hangs does; yields a Redis URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    accepted = []
    stopping = threading.Event()

    def accept():
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stopping.set()
        listener.close()
        for connection in accepted:
            connection.close()
        thread.join(timeout=5)
