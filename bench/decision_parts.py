"""Where one decision's time goes, in process: each step of ``/serve`` timed alone.

    .venv/bin/python bench/decision_parts.py [--decisions 3000] [--campaigns 10]

Builds the bench inventory of ``bench/decision.py`` in a temporary SQLite database,
then runs the steps of ``serving.decision.answer_page`` one after the other inside one
request context, many times, and prints the mean time of each, and next to it a whole
counted ``/serve`` through the app and a bare Flask hello world (``bench/hello_app.py``)
called the same way. No server, no network: the figures are CPU time of this process,
to tell which step to work on; the ratios that count are ``bench/decision.py``'s. A step
repeated in a tight loop runs with warm caches, so the steps add up to less than a
whole request: the last line is that difference.
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from decision import PAGE_QUERY, app_env, build_inventory
from harness import READER


def mean_us(call, times: int) -> float:
    for _ in range(min(200, times)):
        call()
    started = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - started) / times * 1e6


def wsgi_call(app, path: str, query: str, headers: dict):
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path, query_string=query, headers=headers,
                             environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()

    def call():
        answer = app(dict(environ), lambda status, headers, exc_info=None: None)
        b"".join(answer)
        getattr(answer, "close", lambda: None)()
    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=3000)
    parser.add_argument("--campaigns", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="adm-parts-"))
    try:
        url = f"sqlite:///{folder / 'parts.sqlite3'}"
        build_inventory(url, args.campaigns, min(args.campaigns, 1000))
        os.environ.update(app_env(url, None))
        os.environ["AD_MANAGER_COUNTS_JOURNAL_DIR"] = str(folder / "journal")
        measure(args.decisions)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(times: int) -> None:
    import orjson
    from flask import request
    from hello_app import app as hello

    from ad_manager import create_app
    from ad_manager.delivery.answer import Page, compose
    from ad_manager.delivery.creative_choice import PageContext
    from ad_manager.delivery.devices import device_class
    from ad_manager.models import utcnow
    from ad_manager.serving import decision
    from ad_manager.serving.page_query import query_args, read_page_request
    from ad_manager.serving.snapshot_loader import current_delivered
    from ad_manager.stats.validity import rules_of

    app = create_app()
    whole = wsgi_call(app, "/serve", PAGE_QUERY, READER)
    whole()  # builds the snapshot
    figures = {"a bare Flask hello world, whole": mean_us(
        wsgi_call(hello, "/hello", "", {}), times),
        "/serve counted, whole (through the lane)": mean_us(whole, times)}
    with app.test_request_context(f"/serve?{PAGE_QUERY}", headers=READER,
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        asked = read_page_request(query_args(request.query_string), len(request.query_string))
        site, layout = decision.find_site_and_layout(asked)
        agent = request.headers.get("User-Agent", "")
        context = PageContext(section=asked.section.casefold(),
                              tags=frozenset(tag.casefold() for tag in asked.tags),
                              device=device_class(agent), language=asked.language or "fr")
        rules = rules_of(site.site)
        links = decision.web_links(decision.app_root(request._get_current_object()))

        def page() -> Page:
            return Page(inventory=site, layout=layout, request=asked, context=context,
                        view=secrets.token_urlsafe(12), now=utcnow(), rng=decision._random,
                        delivered=current_delivered(), links=links)

        composed = page()
        answer = compose(composed)
        steps = {
            "read the page's query": lambda: read_page_request(
                query_args(request.query_string), len(request.query_string)),
            "find site and layout": lambda: decision.find_site_and_layout(asked),
            "device class": lambda: device_class(agent),
            "reader and request checks": lambda: decision.invalid_decision(
                request._get_current_object(), rules, agent),
            "compose (choices, tokens)": lambda: compose(page()),
            "count served (journal)": lambda: decision.count_served(
                composed.served, site.site.id, composed.now),
            "answer as JSON": lambda: orjson.dumps(answer),
        }
        for name, step in steps.items():
            figures[name] = mean_us(step, times)
    steps_total = sum(micros for name, micros in figures.items() if "whole" not in name)
    # Steps repeated in a tight loop run with warm caches: a whole request pays more
    # for each of them than its line says, which this line also holds.
    figures["the rest: Flask, first reads, headers; colder caches in a request"] = (
        figures["/serve counted, whole (through the lane)"] - steps_total)
    for name, micros in figures.items():
        print(f"{name:<66} {micros:8.1f} µs")


if __name__ == "__main__":
    main()
