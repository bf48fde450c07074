"""What every benchmark shares: servers on 127.0.0.1, ``wrk`` runs, private stores.

Everything started here listens on 127.0.0.1 only and is stopped by the ``with``
block that started it: gunicorn serving ``app:app`` (the production entry point,
configured by environment variables as a publisher would) or the bare hello-world
app, a private ``redis-server`` on a port of its own, a private PostgreSQL
database on the machine's server, dropped at the end.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# A reader's browser: without a user agent (wrk's default) every request is a bot.
BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Safari/537.36")
# …on a page of the bench site (allowed origin http://127.0.0.1:*): without an Origin
# a decision or event is not from a page of the site and is only filtered.
READER = {"User-Agent": BROWSER, "Origin": "http://127.0.0.1:8000"}
# Every request of a benchmark comes from one address: the per-address rate limits are
# checked (their cost is measured) but set out of reach.
UNLIMITED = {f"AD_MANAGER_RATE_LIMIT_{name}_PER_READER": "100000000 per minute"
             for name in ("SERVE", "EVENTS", "CLICKS")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60.0, headers: dict | None = None) -> None:
    """Wait until ``url`` answers anything but a connection error."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                   timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.1)


@dataclass
class Load:
    """What one ``wrk`` run measured."""

    rate: float  # requests per second
    p99: float  # milliseconds
    p50: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors
    output: str


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, *, seconds: float, connections: int = 50, threads: int = 2,
        script: Path | None = None, headers: dict | None = None) -> Load:
    """Run ``wrk --latency`` against ``url`` for ``seconds``; give its figures."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
               "--timeout", "5s"]
    for name, value in (headers or READER).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            timeout=seconds + 30).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "99" not in latency:
        print(output, file=sys.stderr)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Load(rate=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                p99=_ms(latency["99"]) if "99" in latency else float("inf"),
                p50=_ms(latency["50"]) if "50" in latency else float("inf"),
                requests=int(re.search(r"(\d+) requests in", output).group(1)),
                errors=errors, output=output)


def rss_mb(pid: int) -> float:
    """Give a process's resident memory in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(n) for n in text]
    return found


class Gunicorn:
    """gunicorn with sync workers on 127.0.0.1: ``app:app`` by default."""

    def __init__(self, env: dict, *, target: str = "app:app", workers: int = 2,
                 port: int | None = None, extra: tuple = (), check_path: str = "/embed.js"):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--pythonpath", f"{ROOT},{BENCH}", "--log-level", "warning",
             "--graceful-timeout", "5", "--timeout", "120", *extra, target],
            env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            wait_for(self.base + check_path, 120)
        except BaseException:
            self.stop()
            raise

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class PrivateRedis:
    """A redis-server of our own on another port, in a temporary folder.

    Persistence as the README asks of the counters' Redis: the append-only file,
    fsynced every second (``appendfsync``) unless told otherwise.
    """

    def __init__(self, *, appendonly: bool = True, fsync: str = "everysec",
                 folder: Path | None = None, port: int | None = None):
        self.port = port or free_port()
        self.folder = folder or Path(tempfile.mkdtemp(prefix="adm-redis-"))
        self.appendonly = appendonly
        self.fsync = fsync
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--save", "",
             "--appendonly", "yes" if self.appendonly else "no",
             "--appendfsync", self.fsync, "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise SystemExit("the private redis-server did not start")
            time.sleep(0.05)

    def stop(self, *, wipe: bool = False) -> None:
        """Stop the server (SIGTERM: it writes what it holds); ``wipe`` forgets its data."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        if wipe:
            for path in self.folder.iterdir():
                if path.name != "redis.log":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@contextlib.contextmanager
def postgres_database(server: str = "postgresql://postgres@127.0.0.1:5432"):
    """Give the URL of a new database on the machine's PostgreSQL; drop it afterwards."""
    import sqlalchemy as sa

    name = f"adm_bench_{os.getpid()}_{int(time.time())}"
    admin = sa.create_engine(f"{server}/postgres".replace("postgresql://",
                                                          "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def machine() -> str:
    """Say what the figures were measured on: CPUs, model, load."""
    cpus = os.cpu_count()
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return f"{cpus} CPUs ({model}), load average {load}"
