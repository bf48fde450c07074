"""Measure GET /serve under a real server against a hello-world route on the same server.

    /work/venv/bin/python bench/decision.py [--seconds 5] [--workers 2] [--redis URL]

For 10 and for 1000 campaigns in the database, it builds a fresh SQLite inventory
(the reference article layout: a zone after the headline, two "À lire aussi"
inserts, a sidebar zone, 12 articles), starts gunicorn on 127.0.0.1, and runs
``wrk`` against ``/hello`` (the floor: Flask and gunicorn alone), ``/serve`` with
``preview=1`` (the decision alone, nothing written) and ``/serve`` (decision plus
the ``served`` counters). In the 1000-campaign inventory, 10 campaigns are booked
into the page's zones and the rest into the site's 99 other zones: the decision's
cost should not move. Then all 1000 are booked into the page's zones (the choice
draws among them by weight without scanning them), and the catalogue grows to
5000 articles (the inserts look at an index, not the catalogue).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (campaigns, of which booked into the page's zones, listed articles)
SCENARIOS = ((10, 10, 12), (1000, 10, 12), (1000, 1000, 12), (10, 10, 5000))
# Counters of a bench run live under a prefix of their own, removed at the end.
REDIS_PREFIX = "adm-bench:"
PAGE_QUERY = ("site=bench&layout=article&url=https%3A%2F%2Fwww.journal.example%2Fpolitique%2Fx"
              "&title=Bench&section=politique&vw=1280&lang=fr")


def bench_app():
    """The app for gunicorn: the real one, plus a hello-world route to compare with."""
    from ad_manager import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
                      "SECRET_KEY": "bench", "REDIS_URL": os.environ.get("BENCH_REDIS_URL")
                      or None, "REDIS_PREFIX": REDIS_PREFIX})
    app.add_url_rule("/hello", "hello", lambda: "Hello, World!")
    return app


def build_inventory(database_url: str, campaigns: int, in_page_zone: int,
                    articles: int = 12) -> None:
    """Create the schema and an inventory with ``campaigns`` live campaigns."""
    from ad_manager import create_app
    from ad_manager.extensions import db
    from ad_manager.models import (
        Advertiser,
        Article,
        Campaign,
        Creative,
        Insert,
        Layout,
        Placement,
        Site,
        Zone,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        site = Site(key="bench", name="Bench", allowed_origins=["http://127.0.0.1:*"])
        db.session.add(site)
        db.session.flush()
        zones = [Zone(site_id=site.id, name=f"Zone {n}", slug=f"zone-{n}", sizes=["728x90"],
                      size_map=[{"min_width": 0, "sizes": ["320x100"]},
                                {"min_width": 768, "sizes": ["728x90"]}])
                 for n in range(100)]
        column = Zone(site_id=site.id, name="Colonne", slug="colonne", sizes=["300x250"],
                      size_map=[{"min_width": 0, "sizes": ["300x250"]}])
        insert = Insert(site_id=site.id, name="À lire aussi", slug="a-lire-aussi")
        db.session.add_all([*zones, column, insert])
        db.session.flush()
        layout = Layout(site_id=site.id, name="Article", slug="article", is_default=True)
        layout.placements = [
            Placement(position=0, where="before_first_paragraph", zone_id=zones[0].id),
            Placement(position=1, where="after_paragraph", paragraph=2, insert_id=insert.id),
            Placement(position=2, where="after_paragraph", paragraph=6, insert_id=insert.id),
            Placement(position=3, where="manual", zone_id=column.id)]
        db.session.add(layout)
        db.session.add_all(Article(
            site_id=site.id, url=f"https://www.journal.example/politique/{n}",
            title=f"Article {n}", section="politique", published_at=now - timedelta(hours=n))
            for n in range(articles))
        advertiser = Advertiser(name="Annonceur")
        for n in range(campaigns):
            booked = [zones[0], column] if n < in_page_zone else [zones[1 + n % 99]]
            db.session.add(Campaign(
                advertiser=advertiser, name=f"Campagne {n}", state="active",
                starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
                weight=1 + n % 5, goal_impressions=10**9, pace="even", zones=booked,
                target_sections=["politique"] if n % 2 else [],
                creatives=[Creative(kind="image", width=728, height=90, image_file="a.png",
                                    click_url="https://a.example/"),
                           Creative(kind="image", width=300, height=250, image_file="b.png",
                                    click_url="https://a.example/")]))
        db.session.commit()
        db.engine.dispose()


def wrk(url: str, seconds: int, connections: int) -> float:
    """Run wrk on ``url``; give requests per second."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url} answered errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def in_process(database_url: str, requests: int = 300) -> dict:
    """Time /hello and /serve?preview=1 in this process, one at a time (ms per request).

    Steadier than wrk on a busy machine: no server, no client, no other process.
    """
    os.environ["BENCH_DATABASE_URL"] = database_url
    client = bench_app().test_client()
    client.get(f"/serve?{PAGE_QUERY}&preview=1")  # build the snapshot
    timings = {}
    for name, url in (("hello", "/hello"), ("decision", f"/serve?{PAGE_QUERY}&preview=1")):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(url)
        timings[name] = (time.perf_counter() - started) / requests * 1000
    return timings


def run_server(database_url: str, port: int, workers: int, redis_url: str | None):
    env = dict(os.environ, BENCH_DATABASE_URL=database_url, BENCH_REDIS_URL=redis_url or "")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--pythonpath",
         f"{ROOT},{ROOT / 'bench'}", "--log-level", "warning", "decision:bench_app()"],
        env=env, cwd=ROOT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/hello", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def measure(campaigns: int, in_page_zone: int, articles: int, args, folder: Path,
            port: int) -> dict:
    name = f"bench-{campaigns}-{in_page_zone}-{articles}.sqlite3"
    database_url = f"sqlite:///{folder / name}"
    build_inventory(database_url, campaigns, in_page_zone, articles)
    timings = in_process(database_url)
    server = run_server(database_url, port, args.workers, args.redis)
    base = f"http://127.0.0.1:{port}"
    try:
        wrk(f"{base}/serve?{PAGE_QUERY}&preview=1", 1, args.connections)  # every worker's snapshot
        return {
            "ms": timings,
            "hello": wrk(f"{base}/hello", args.seconds, args.connections),
            "decision": wrk(f"{base}/serve?{PAGE_QUERY}&preview=1", args.seconds,
                            args.connections),
            "counted": wrk(f"{base}/serve?{PAGE_QUERY}", args.seconds, args.connections),
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--redis", default=None, help="REDIS_URL for the counters")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")
    folder = Path(tempfile.mkdtemp(prefix="adm-bench-"))
    print(f"gunicorn {args.workers} workers, wrk 2 threads {args.connections} connections, "
          f"{args.seconds} s per route; requests/s (ratio to /hello)")
    try:
        for campaigns, in_page_zone, articles in SCENARIOS:
            figures = measure(campaigns, in_page_zone, articles, args, folder, args.port)
            hello = figures["hello"]
            print(f"{campaigns:>5} campaigns, {in_page_zone:>4} in the page's zones, "
                  f"{articles:>5} articles: "
                  f"hello {hello:7.0f}  "
                  f"decision {figures['decision']:7.0f} ({figures['decision'] / hello:.2f})  "
                  f"decision+counting {figures['counted']:7.0f} "
                  f"({figures['counted'] / hello:.2f})  |  in process: hello "
                  f"{figures['ms']['hello']:.2f} ms, decision {figures['ms']['decision']:.2f} ms",
                  flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.redis:
            import redis

            client = redis.Redis.from_url(args.redis)
            for key in client.scan_iter(match=REDIS_PREFIX + "*"):
                client.delete(key)


if __name__ == "__main__":
    main()
