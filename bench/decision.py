"""Measure the decision, events and clicks against a bare Flask hello world, under gunicorn.

    .venv/bin/python bench/decision.py [--seconds 3] [--workers 2] [--connections 50]
                                       [--backends sqlite,postgresql] [--skip-memory]

Two gunicorns with the same settings (sync workers) run side by side on 127.0.0.1:
``hello_app:app``, a bare Flask app answering ``jsonify`` (the floor), and
``app:app``, Ad Manager configured by environment variables as in production. For
each store (SQLite alone; PostgreSQL with the counters in a private Redis) and for
10 and 10,000 live campaigns, ``wrk`` measures in turn, a few seconds each:

- ``hello``: the bare app, measured again next to every point (the machine is shared);
- ``/serve`` of the reference layout (a zone after the headline, two "À lire aussi"
  inserts, a sidebar zone) with ``preview=1``: the decision alone, nothing written;
- ``/serve``: the decision with the ``served`` counters, as readers get it;
- ``/serve`` while a campaign is edited once a second (every process reads that
  campaign again in its background thread, off the request path);
- ``POST /e``: batches of 3 events (zone rendered and viewable, a link rendered) from
  500 real decisions, round-robin (after the first round they are replays, which cost
  the same replay check);
- ``GET /c/<token>``: clicks of 500 real decisions (302 to the advertiser).

Each line prints requests/s, the ratio to hello measured just before it, and p99
against hello's p99. With 10,000 campaigns, 1,000 are booked into the page's zones
and the rest into the site's 99 other zones. Last, one worker holding 10,000
campaigns and 50,000 articles reports its resident memory (RSS).
Every request carries a browser's User-Agent: a bot's would only be filtered.
"""

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import threading
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (
    BROWSER,
    READER,
    UNLIMITED,
    Gunicorn,
    Load,
    PrivateRedis,
    machine,
    postgres_database,
    rss_mb,
    wait_for,
    wrk,
)

SECRET = "bench-secret"  # noqa: S105 (a throwaway key for a throwaway database)
PAGE_QUERY = ("site=bench&layout=article&url=https%3A%2F%2Fwww.journal.example%2Fpolitique%2Fx"
              "&title=Bench&section=politique&vw=1280&lang=fr")
SAMPLES = 500


def build_inventory(database_url: str, campaigns: int, in_page_zones: int,
                    articles: int = 12) -> None:
    """Create the schema and the bench site: the reference layout, ``campaigns`` live."""
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

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
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
        db.session.execute(db.insert(Article), [
            {"site_id": site.id, "url": f"https://www.journal.example/politique/{n}",
             "title": f"Article {n}", "section": "politique", "tags": [],
             "published_at": now - timedelta(minutes=n), "image_url": "", "status": "listed",
             "source": "manual"}
            for n in range(articles)])
        advertiser = Advertiser(name="Annonceur")
        for n in range(campaigns):
            booked = [zones[0], column] if n < in_page_zones else [zones[1 + n % 99]]
            db.session.add(Campaign(
                advertiser=advertiser, name=f"Campagne {n}", state="active",
                starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
                weight=1 + n % 5, goal_impressions=10**9, pace="even", zones=booked,
                target_sections=["politique"] if n % 2 else [],
                creatives=[Creative(kind="image", width=728, height=90, image_file="a.png",
                                    click_url="https://a.example/"),
                           Creative(kind="image", width=300, height=250, image_file="b.png",
                                    click_url="https://a.example/")]))
            if n % 2000 == 1999:
                db.session.flush()
        db.session.commit()
        db.engine.dispose()


def app_env(database_url: str, redis_url: str | None) -> dict:
    """The environment a publisher sets for ``gunicorn app:app``."""
    return {"DATABASE_URL": database_url, "REDIS_URL": redis_url or "", "SECRET_KEY": SECRET,
            "AD_MANAGER_REDIS_PREFIX": "adm-bench:", **UNLIMITED}


def rotating_script(folder: Path, name: str, requests: list[tuple[str, str, str]]) -> Path:
    """Write a wrk Lua script sending ``(method, path, body)`` requests round-robin."""
    lines = ",".join("{" + ",".join(json.dumps(part) for part in request) + "}"
                     for request in requests)
    headers = (f"{{['Content-Type']='text/plain', ['User-Agent']='{BROWSER}', "
               f"['Origin']='{READER['Origin']}'}}")
    script = folder / f"{name}.lua"
    script.write_text(
        f"requests = {{{lines}}}\n"
        "local threads = 0\n"
        "function setup(thread) thread:set('id', threads); threads = threads + 1 end\n"
        "function init(args) counter = id * 97 end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local r = requests[(counter % #requests) + 1]\n"
        f"  return wrk.format(r[1], r[2], {headers}, r[3])\n"
        "end\n")
    return script


def sample_requests(base: str) -> tuple[list, list]:
    """Ask for real decisions; give event batches and click paths from their tokens."""
    batches, clicks = [], []
    for _ in range(SAMPLES):
        request = urllib.request.Request(f"{base}/serve?{PAGE_QUERY}", headers=READER)
        with urllib.request.urlopen(request, timeout=10) as answer:
            decision = json.load(answer)
        ad = next(p["ad"] for p in decision["placements"] if p.get("ad"))
        link = next(link for p in decision["placements"] for link in p.get("links", ()))
        body = json.dumps({"events": [{"t": ad["event"], "k": "rendered"},
                                      {"t": ad["event"], "k": "viewable"},
                                      {"t": link["event"], "k": "rendered"}]})
        batches.append(("POST", "/e", body))
        clicks.append(("GET", "/" + ad["click"].split("/", 3)[3], ""))
    return batches, clicks


def line(name: str, load: Load, hello: Load) -> str:
    errors = f"  {load.errors} ERRORS" if load.errors else ""
    return (f"  {name:<28} {load.rate:7.0f} req/s  ratio {load.rate / hello.rate:4.2f}  "
            f"p99 {load.p99:6.1f} ms ({load.p99 / hello.p99:4.1f}× hello's){errors}")


@contextlib.contextmanager
def edit_every_second(database_url: str):
    """Change a booked campaign's weight once a second, as a salesperson saving the
    campaign form would (the campaigns' counter moves: every process reads that
    campaign again, in its background thread)."""
    from ad_manager import create_app
    from ad_manager.extensions import db
    from ad_manager.models import Campaign

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    stop = threading.Event()

    def edit():
        with app.app_context():
            campaign = db.session.scalars(db.select(Campaign).order_by(Campaign.id)).first()
            while not stop.wait(1.0):
                campaign.weight = campaign.weight % 5 + 1
                db.session.commit()
            db.session.remove()
            db.engine.dispose()

    editor = threading.Thread(target=edit, daemon=True)
    editor.start()
    try:
        yield
    finally:
        stop.set()
        editor.join(10)


def measure_point(label: str, database_url: str, redis_url: str | None, hello_base: str,
                  args, folder: Path, *, with_events: bool) -> None:
    seconds, connections = args.seconds, args.connections
    env = app_env(database_url, redis_url)
    print(f"{label}", flush=True)
    with Gunicorn(env, workers=args.workers) as server:
        serve = f"{server.base}/serve?{PAGE_QUERY}"
        for _ in range(4 * args.workers):  # every worker builds its snapshot
            wait_for(serve + "&preview=1", 120, {"User-Agent": BROWSER})
        wrk(serve + "&preview=1", seconds=1, connections=connections)
        for name, url, edits in [("/serve?preview=1 (no writes)", serve + "&preview=1", False),
                                 ("/serve (counting served)", serve, False),
                                 ("/serve, edited every second", serve, True)]:
            hello = wrk(f"{hello_base}/hello", seconds=seconds, connections=connections)
            with edit_every_second(database_url) if edits else contextlib.nullcontext():
                load = wrk(url, seconds=seconds, connections=connections)
            print(f"  {'hello (bare Flask)':<28} {hello.rate:7.0f} req/s", flush=True)
            print(line(name, load, hello), flush=True)
        if with_events:
            batches, clicks = sample_requests(server.base)
            for name, file, requests in (("POST /e (batch of 3)", "events", batches),
                                         ("GET /c/<token>", "clicks", clicks)):
                script = rotating_script(folder, file, requests)
                hello = wrk(f"{hello_base}/hello", seconds=seconds, connections=connections)
                load = wrk(server.base + "/", seconds=seconds, connections=connections,
                           script=script)
                print(f"  {'hello (bare Flask)':<28} {hello.rate:7.0f} req/s", flush=True)
                print(line(name, load, hello), flush=True)


def measure_memory(folder: Path) -> None:
    url = f"sqlite:///{folder / 'memory.sqlite3'}"
    build_inventory(url, 10_000, 1_000, 50_000)
    with Gunicorn(app_env(url, None), workers=1) as server:
        wait_for(f"{server.base}/serve?{PAGE_QUERY}&preview=1", 120,
                 {"User-Agent": BROWSER})
        wrk(f"{server.base}/serve?{PAGE_QUERY}", seconds=2, connections=10)
        worker = server.workers()[0]
        print(f"memory: one worker with 10,000 campaigns and 50,000 articles, after serving: "
              f"{rss_mb(worker):.0f} MB RSS (target < 300 MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--campaigns", default="10,10000")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    print(f"{machine()}; gunicorn {args.workers} sync workers; wrk 2 threads, "
          f"{args.connections} connections, {args.seconds:g} s per measure", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="adm-bench-"))
    try:
        with Gunicorn({}, target="hello_app:app", workers=args.workers,
                      check_path="/hello") as hello:
            for backend in args.backends.split(","):
                for count in (int(n) for n in args.campaigns.split(",")):
                    label = f"{backend}, {count:,} campaigns"
                    with contextlib.ExitStack() as stack:
                        if backend == "sqlite":
                            url, redis_url = f"sqlite:///{folder}/{count}.sqlite3", None
                        else:
                            url = stack.enter_context(postgres_database())
                            redis_url = stack.enter_context(PrivateRedis()).url
                            label += " (counters in Redis)"
                        build_inventory(url, count, min(count, 10) if count <= 10 else 1000)
                        measure_point(label, url, redis_url, hello.base, args, folder,
                                      with_events=count == 10)
        if not args.skip_memory:
            measure_memory(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
