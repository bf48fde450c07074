"""Two app servers behind nginx on one PostgreSQL and one Redis, with faults, counted exactly.

    .venv/bin/python bench/cluster.py [--phase-seconds 12] [--readers 6]

Everything runs on 127.0.0.1 and is private to the run: a PostgreSQL cluster made
with ``initdb`` in a temporary folder on a port of its own, a ``redis-server`` with
the append-only file (as the README asks), two gunicorns serving ``app:app`` set up
with ``flask setup`` as the README says, and Debian's nginx running
``deploy/nginx.conf`` in front of them. The machine's own PostgreSQL and Redis are
never touched.

Reader threads ask for decisions through nginx; for each decision answered they queue
its beacon (the zone's rendered and viewable, a link's rendered) and, one time in
four, a click once that beacon is acknowledged (a reader clicks an ad the page shows;
its rendered may still be in the other server's journal: the fold waits for it, or the
click would be filtered as "order"). Beacon threads send them as the loader does: a
503 (or a failed connection) is sent again later with backoff, a 204 / 302 is
acknowledged. Events are journalled, so no outage refuses one. Phases: steady load (with a layout
edit on one server that must reach the other's decisions within 2 s), a gunicorn
worker SIGKILLed every 3 s, Redis stopped 10 s and restarted with its data, Redis
stopped 10 s and restarted empty (just after a fold, as a Redis that lost its disk),
PostgreSQL stopped 10 s. Then the beacons drain, the app servers stop, ``flask stats
fold`` runs (twice: the second must change nothing) and the reports' totals are
compared with what was acknowledged.
"""

import argparse
import contextlib
import http.client
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from decision import PAGE_QUERY, SECRET, build_inventory
from harness import BROWSER, ROOT, Gunicorn, PrivateRedis, free_port, machine, wait_for

PG_BIN = Path("/usr/lib/postgresql/15/bin")
KINDS = ("served", "rendered", "viewable", "clicks")
# The article page the readers are on (the bench site allows http://127.0.0.1:*).
PAGE_ORIGIN = "http://127.0.0.1:8080"
CLICK_HEADERS = {"Referer": f"{PAGE_ORIGIN}/article", "Sec-Fetch-Site": "cross-site",
                 "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1"}
# Every reader of the bench comes from 127.0.0.1: the per-reader rate limits would
# filter them as one address; they are tested elsewhere.
NO_RATE_LIMITS = {f"AD_MANAGER_RATE_LIMIT_{name}": "" for name in (
    "SERVE_PER_READER", "EVENTS_PER_READER", "EVENTS_PER_VIEW", "CLICKS_PER_READER",
    "CLICKS_PER_VIEW")}


def as_postgres(command: list[str]) -> list[str]:
    """Run a PostgreSQL tool as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb) on another port, in a temporary folder."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.bin = bins[-1] if bins else PG_BIN
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="adm-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        subprocess.run(as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U",
                                    "postgres", "--auth=trust", "-E", "UTF8"]),
                       check=True, capture_output=True)
        self.start()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/admanager"
        subprocess.run(as_postgres([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p",
                                    str(self.port), "-U", "postgres", "admanager"]), check=True)

    def _ctl(self, *args: str) -> None:
        subprocess.run(as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w",
                                    *args]), check=True, capture_output=True)

    def start(self) -> None:
        self._ctl("-l", str(self.folder / "postgres.log"), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Nginx:
    """Debian's nginx running deploy/nginx.conf, rewritten for our ports and folders."""

    def __init__(self, upstreams: list[int]):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="adm-nginx-"))
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = site.replace("server 127.0.0.1:8001", f"server 127.0.0.1:{upstreams[0]}")
        site = site.replace("server 127.0.0.1:8002", f"server 127.0.0.1:{upstreams[1]}")
        site = site.replace("/var/cache/nginx/ad-manager", str(self.folder / "cache"))
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        (self.folder / "site.conf").write_text(site)
        (self.folder / "nginx.conf").write_text(
            f"pid {self.folder}/nginx.pid;\nerror_log {self.folder}/error.log;\n"
            "worker_processes 1;\nevents { worker_connections 1024; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            f"  client_body_temp_path {self.folder}/body;\n"
            f"  proxy_temp_path {self.folder}/proxy;\n"
            f"  include {self.folder}/site.conf;\n}}\n")
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
             "-g", "daemon off;"])
        self.base = f"http://127.0.0.1:{self.port}"
        wait_for(self.base + "/embed.js", 30)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


class Phase:
    """What happened to requests while one fault was going on."""

    def __init__(self, name: str):
        self.name = name
        self.decisions = Counter()  # status (or "failed") → n
        self.beacons = Counter()
        self.clicks = Counter()


class Load:
    """Readers asking for decisions, beacon senders sending what they saw, with retries."""

    def __init__(self, port: int, readers: int, senders: int):
        self.port = port
        self.phase = Phase("start")
        self.phases: list[Phase] = []
        self.acknowledged = Counter()  # kind → n
        self.most_shown = 0  # the most placements one decision answered
        self.pending: queue.Queue = queue.Queue()
        self.stopping = threading.Event()
        self.paused = threading.Event()
        self.readers_done = threading.Event()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.retried: dict = defaultdict(list)  # (kind, request) → [(phase, status)]
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(readers)]
        self.threads += [threading.Thread(target=self.send, daemon=True) for _ in range(senders)]

    def start_phase(self, name: str) -> Phase:
        self.phase = Phase(name)
        self.phases.append(self.phase)
        return self.phase

    def _request(self, connection, method: str, path: str, body: str | None = None):
        # As a reader's browser on a page of the site sends them: the decision and the
        # beacons carry the page's origin, a click is a navigation the reader made.
        headers = {"User-Agent": BROWSER, **(CLICK_HEADERS if path.startswith("/c/")
                                             else {"Origin": PAGE_ORIGIN})}
        if body is not None:
            headers["Content-Type"] = "text/plain"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    def read(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stopping.is_set():
            if self.paused.is_set():
                time.sleep(0.05)
                continue
            phase = self.phase
            try:
                try:
                    status, body = self._request(connection, "GET", f"/serve?{PAGE_QUERY}")
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    # nginx closed the idle keep-alive connection: a browser asks again.
                    connection.close()
                    status, body = self._request(connection, "GET", f"/serve?{PAGE_QUERY}")
            except (OSError, http.client.HTTPException) as error:
                phase.decisions[f"failed ({type(error).__name__})"] += 1
                connection.close()
                continue
            phase.decisions[status] += 1
            if status != 200:
                continue
            answer = json.loads(body)
            shown = [item for p in answer["placements"]
                     for item in ([p["ad"]] if p.get("ad") else p.get("links", []))]
            with self.lock:
                self.acknowledged["served"] += len(shown)
                self.most_shown = max(self.most_shown, len(shown))
            ad, link = shown[0], shown[-1]
            # One reader in four clicks the ad, once the page has reported it rendered
            # (a click before its rendered is counted is filtered as "order").
            click = "/" + ad["click"].split("/", 3)[3] if random.random() < 0.25 else None
            self.pending.put(("beacon", (json.dumps({"events": [
                {"t": ad["event"], "k": "rendered"}, {"t": ad["event"], "k": "viewable"},
                {"t": link["event"], "k": "rendered"}]}), click), 0.0, 0))

    def send(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while True:
            try:
                kind, what, not_before, attempts = self.pending.get(timeout=0.2)
            except queue.Empty:
                if self.readers_done.is_set():
                    return
                continue
            if self.paused.is_set() or time.monotonic() < not_before:
                self.pending.put((kind, what, not_before, attempts))
                time.sleep(0.01)
                continue
            counter = self.phase.beacons if kind == "beacon" else self.phase.clicks
            try:
                if kind == "beacon":
                    status, _body = self._request(connection, "POST", "/e", what[0])
                else:
                    status, _body = self._request(connection, "GET", what)
            except (OSError, http.client.HTTPException):
                status = "failed"
                connection.close()
            counter[status] += 1
            if attempts or status not in (204, 302):
                with self.lock:  # what was sent more than once, and how it went
                    self.retried[(kind, what[0] if kind == "beacon" else what)].append(
                        (self.phase.name, status))
            if status in (204, 302):
                with self.lock:
                    if kind == "beacon":
                        self.acknowledged["rendered"] += 2
                        self.acknowledged["viewable"] += 1
                        if what[1]:
                            self.pending.put(("click", what[1], 0.0, 0))
                    else:
                        self.acknowledged["clicks"] += 1
            elif status in (503, 502, 504, "failed"):
                # The loader's bounded backoff: 0.5 s, 1 s, 2 s … up to 8 s between tries.
                delay = min(8.0, 0.5 * 2 ** attempts)
                self.pending.put((kind, what, time.monotonic() + delay, attempts + 1))
            else:
                print(f"  unexpected answer {status} to a {kind}", flush=True)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self, drain_seconds: float = 90) -> None:
        """Stop asking for decisions; let every queued beacon and click be acknowledged."""
        self.stopping.set()
        deadline = time.monotonic() + drain_seconds
        while not self.pending.empty() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.readers_done.set()
        for thread in self.threads:
            thread.join(timeout=15)


def totals(database_url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        row = connection.execute(sa.text(
            "SELECT coalesce(sum(served), 0), coalesce(sum(rendered), 0), "
            "coalesce(sum(viewable), 0), coalesce(sum(clicks), 0) FROM stats_hourly")).one()
    engine.dispose()
    return dict(zip(KINDS, (int(n) for n in row), strict=True))


def filtered(database_url: str) -> dict[str, int]:
    """Give what was filtered, by reason (none is expected but replays of resent events)."""
    import sqlalchemy as sa

    from ad_manager.models.stats import FILTER_REASONS, HourlyStat

    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        row = connection.execute(sa.select(*(
            sa.func.coalesce(sa.func.sum(getattr(HourlyStat, f"filtered_{reason}")), 0)
            for reason in FILTER_REASONS))).one()
    engine.dispose()
    return {reason: int(n) for reason, n in zip(FILTER_REASONS, row, strict=True) if n}


def flask(env: dict, *args: str) -> str:
    return subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "app", *args],
                          env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def edit_reaches_other_server(database_url: str, other: str) -> float:
    """Move the first insert to paragraph 3, as the layout editor does; time until the
    other server's decisions place it there."""
    from ad_manager import create_app
    from ad_manager.extensions import db
    from ad_manager.models import Placement

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        placement = db.session.scalars(db.select(Placement).where(
            Placement.paragraph == 2)).one()
        placement.paragraph = 3
        db.session.commit()
        placement_id = placement.id
        db.engine.dispose()
    edited = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", int(other.rsplit(":", 1)[1]), timeout=5)
    while time.monotonic() - edited < 10:
        connection.request("GET", f"/serve?{PAGE_QUERY}&preview=1",
                           headers={"User-Agent": BROWSER})
        answer = json.loads(connection.getresponse().read())
        if any(p["id"] == placement_id and p["paragraph"] == 3 for p in answer["placements"]):
            return time.monotonic() - edited
        time.sleep(0.05)
    return float("inf")


def kill_workers(servers: list[Gunicorn], seconds: float, every: float = 3.0) -> int:
    killed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(every)
        server = random.choice(servers)
        workers = server.workers()
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)
            killed += 1
    return killed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase-seconds", type=float, default=12)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    run(args)


def run(args) -> dict:
    """Run the whole scenario; print and give its figures."""
    for tool in ("nginx", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (apt-get install nginx redis-server)")
    print(f"{machine()}; 2 gunicorns × {args.workers} sync workers behind nginx; "
          f"{args.readers} readers, {args.senders} beacon senders; "
          f"{args.phase_seconds:g} s per phase", flush=True)
    postgres = PrivatePostgres()
    redis = PrivateRedis(appendonly=True, fsync="everysec")
    servers: list[Gunicorn] = []
    nginx = None
    try:
        env = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url, "SECRET_KEY": SECRET,
               "AD_MANAGER_PROXY_HOPS": "1", **NO_RATE_LIMITS}
        print("setting up PostgreSQL (flask setup) and the inventory…", flush=True)
        flask(env, "setup")
        build_inventory(postgres.url.replace("postgresql://", "postgresql+psycopg://"), 10, 10)
        servers = [Gunicorn(env, workers=args.workers) for _ in range(2)]
        nginx = Nginx([server.port for server in servers])
        print(f"nginx on {nginx.base}, app servers on {servers[0].base} and {servers[1].base}",
              flush=True)
        load = Load(nginx.port, args.readers, args.senders)
        seconds = args.phase_seconds
        load.start_phase("steady load")
        load.start()
        time.sleep(seconds / 2)
        reached = edit_reaches_other_server(
            postgres.url.replace("postgresql://", "postgresql+psycopg://"), servers[1].base)
        time.sleep(seconds / 2)
        print(f"a layout edit reached the other server's decisions in {reached:.2f} s "
              f"(target ≤ 2 s)", flush=True)

        print("phase: workers SIGKILLed", flush=True)
        load.start_phase("worker SIGKILL every 3 s")
        killed = kill_workers(servers, seconds)

        print("phase: Redis stopped", flush=True)
        load.start_phase("Redis stopped 10 s, restarted with its data")
        time.sleep(2)
        redis.stop()
        time.sleep(10)
        redis.start()
        time.sleep(seconds / 2)

        load.start_phase("Redis stopped 10 s, restarted empty (after a fold)")
        load.paused.set()  # a fold, then Redis loses its disk: nothing acknowledged between
        time.sleep(0.5)
        flask(env, "stats", "fold")
        redis.stop(wipe=True)
        load.paused.clear()
        time.sleep(10)
        redis.start()
        time.sleep(seconds / 2)

        print("phase: PostgreSQL stopped", flush=True)
        load.start_phase("PostgreSQL stopped 10 s")
        time.sleep(2)
        postgres.stop()
        time.sleep(10)
        postgres.start()
        time.sleep(seconds / 2)

        print("draining the beacons, then folding", flush=True)
        load.start_phase("drain")
        load.finish()
        for server in servers:  # each worker adds its served-counts journal as it exits;
            server.stop()       # `stats fold` then adds what a killed one left behind
        flask(env, "stats", "fold")
        counted = totals(postgres.url)
        flask(env, "stats", "fold")
        again = totals(postgres.url)

        print(f"\n{'phase':<52} {'decisions':>9} {'200':>7} {'%':>6}   beacons: 204 / 503 / "
              f"other   clicks: 302 / 503 / other")
        for phase in load.phases:
            total = sum(phase.decisions.values())
            ok = phase.decisions[200]
            share = f"{100 * ok / total:5.1f}%" if total else "    -"
            other_b = sum(n for s, n in phase.beacons.items() if s not in (204, 503))
            other_c = sum(n for s, n in phase.clicks.items() if s not in (302, 503))
            print(f"{phase.name:<52} {total:>9} {ok:>7} {share:>6}   "
                  f"{phase.beacons[204]:>7} / {phase.beacons[503]:>3} / {other_b:>3}   "
                  f"{phase.clicks[302]:>9} / {phase.clicks[503]:>3} / {other_c:>3}")
        for phase in load.phases:
            odd = {what: {s: n for s, n in counter.items() if s not in (200, 204, 302)}
                   for what, counter in (("decisions", phase.decisions),
                                         ("beacons", phase.beacons), ("clicks", phase.clicks))}
            odd = {what: found for what, found in odd.items() if found}
            if odd:
                print(f"  {phase.name}: other answers {odd}")
        print(f"workers SIGKILLed: {killed}")
        refused = sum(p.beacons[503] + p.clicks[503] for p in load.phases)
        print(f"\n{'':<10} {'acknowledged':>12} {'counted':>9} {'lost':>6} {'doubled':>8}")
        for kind in KINDS:
            ack, got = load.acknowledged[kind], counted[kind]
            print(f"{kind:<10} {ack:>12} {got:>9} {max(0, ack - got):>6} {max(0, got - ack):>8}")
        print(f"refused with 503 and sent again: {refused}; queued beacons and clicks left "
              f"unsent: {load.pending.qsize()}")
        print(f"second fold changed nothing: {again == counted}")
        reasons = filtered(postgres.url)
        print(f"filtered, by reason: {reasons or 'nothing'}")
        number = {phase.name: n for n, phase in enumerate(load.phases, 1)}
        patterns = Counter(
            (kind, tuple(f"phase {number[phase]}:{status}" for phase, status in tries))
            for (kind, _request), tries in load.retried.items())
        print("sent more than once (kind, tries: phase:answer) × n:")
        for (kind, tries), n in patterns.most_common(12):
            print(f"  {kind:<6} {n:>5} × {' → '.join(tries)}")
        return {"reached": reached, "acknowledged": dict(load.acknowledged),
                "counted": counted, "again": again, "unsent": load.pending.qsize(),
                "phases": {p.name: (sum(p.decisions.values()), p.decisions[200])
                           for p in load.phases if p.name != "drain"},
                "beacon_errors": sum(n for p in load.phases for s, n in p.beacons.items()
                                     if s not in (204, 503, 502, 504) and
                                     not str(s).startswith("failed")),
                "refused": refused, "killed": killed, "most_shown": load.most_shown,
                "filtered": reasons}
    finally:
        if nginx:
            nginx.close()
        for server in servers:
            server.stop()
        redis.close()
        postgres.close()


if __name__ == "__main__":
    main()
