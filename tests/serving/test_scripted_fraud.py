"""The attacker's loop of the invalid-traffic issue, over real HTTP: a short script with
a desktop Chrome user agent, no JavaScript and no ``Origin``, making 50 page views as
fast as it can: decisions, rendered, viewable and clicks. Almost none of it may count.
"""

import http.client
import json
import time
from urllib.parse import urlencode, urlsplit

import pytest

from ad_manager.extensions import db
from tests.factories import make_inventory
from tests.serving.conftest import figures

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")
PAGE = "https://www.journal.example/politique/ce-jour-la"


def fraud(base: str, views: int = 50) -> dict:
    """The script, as an attacker writes it (redirects not followed: no outside traffic)."""
    host = urlsplit(base).netloc
    sent = {"views": 0, "events": 0, "clicks": 0}
    for _ in range(views):
        conn = http.client.HTTPConnection(host, timeout=10)
        query = urlencode({"site": "journal", "layout": "article", "url": PAGE, "vw": 1280})
        conn.request("GET", f"/serve?{query}", headers={"User-Agent": CHROME})
        answer = json.loads(conn.getresponse().read())
        ads = [p.get("ad") or {} for p in answer["placements"]]
        ads += [link for p in answer["placements"] for link in p.get("links") or []]
        events = [{"t": ad["event"], "k": k} for ad in ads if "event" in ad
                  for k in ("rendered", "viewable")]
        conn.request("POST", "/e", body=json.dumps({"events": events}),
                     headers={"User-Agent": CHROME, "Content-Type": "text/plain"})
        conn.getresponse().read()
        for ad in ads:
            if "click" in ad:
                conn.request("GET", urlsplit(ad["click"]).path, headers={"User-Agent": CHROME})
                conn.getresponse().read()
                sent["clicks"] += 1
        sent["views"] += 1
        sent["events"] += len(events)
        conn.close()
    return sent


@pytest.fixture
def inventory(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    return make_inventory()


def test_a_scripted_loop_of_fifty_page_views_counts_almost_nothing(live_server, inventory):
    started = time.monotonic()
    sent = fraud(live_server)
    elapsed = time.monotonic() - started
    db.session.rollback()  # see what the server's threads committed
    found = figures()
    counted = found.get("rendered", 0) + found.get("viewable", 0) + found.get("clicks", 0)
    share = counted / (sent["events"] + sent["clicks"])
    print(f"scripted fraud: {sent['views']} page views in {elapsed:.1f} s, "
          f"{sent['events']} events and {sent['clicks']} clicks sent, {counted} counted "
          f"({share:.1%}), filtered {found.get('filtered', 0)}")
    assert sent["views"] == 50 and sent["events"] >= 100 and sent["clicks"] >= 50
    assert share <= 0.03
    assert found.get("served", 0) <= 0.03 * sent["views"] * 3
    assert found["filtered"] >= 0.97 * (sent["events"] + sent["clicks"])
