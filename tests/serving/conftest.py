"""Helpers of the serving tests: a page view's decision request and its answer read by
placement (the reference inventory of tests.factories.make_inventory), and the events
a page of ``make_world``'s site posts."""

import json
from urllib.parse import urlencode

import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models.stats import FILTER_REASONS, HourlyStat
from tests.factories import BROWSER, ORIGIN

PAGE = "https://www.journal.example/politique/ce-jour-la"
# A reader's page on make_world's site.
HEADERS = {"User-Agent": BROWSER, "Origin": "https://www.quotidien.fr"}
# A reader's page on make_inventory's site: only pages of the site count.
READER = {"User-Agent": BROWSER, "Origin": ORIGIN}


def serve(client, headers=None, **params):
    query = {"site": "journal", "layout": "article", "url": PAGE, "title": "Ce jour-là",
             "section": "politique", "vw": "1280", "lang": "fr"}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    return client.get("/serve?" + urlencode(query), headers={**READER, **(headers or {})})


def placements(response) -> dict:
    assert response.status_code == 200, response.json
    return {p["zone"]["slug"] if p["kind"] == "zone" else f"insert-{p['paragraph']}": p
            for p in response.json["placements"]}


def post_events(client, events, headers=HEADERS, **kwargs):
    body = json.dumps({"events": [{"t": t, "k": k} for t, k in events]})
    return client.post("/e", data=body, content_type=kwargs.pop("content_type", "text/plain"),
                       headers=headers, **kwargs)


def figures(**where) -> dict:
    """Give every measure summed over hourly rows (optionally filtered)."""
    names = ("served", "rendered", "viewable", "clicks", "filtered",
             *[f"filtered_{r}" for r in FILTER_REASONS])
    row = db.session.execute(sa.select(*[sa.func.coalesce(sa.func.sum(getattr(
        HourlyStat, name)), 0) for name in names]).where(
        *[getattr(HourlyStat, k) == v for k, v in where.items()])).one()
    return {name: n for name, n in zip(names, row, strict=True) if n}
