"""make bench: how fast every page is at the real size and at 100 times it, on SQLite and PostgreSQL.

1. For each database, in a database of its own (an SQLite file in a temporary folder; `gfmd_bench` on
   the PostgreSQL server BENCH_POSTGRES names, dropped at the end): migrate, load the content,
   measure every page type in-process (bench/measure.py), add 99 synthetic copies of the content
   (generate_synthetic --scale 99), measure again.
2. At 100x on each database: gunicorn with production settings and a Redis of the bench's own as the
   shared cache, under wrk on loopback: cached pages in three rounds, each beside the bare Django view;
   then uncached pages (the page cache off, what is derived per revision kept in Redis).
3. The same recommendations, exported through our own CSV, served by Datasette with the same
   facets, under wrk in the same run as our faceted list.

Prints a Markdown report and writes it to bench-results.md. Targets at 100x: every page's p95
under 50 ms uncached and under 250 ms after an edit, query counts equal to 1x, no errors under load,
our faceted list at least 3x Datasette's requests per second, cached pages at least 70% of the bare
view's (the median of three rounds).
"""

import argparse
import csv
import http.client
import json
import math
import os
import platform
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
DATASETTE_VENV = BENCH / ".venv-datasette"
DATASETTE = DATASETTE_VENV / "bin" / "datasette"
OUTPUT = ROOT / "bench-results.md"

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
BENCH_DB = os.environ.get("BENCH_DB", "gfmd_bench")
SCALE = 99  # synthetic copies on top of the real content: 100x in all
P95_TARGET_MS = 50
DATASETTE_RATIO_TARGET = 3
PAGE_KB_TARGET = 300
EDIT_P95_TARGET_MS = 250  # the first request after an edit, everything derived per revision cold
CACHED_SHARE_TARGET = 0.7  # of a bare Django view's requests per second, with Redis, the median of the rounds
CACHED_ROUNDS = 3
CSV_FIRST_BYTE_TARGET_MS = 100
# Memory flat in the number of rows: 100 times the rows may take at most this many times the memory.
CSV_MEMORY_RATIO_TARGET = 4

# Readers downloading the whole exports again and again, while other readers' pages are timed beside them.
EXPORT_DOWNLOADERS = 8
EXPORT_PAGE = "/meetings/"
EXPORT_PAGE_P95_TARGET_MS = 200
EXPORT_DOWNLOADS = [
    "/activities/?format=csv",
    "/recommendations/?format=csv",
    "/sessions/?format=csv",
    "/data/gfmd-knowledge-base.zip",
    "/sitemap.xml",
    "/sitemap-recommendations.xml",
]

# With a Redis that hangs, the pages that read most from the cache; each at least this share of the requests/s
# it has on the server without a page cache (every request rendered): the breaker makes a worker wait for the
# cache once every few seconds, not at each request.
HUNG_CACHE_TESTS = [("session page", None), ("faceted list", "/activities/?gmg_member=UNODC&gmg_member=UNDP")]
HUNG_CACHE_SHARE_TARGET = 0.5

WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_THREADS, WRK_CONNECTIONS = 2, 16
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))

BARE = ("bare Django view", "/bench/bare/")
LOAD_TESTS = [
    BARE,
    ("home", "/"),
    ("session page", None),  # the session page bench/measure.py picked
    ("faceted list", "/activities/?gmg_member=UNODC&gmg_member=UNDP"),
    ("API list", "/api/recommendations/?year=2009"),
    ("search", "/search/?q=remittances"),
]
OUR_FACETED = "/recommendations/?year=2009"
FACETS = ("year", "kind", "track", "meeting")
DATASETTE_FACETED = "/gfmd/recommendations?year=2009&" + "&".join(f"_facet={f}" for f in FACETS) + "&_size=25"
INTEGER_COLUMNS = {"id", "meeting_id", "year", "roundtable_id", "roundtable", "session_id", "parent_id"}


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def base_env(database_url):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    env.update(DEBUG="true", DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(env, *, quick=False):
    if quick:
        # At 1x the pages are a reference and their query counts the baseline: fewer samples keep the run short.
        env = {**env, "BENCH_REQUESTS": env.get("BENCH_REQUESTS_1X", "10"), "BENCH_PAGE_BUDGET_S": "2"}
    out = subprocess.run(
        [PYTHON, str(BENCH / "measure.py")], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(out)


def bench_database(label, database_url):
    """Measure at 1x and 100x; returns (results, env at 100x)."""
    env = base_env(database_url)
    started = time.monotonic()
    log(f"{label}: migrate and load the content")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_gfmd")
    log(f"{label}: measure at 1x")
    one = measure(env, quick=True)
    log(f"{label}: generate_synthetic --scale {SCALE}")
    manage(env, "generate_synthetic", "--scale", str(SCALE))
    settle(database_url)
    log(f"{label}: measure at 100x")
    hundred = measure(env)
    log(f"{label}: done in {time.monotonic() - started:.0f} s")
    return {
        "1x": one["pages"],
        "100x": hundred["pages"],
        "csv_1x": one["csv"],
        "csv_100x": hundred["csv"],
        "exports_1x": one["exports"],
        "exports_100x": hundred["exports"],
        "indexes_1x": one["indexes"],
        "indexes_100x": hundred["indexes"],
        "counts": hundred["counts"],
    }, env


def settle(database_url):
    """The bulk writes of the 100x content on disk before anything is measured.

    Otherwise they are written over the next minutes, beside the measurement: PostgreSQL's next timed
    checkpoint spreads 300 MB over four and a half minutes (`checkpoint_completion_target`), and the pages
    measured then ran 1.6 times slower, cached ones included, than the same pages measured alone.
    """
    if database_url.startswith("postgres"):
        with admin_connection() as connection:
            connection.execute("CHECKPOINT")
    os.sync()


# -- PostgreSQL database of the bench's own ---------------------------------


def admin_connection():
    return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)


@contextmanager
def postgres_database():
    with admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
        version = connection.execute("SHOW server_version").fetchone()[0]
    try:
        yield f"{POSTGRES}/{BENCH_DB}", version
    finally:
        with admin_connection() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


# -- servers and wrk --------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(command, *, env, port, ready_path, log_path):
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if ready_path is None:  # not HTTP: a connection is the answer
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                else:
                    fetch(port, ready_path)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start:\n{tail(log_path)}") from None
                time.sleep(0.3)
        yield
    except Exception:
        log(f"{Path(command[0]).name} log:\n{tail(log_path)}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(path, size=4000):
    return Path(path).read_bytes()[-size:].decode("utf-8", "replace")


def fetch(port, path, timeout=30):
    """(status, body), without following redirects: a redirect is not the page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wrk(port, path):
    # Warm every worker first, and make sure the page answers at all.
    for _ in range(2 * GUNICORN_WORKERS):
        status, _ = fetch(port, path)
        if status != 200:
            # Measured all the same: wrk counts the failures, and the report shows them.
            log(f"{path} answered {status}")
            break
    out = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{WRK_SECONDS}s",
            "--timeout",
            "5s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        "socket_errors": sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)),
    }
    for percent in ("50", "99"):
        m = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        value, unit = float(m.group(1)), m.group(2)
        result[f"p{percent}_ms"] = round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)
    result["errors"] = result["non_2xx"] + result["socket_errors"]
    return result


def production_env(database_url, static_root, *, cache, cache_url=""):
    env = base_env(database_url)
    env.update(
        CACHE_URL=cache_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        # Plain HTTP on loopback: in production a TLS proxy sits in front.
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(static_root),
        BENCH_CACHE="on" if cache else "off",
    )
    return env


def datasette_database(csv_bytes, path):
    """Our CSV export in an SQLite table, typed, with an index per facet, as one would publish it."""
    rows = list(csv.reader(csv_bytes.decode("utf-8").splitlines(keepends=True)))
    header, body = rows[0], rows[1:]
    columns = ", ".join(f'"{c}" {"INTEGER" if c in INTEGER_COLUMNS else "TEXT"}' for c in header)
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE recommendations ({columns}, PRIMARY KEY (id))")
        db.executemany(
            f"INSERT INTO recommendations VALUES ({', '.join('?' * len(header))})",
            [
                [None if (v == "" and c in INTEGER_COLUMNS) else v for c, v in zip(header, row, strict=True)]
                for row in body
            ],
        )
        for facet in FACETS:
            db.execute(f'CREATE INDEX recommendations_{facet} ON recommendations ("{facet}")')
    return len(body)


def ensure_datasette():
    if DATASETTE.exists():
        return
    log("installing Datasette into bench/.venv-datasette (benchmark only)")
    subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
    subprocess.run(
        [
            str(DATASETTE_VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            str(BENCH / "requirements-datasette.txt"),
        ],
        check=True,
    )


@contextmanager
def redis_server(workdir):
    """A Redis of the bench's own, on a free port, keeping nothing on disk; yields its URL."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    # As docs/operations.md configures production's: a ceiling on memory, the least recently used keys evicted.
    command += ["--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"]
    with server(command, env=os.environ.copy(), port=port, ready_path=None, log_path=workdir / "redis.log"):
        yield f"redis://127.0.0.1:{port}/0"


def load_tests(label, database_url, session_url, workdir):
    """gunicorn under wrk with a shared Redis, with its page cache and without; Datasette right after our
    uncached list."""
    static_root = workdir / "static"
    if not static_root.exists():
        manage(production_env(database_url, static_root, cache=True), "collectstatic", "--noinput", "--verbosity", "0")
    targets = [(name, path or session_url) for name, path in LOAD_TESTS]
    targets.append(("faceted list, as in Datasette", OUR_FACETED))
    results = {"workers": GUNICORN_WORKERS, "rounds": CACHED_ROUNDS}
    db_path = workdir / "gfmd.db"  # Datasette names the database after the file: /gfmd/...
    with redis_server(workdir) as cache_url:
        for mode in ("cached", "uncached"):
            port = free_port()
            gunicorn = gunicorn_command(port)
            env = production_env(database_url, static_root, cache=mode == "cached", cache_url=cache_url)
            log_path = workdir / f"{label}-{mode}.log"
            with server(gunicorn, env=env, port=port, ready_path="/robots.txt", log_path=log_path):
                if not db_path.exists():
                    log("export the recommendations as CSV for Datasette")
                    status, csv_bytes = fetch(port, "/recommendations/?format=csv", timeout=300)
                    if status != 200:
                        raise RuntimeError(f"the CSV export answered {status}")
                    datasette_database(csv_bytes, db_path)
                if mode == "cached":
                    # Rounds of every page beside the bare view, so that what else the machine does weighs on both.
                    rounds = [load_round(label, port, targets, f"cached, round {n + 1}") for n in range(CACHED_ROUNDS)]
                    results["cached_rounds"] = rounds
                    results["cached"] = median_round(rounds)
                    log(f"{label}: {EXPORT_PAGE} while {EXPORT_DOWNLOADERS} readers download the whole exports")
                    results["exports"] = export_load(port)
                else:
                    uncached = [(name, path) for name, path in targets if path != BARE[1]]  # the bare view: once
                    results["uncached"] = load_round(label, port, uncached, "uncached")
                if any(row["errors"] for row in results[mode]):
                    log(f"errors under load; the server's log:\n{tail(log_path)}")
            if mode == "uncached":
                results["datasette"] = load_datasette(db_path, workdir)
    hung = [(name, path or session_url) for name, path in HUNG_CACHE_TESTS]
    results["hung_cache"] = hung_cache_load(label, production_env(database_url, static_root, cache=True), hung, workdir)
    with sqlite3.connect(db_path) as db:
        results["datasette_rows"] = db.execute("SELECT count(*) FROM recommendations").fetchone()[0]
    return results


def gunicorn_command(port):
    workers = str(GUNICORN_WORKERS)
    return [GUNICORN, "gfmd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", workers, "--log-level", "warning"]


@contextmanager
def hung_redis():
    """A Redis that hangs: it accepts connections and never answers. Yields its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    listener.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        listener.close()
        for connection in held:
            connection.close()


def hung_cache_load(label, env, targets, workdir):
    """The deployed server (page cache on) whose Redis hangs: pages are rendered without it, each worker waiting
    for the cache's timeout once every few seconds."""
    port = free_port()
    with hung_redis() as cache_url:
        log_path = workdir / f"{label}-hung-cache.log"
        with server(
            gunicorn_command(port),
            env={**env, "CACHE_URL": cache_url},
            port=port,
            ready_path="/robots.txt",
            log_path=log_path,
        ):
            return load_round(label, port, targets, "with a Redis that hangs")


def load_round(label, port, targets, mode):
    rows = []
    for name, path in targets:
        log(f"{label}: wrk {mode} {name}: {path}")
        rows.append({"name": name, "url": path, **wrk(port, path)})
    return rows


def median_round(rounds):
    """Each URL's median run of the rounds (by requests/s), with its share of the bare view's requests/s in
    its own round, and the median of those shares."""
    rows = []
    for runs in zip(*rounds, strict=True):
        ceilings = [next(row for row in one if row["url"] == BARE[1])["rps"] for one in rounds]
        shares = [run["rps"] / ceiling if ceiling else 0 for run, ceiling in zip(runs, ceilings, strict=True)]
        median = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
        rows.append(
            {
                **median,
                "errors": sum(run["errors"] for run in runs),
                "rps_rounds": [run["rps"] for run in runs],
                "share": sorted(shares)[len(shares) // 2],
            }
        )
    return rows


def export_load(port, seconds=WRK_SECONDS):
    """EXPORT_PAGE's latency alone, then while EXPORT_DOWNLOADERS readers download the whole exports (the
    lists' CSVs, the data package, the sitemap) again and again on the same server. Each export is asked
    for once first: that request builds its file for the revision, and its time is reported too."""
    builds = {}
    for url in EXPORT_DOWNLOADS:
        started = time.perf_counter()
        status, body = fetch(port, url, timeout=300)
        builds[url] = {"status": status, "kb": round(len(body) / 1024), "ms": round(ms_since(started), 1)}
    alone = page_latencies(port, seconds / 2)
    stop, downloads = threading.Event(), []

    def download(first):
        for turn in range(first, 10**9):
            if stop.is_set():
                return
            url = EXPORT_DOWNLOADS[turn % len(EXPORT_DOWNLOADS)]
            started = time.perf_counter()
            status, body = fetch(port, url, timeout=60)
            downloads.append({"url": url, "status": status, "ms": ms_since(started), "bytes": len(body)})

    readers = [threading.Thread(target=download, args=(n,)) for n in range(EXPORT_DOWNLOADERS)]
    for reader in readers:
        reader.start()
    try:
        beside = page_latencies(port, seconds)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    return {
        "page": EXPORT_PAGE,
        "seconds": seconds,
        "downloaders": EXPORT_DOWNLOADERS,
        "builds": builds,
        "alone": alone,
        "beside": beside,
        "downloads": len(downloads),
        "download_mb": round(sum(d["bytes"] for d in downloads) / 2**20, 1),
        "download_p95_ms": round(percentile([d["ms"] for d in downloads]), 1) if downloads else None,
        "download_errors": sum(1 for d in downloads if d["status"] != 200),
    }


def ms_since(started):
    return (time.perf_counter() - started) * 1000


def percentile(values, fraction=0.95):
    """Nearest rank, as bench/measure.py takes it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def page_latencies(port, seconds, clients=2):
    """EXPORT_PAGE asked again and again by `clients` readers for `seconds`: its latencies' p50 and p95."""
    timings, failures = [], []
    deadline = time.monotonic() + seconds

    def read():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = fetch(port, EXPORT_PAGE, timeout=30)
            except OSError:
                status = None
            timings.append(ms_since(started))
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=read) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(timings)
    return {
        "n": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p95_ms": round(percentile(ordered), 1),
        "errors": len(failures),
    }


def load_datasette(db_path, workdir):
    version = subprocess.run([str(DATASETTE), "--version"], check=True, stdout=subprocess.PIPE, text=True).stdout
    port = free_port()
    datasette = [
        str(DATASETTE),
        "serve",
        "-i",
        str(db_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
    ]
    with server(datasette, env=os.environ.copy(), port=port, ready_path="/gfmd.json", log_path=workdir / "ds.log"):
        log(f"wrk Datasette: {DATASETTE_FACETED}")
        result = wrk(port, DATASETTE_FACETED)
    return {"name": "Datasette", "url": DATASETTE_FACETED, "version": version.strip(), **result}


# -- report -----------------------------------------------------------------


def pair(page, prefix=""):
    return f"{page[prefix + 'median_ms']} / {page[prefix + 'p95_ms']}"


def page_table(result):
    one = {p["name"]: p for p in result["1x"]}
    lines = [
        "| page | 1x ms, median / p95 | 1x queries | 100x ms, median / p95 | 100x cached ms, median / p95 "
        "| 100x after an edit ms, median / p95 | 100x queries | 100x size | targets at 100x |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in result["100x"]:
        base = one[page["name"]]
        lines.append(
            f"| {page['name']} `{page['url']}` | {pair(base)} | {base['queries']} | {pair(page)} "
            f"| {pair(page, 'cached_')} | {pair(page, 'edit_')} | {page['queries']} | {page['kb']} kB "
            f"| {', '.join(misses(page, base)) or 'met'} |"
        )
    return lines


def misses(page, base):
    missed = []
    if page["p95_ms"] >= P95_TARGET_MS:
        missed.append("p95")
    if page["edit_p95_ms"] >= EDIT_P95_TARGET_MS:
        missed.append("p95 after an edit")
    # A streamed page (a CSV) is never cached: its uncached time is its only time.
    if page["cached_p95_ms"] >= P95_TARGET_MS and not page.get("streaming"):
        missed.append("cached p95")
    # Growth is what the count guards against, as in the summary: fewer queries at 100x is no defect.
    if page["queries"] > base["queries"]:
        missed.append("queries")
    if page["kb"] > PAGE_KB_TARGET:
        missed.append("size")
    if page["status"] != 200 or base["status"] != 200:
        missed.append(f"status {base['status']} / {page['status']}")
    return missed


def csv_table(result):
    one = {c["name"]: c for c in result["csv_1x"]}
    lines = [
        "| CSV | 1x lines | 1x peak memory | 100x lines | 100x size | 100x first byte | 100x whole | 100x peak memory "
        "| streamed |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in result["csv_100x"]:
        base = one[row["name"]]
        lines.append(
            f"| {row['name']} `{row['url']}` | {base['lines']} | {base['peak_kb']} kB | {row['lines']} "
            f"| {row['kb']} kB "
            f"| {row['first_byte_ms']} ms | {row['whole_ms']} ms | {row['peak_kb']} kB "
            f"| {'yes' if row['streaming'] else 'no'} |"
        )
    return lines


def exports_table(result):
    one = {row["name"]: row for row in result["exports_1x"]}
    lines = [
        "| export | 1x size | 1x built | 100x size | 100x built | 100x served |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in result["exports_100x"]:
        base = one[row["name"]]
        lines.append(
            f"| {row['name']} `{row['url']}` | {base['kb']} kB | {base['build_ms']} ms | {row['kb']} kB "
            f"| {row['build_ms']} ms | {row['served_ms']} ms |"
        )
    return lines


def downloads_report(exports):
    alone, beside = exports["alone"], exports["beside"]
    lines = [
        f"### `{exports['page']}` beside {exports['downloaders']} downloads at once, 100x",
        "",
        f"The same server as the cached rounds. First each whole export is asked for once, which builds its file "
        f"for the revision; then `{exports['page']}` is timed by 2 readers, alone for {exports['seconds'] / 2:g} s "
        f"and for {exports['seconds']} s while {exports['downloaders']} readers download the whole exports again "
        f"and again "
        f"({exports['downloads']} downloads, {exports['download_mb']} MB, p95 {exports['download_p95_ms']} ms, "
        f"{exports['download_errors']} not 200).",
        "",
        "| export | first request (builds the file) | status | size |",
        "|---|--:|--:|--:|",
    ]
    for url, build in exports["builds"].items():
        lines.append(f"| `{url}` | {build['ms']} ms | {build['status']} | {build['kb']} kB |")
    lines += [
        "",
        f"| `{exports['page']}` | requests | p50 | p95 | errors |",
        "|---|--:|--:|--:|--:|",
        *(
            f"| {label} | {row['n']} | {row['p50_ms']} ms | {row['p95_ms']} ms | {row['errors']} |"
            for label, row in (("alone", alone), ("beside the downloads", beside))
        ),
        "",
    ]
    return lines


def hung_cache_report(load):
    uncached = {row["url"]: row for row in load["uncached"]}
    lines = [
        "### A Redis that hangs, 100x",
        "",
        "The deployed server (page cache on) with `CACHE_URL` naming a server that accepts connections and never "
        "answers, under the same wrk load: each worker waits for the cache's timeout (0.5 s) once, and again "
        "after each rest of the breaker (5 s); meanwhile it renders from the database.",
        "",
        "| endpoint | requests/s | latency p50 / p99 | errors | uncached requests/s (no page cache, Redis up) |",
        "|---|--:|--:|--:|--:|",
    ]
    for row in load["hung_cache"]:
        other = f"{uncached[row['url']]['rps']:.1f}" if row["url"] in uncached else "-"
        lines.append(
            f"| {row['name']} `{row['url']}` | {row['rps']:.1f} | {row['p50_ms']} / {row['p99_ms']} ms "
            f"| {row['errors']} | {other} |"
        )
    return [*lines, ""]


def index_table(result):
    one = {row["name"]: row for row in result["indexes_1x"]}
    lines = [
        "| list | 1x records | 1x build | 100x records | 100x facet values | 100x build | 100x memory |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["indexes_100x"]:
        base = one[row["name"]]
        lines.append(
            f"| {row['name']} | {base['records']} | {base['build_ms']} ms | {row['records']} | {row['values']} "
            f"| {row['build_ms']} ms | {row['kb']} kB |"
        )
    return lines


def load_table(load):
    uncached = {row["url"]: row for row in load["uncached"]}
    lines = [
        "| endpoint | cached requests/s, median (rounds) | of the bare view's | cached latency p50 / p99 "
        "| cached errors | uncached requests/s | uncached latency p50 / p99 | uncached errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for cached in load["cached"]:
        row = uncached.get(cached["url"])
        rest = f"{row['rps']:.1f} | {row['p50_ms']} / {row['p99_ms']} ms | {row['errors']}" if row else "- | - | -"
        rounds = ", ".join(f"{rps:.0f}" for rps in cached["rps_rounds"])
        lines.append(
            f"| {cached['name']} `{cached['url']}` | {cached['rps']:.1f} ({rounds}) | {cached['share']:.0%} "
            f"| {cached['p50_ms']} / {cached['p99_ms']} ms | {cached['errors']} | {rest} |"
        )
    return lines


def slow_table(result):
    lines = [
        "| page | uncached samples | SQL time of one request | slowest query | its time |",
        "|---|--:|--:|---|--:|",
    ]
    for page in result["100x"]:
        if page["p95_ms"] < P95_TARGET_MS:
            continue
        sql = " ".join(page["slowest_sql"].split())
        sql = sql[:160] + ("…" if len(sql) > 160 else "")
        lines.append(
            f"| {page['name']} | {page['n']} | {page['sql_ms']} ms | `{sql.replace('|', '¦')}` "
            f"| {page['slowest_sql_ms']} ms |"
        )
    return lines


def ratio(ours, theirs):
    return ours["rps"] / theirs["rps"] if theirs["rps"] else float("inf")


def faceted(load, mode):
    return next(row for row in load[mode] if row["url"] == OUR_FACETED and row["name"].endswith("Datasette"))


def bare(load):
    return next(row for row in load["cached"] if row["url"] == BARE[1])


DATABASES = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))


def report(results, meta):
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['date']} with `make bench`: {meta['cpus']} cores, load average {meta['load_before']} before "
        f"and {meta['load_after']} after; Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {meta['postgres']}. Whole run: {meta['minutes']:.1f} minutes.",
        "",
        "Server time is measured in-process with Django's test client, DEBUG off, after a warm-up. "
        "*Uncached*: the page cache is emptied before each request, so every request renders the page, "
        "as for any URL nobody asked for since the last edit; what pages derive per content revision is kept. "
        "*After an edit*: a new content revision before each request, so nothing derived from the content is "
        "kept (facet indexes included), as for the first visitor after an edit. *Cached*: the same URL "
        "again with unchanged content. Up to 30 requests each at 100x (10 at 1x), fewer for pages that use up "
        "their time budget "
        "(see *samples* below). Queries: the SQL queries of one uncached request. 100x is the real content plus "
        f"`generate_synthetic --scale {SCALE}`.",
        "",
        "Records at 100x: " + ", ".join(f"{n} {name}" for name, n in results["postgresql"]["counts"].items()) + ".",
        "",
        "## Targets at 100x",
        "",
        *targets(results),
        "",
    ]
    for key, title in DATABASES:
        lines += database_report(title, results[key])
    return "\n".join(lines)


def database_report(title, result):
    lines = [
        f"## {title}",
        "",
        "### Pages",
        "",
        *page_table(result),
        "",
        "### CSV exports",
        "",
        "Streamed through the test client: the first byte, the last, and the most memory Python allocated "
        "while the whole export was read (tracemalloc).",
        "",
        *csv_table(result),
        "",
        "### Whole exports",
        "",
        "Built once per content revision into a file and then served as one (lib/exports.py), in-process: the "
        "first request after an edit builds the file, the next ones are served it (the median of 5).",
        "",
        *exports_table(result),
        "",
        "### Facet indexes",
        "",
        "Each list counts its facets and finds its pages in an index of bitsets (lib/facet_index.py), read "
        "from the database once per content revision in each server process: the first list page after an "
        "edit pays its build on top of the page's own time; every other page, cached or not, reads it.",
        "",
        *index_table(result),
        "",
    ]
    if "load" in result:
        lines += load_report(result)
    return lines + [
        "### Where the time goes in the slow pages (100x)",
        "",
        "Each page whose uncached p95 misses the target: the time its SQL took in the counted request, "
        "and its slowest query. The rest of the time is Python: building and rendering the page.",
        "",
        *slow_table(result),
        "",
    ]


def load_report(result):
    load = result["load"]
    theirs = load["datasette"]
    ours_cached, ours = faceted(load, "cached"), faceted(load, "uncached")
    lines = [
        "### Load on gunicorn, 100x",
        "",
        f"gunicorn, {load['workers']} sync workers, production settings (DEBUG off); wrk, {WRK_THREADS} threads, "
        f"{WRK_CONNECTIONS} connections, {WRK_SECONDS} s per URL, on loopback on the same machine; a Redis of "
        "the run's own as the shared cache (`CACHE_URL`). Cached: the page cache on, as deployed, "
        f"{load['rounds']} rounds of every URL; the median round's figures, and the median of the rounds' shares "
        "of the bare view's requests/s in the same round. Uncached: the same server with a page cache that keeps "
        "nothing, so every request renders its page; what pages derive per revision stays in Redis, as between "
        "edits. The bare Django view answers through the same middleware, with no database, no cache and no "
        "template: the ceiling for a cached page.",
        "",
        *load_table(load),
        "",
        "Errors: responses other than 2xx or 3xx, plus connect, read, write errors and timeouts (5 s).",
        "",
        *downloads_report(load["exports"]),
        *hung_cache_report(load),
        "### Against Datasette",
        "",
        f"The {load['datasette_rows']} recommendations at 100x, exported with `/recommendations/?format=csv`, "
        f"imported into an SQLite table (typed columns, an index on each facet) and served by "
        f"{theirs['version']} (immutable mode, suggested facets off, one process as Datasette runs), "
        "under the same wrk load, right after our uncached list.",
        "",
        "| server | URL | requests/s | latency p50 / p99 | errors |",
        "|---|---|--:|--:|--:|",
    ]
    for label, row in (("ours, cached", ours_cached), ("ours, uncached", ours), ("Datasette", theirs)):
        lines.append(
            f"| {label} | `{row['url']}` | {row['rps']:.1f} | {row['p50_ms']} / {row['p99_ms']} ms | {row['errors']} |"
        )
    lines += [
        "",
        f"Ratio ours / Datasette: **{ratio(ours, theirs):.2f}x** uncached, "
        f"**{ratio(ours_cached, theirs):.2f}x** cached (target: at least {DATASETTE_RATIO_TARGET}x uncached).",
        "",
    ]
    return lines


def verdict(ok, detail=""):
    return ("**met**" if ok else "**not met**") + (f" ({detail})" if detail else "") + "."


def targets(results):
    lines = []
    for key, title in DATABASES:
        result = results[key]
        lines += page_targets(title, result) + csv_targets(title, result)
        if "load" in result:
            lines += load_targets(title, result["load"])
    return lines


def page_targets(title, result):
    one = {p["name"]: p for p in result["1x"]}
    slow = [f"{p['name']} ({p['p95_ms']} ms)" for p in result["100x"] if p["p95_ms"] >= P95_TARGET_MS]
    late = [f"{p['name']} ({p['edit_p95_ms']} ms)" for p in result["100x"] if p["edit_p95_ms"] >= EDIT_P95_TARGET_MS]
    slowest = max(result["100x"], key=lambda p: p["edit_p95_ms"])
    more = [
        f"{p['name']} ({one[p['name']]['queries']} -> {p['queries']})"
        for p in result["100x"]
        # Growth is what the count guards against: a search whose first results hold fewer kinds of record at 100x
        # reads fewer histories, and that is no defect.
        if p["queries"] > one[p["name"]]["queries"]
    ]
    big = [f"{p['name']} ({p['kb']} kB)" for p in result["100x"] if p["kb"] > PAGE_KB_TARGET]
    largest = max(result["100x"], key=lambda p: p["kb"])
    return [
        f"- {title}, every page's uncached p95 under {P95_TARGET_MS} ms: "
        + verdict(not slow, f"missed on {len(slow)}: " + ", ".join(slow) if slow else ""),
        f"- {title}, every page's p95 of the first request after an edit under {EDIT_P95_TARGET_MS} ms: "
        + verdict(not late, ", ".join(late) if late else f"slowest: {slowest['name']}, {slowest['edit_p95_ms']} ms"),
        f"- {title}, no page makes more queries than at 1x: " + verdict(not more, ", ".join(more)),
        f"- {title}, no page over {PAGE_KB_TARGET} kB: "
        + verdict(not big, ", ".join(big) if big else f"largest: {largest['name']}, {largest['kb']} kB"),
    ]


def csv_targets(title, result):
    first = max(result["csv_100x"], key=lambda c: c["first_byte_ms"])
    base = {c["name"]: c for c in result["csv_1x"]}
    growth = max(result["csv_100x"], key=lambda c: c["peak_kb"] / max(base[c["name"]]["peak_kb"], 1))
    times = growth["peak_kb"] / max(base[growth["name"]]["peak_kb"], 1)
    rows = growth["lines"] / max(base[growth["name"]]["lines"], 1)
    return [
        f"- {title}, CSV first byte under {CSV_FIRST_BYTE_TARGET_MS} ms: "
        + verdict(
            first["first_byte_ms"] < CSV_FIRST_BYTE_TARGET_MS and all(c["streaming"] for c in result["csv_100x"]),
            f"slowest {first['name']}, {first['first_byte_ms']} ms",
        ),
        f"- {title}, CSV memory flat in rows (at most {CSV_MEMORY_RATIO_TARGET}x the memory for 100x the rows): "
        + verdict(
            times <= CSV_MEMORY_RATIO_TARGET,
            f"{growth['name']}: {rows:.0f}x the rows, {times:.1f}x the memory, "
            f"{base[growth['name']]['peak_kb']} -> {growth['peak_kb']} kB",
        ),
    ]


def load_targets(title, load):
    value = ratio(faceted(load, "uncached"), load["datasette"])
    cached = [row for row in load["cached"] if row["url"] != BARE[1]]
    lowest = min(cached, key=lambda row: row["share"])
    errors = [
        f"{r['name']}, {mode} ({r['errors']})" for mode in ("cached", "uncached") for r in load[mode] if r["errors"]
    ]
    return [
        f"- {title}, uncached faceted list `{OUR_FACETED}` at least {DATASETTE_RATIO_TARGET}x Datasette's "
        f"requests/s: " + verdict(value >= DATASETTE_RATIO_TARGET, f"{value:.2f}x"),
        f"- {title}, cached pages on Redis at least {CACHED_SHARE_TARGET:.0%} of the bare view's requests/s, "
        f"median of {load['rounds']} rounds: "
        + verdict(
            lowest["share"] >= CACHED_SHARE_TARGET,
            f"lowest {lowest['name']} {lowest['rps']:.0f} of {bare(load)['rps']:.0f}, {lowest['share']:.1%}",
        ),
        f"- {title}, no errors under load: " + verdict(not errors, ", ".join(errors)),
        export_target(title, load["exports"]),
        hung_cache_target(title, load),
    ]


def hung_cache_target(title, load):
    uncached = {row["url"]: row["rps"] for row in load["uncached"]}
    shares = [(row, row["rps"] / uncached[row["url"]]) for row in load["hung_cache"] if uncached.get(row["url"])]
    lowest, share = min(shares, key=lambda pair: pair[1]) if shares else (None, 0)
    errors = sum(row["errors"] for row in load["hung_cache"])
    detail = f"lowest {lowest['name']}, {share:.0%}; {errors} errors" if lowest else "not measured"
    return (
        f"- {title}, with a Redis that hangs, pages at least {HUNG_CACHE_SHARE_TARGET:.0%} of their requests/s "
        "without a page cache: " + verdict(bool(shares) and share >= HUNG_CACHE_SHARE_TARGET and not errors, detail)
    )


def export_target(title, exports):
    beside = exports["beside"]
    return (
        f"- {title}, `{exports['page']}` p95 under {EXPORT_PAGE_P95_TARGET_MS} ms while {exports['downloaders']} "
        f"readers download the whole exports: "
        + verdict(
            beside["p95_ms"] < EXPORT_PAGE_P95_TARGET_MS and not beside["errors"],
            f"{beside['p95_ms']} ms, {beside['errors']} errors; alone {exports['alone']['p95_ms']} ms",
        )
    )


def load_average():
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def arguments():
    parser = argparse.ArgumentParser(description="Measure every page at 1x and 100x on SQLite and PostgreSQL.")
    parser.add_argument("--only", metavar="TEXT", help="measure only the pages whose name holds TEXT")
    parser.add_argument("--no-load", action="store_true", help="leave out gunicorn, wrk and Datasette")
    return parser.parse_args()


def main():
    options = arguments()
    if options.only:
        os.environ["BENCH_ONLY"] = options.only
    started = time.monotonic()
    if not options.no_load:
        for tool in ("wrk", "redis-server"):
            if subprocess.run(["sh", "-c", f"command -v {tool}"], stdout=subprocess.DEVNULL).returncode != 0:
                sys.exit(f"{tool} is missing: install it (apt-get install -y {tool}).")
        ensure_datasette()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "load_before": load_average()}
    results = {}
    with tempfile.TemporaryDirectory(prefix="gfmd-bench-") as tmp:
        workdir = Path(tmp)
        # The run's own: every server and measurement of it builds its exports there, thrown away at the end.
        os.environ["EXPORTS_DIR"] = str(workdir / "exports")
        sqlite_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        results["sqlite"], _ = bench_database("SQLite", sqlite_url)
        if not options.no_load:
            session_url = next(p["url"] for p in results["sqlite"]["100x"] if p["name"] == "session page")
            results["sqlite"]["load"] = load_tests("SQLite", sqlite_url, session_url, workdir)
        with postgres_database() as (database_url, version):
            meta["postgres"] = version
            results["postgresql"], _ = bench_database("PostgreSQL", database_url)
            if not options.no_load:
                session_url = next(p["url"] for p in results["postgresql"]["100x"] if p["name"] == "session page")
                results["postgresql"]["load"] = load_tests("PostgreSQL", database_url, session_url, workdir)
    meta["load_after"] = load_average()
    meta["minutes"] = (time.monotonic() - started) / 60
    text = report(results, meta)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    (ROOT / "bench-results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(text)
    log(f"written to {OUTPUT.name} and bench-results.json")


if __name__ == "__main__":
    main()
