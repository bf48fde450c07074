"""Invalid traffic through the real endpoints: only pages of the site count, in order,
within rate limits, in the hour of their page view; the rest is filtered with a reason.
"""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from ad_manager.extensions import db
from ad_manager.models.stats import HourlyStat
from ad_manager.serving import tokens
from tests.factories import ORIGIN, make_inventory
from tests.serving.conftest import figures

PAGE = "https://www.journal.example/politique/ce-jour-la"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Safari/537.36")
# What a reader's browser sends: the decision and events from the site's page (CORS),
# the click as a navigation from it.
FETCH = {"User-Agent": CHROME, "Origin": ORIGIN, "Sec-Fetch-Site": "cross-site",
         "Sec-Fetch-Mode": "cors"}
CLICK = {"User-Agent": CHROME, "Referer": ORIGIN + "/", "Sec-Fetch-Site": "cross-site",
         "Sec-Fetch-Mode": "navigate", "Sec-Fetch-User": "?1", "Sec-Fetch-Dest": "document"}


@pytest.fixture
def inventory(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    return make_inventory()


def decide(client, headers=FETCH, **params) -> dict:
    query = {"site": "journal", "layout": "article", "url": PAGE, "title": "Ce jour-là",
             "section": "politique", "vw": "1280", "lang": "fr", **params}
    response = client.get("/serve?" + urlencode(query), headers=headers)
    assert response.status_code == 200, response.text
    return response.json


def the_ad(answer) -> dict:
    return next(p for p in answer["placements"] if p["kind"] == "zone"
                and p["zone"]["slug"] == "votre-pub-ici")["ad"]


def send(client, ad, *kinds, headers=FETCH):
    body = json.dumps({"events": [{"t": ad["event"], "k": kind} for kind in kinds]})
    response = client.post("/e", data=body, content_type="text/plain", headers=headers)
    assert response.status_code == 204, response.text
    return response


def click(client, ad, headers=CLICK):
    response = client.get(ad["click"].replace("http://localhost", ""), headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == "https://librairie.example/"
    return response




def read_view(client):
    """A reader's whole page view of the top ad: decision, rendered, viewable, click."""
    ad = the_ad(decide(client))
    send(client, ad, "rendered")
    send(client, ad, "viewable")
    click(client, ad)
    return ad


def test_a_readers_page_view_counts_whole(client, inventory):
    read_view(client)
    campaign = inventory["campaign"].id
    assert figures(campaign_id=campaign) == {"served": 1, "rendered": 1, "viewable": 1,
                                              "clicks": 1}


def test_a_decision_asked_from_no_page_is_answered_but_nothing_it_leads_to_counts(
        app, client, inventory):
    headers = {"User-Agent": CHROME}  # a script: no Origin, no Referer, no fetch metadata
    ad = the_ad(decide(client, headers=headers))
    shown = tokens.read(app.config["SECRET_KEY"], ad["event"])
    assert shown.invalid == "origin"
    send(client, ad, "rendered", "viewable")  # even from a page of the site
    click(client, ad)
    campaign = inventory["campaign"].id
    assert figures(campaign_id=campaign) == {"filtered": 4, "filtered_origin": 4}


def test_a_referer_or_our_own_page_stands_for_a_missing_origin(client, inventory):
    inventory["site"].allowed_origins = [ORIGIN, "http://localhost"]
    db.session.commit()
    by_referer = {"User-Agent": CHROME, "Referer": PAGE}
    same_origin = {"User-Agent": CHROME, "Sec-Fetch-Site": "same-origin"}
    for headers in (by_referer, same_origin):
        send(client, the_ad(decide(client, headers=headers)), "rendered")
    foreign = {"User-Agent": CHROME, "Referer": "https://evil.example/journal"}
    send(client, the_ad(decide(client, headers=foreign)), "rendered")
    cross_site_without_origin = {"User-Agent": CHROME, "Sec-Fetch-Site": "cross-site"}
    send(client, the_ad(decide(client, headers=cross_site_without_origin)), "rendered")
    assert figures(zone_id=inventory["top"].id) == {
        "served": 2, "rendered": 2, "filtered": 4, "filtered_origin": 4}


def test_events_and_clicks_from_another_origin_are_filtered(client, inventory):
    evil = {**FETCH, "Origin": "https://evil.example"}
    ad = the_ad(decide(client))
    response = send(client, ad, "rendered", "viewable", headers=evil)
    assert "Access-Control-Allow-Origin" not in response.headers
    click(client, ad, headers={**CLICK, "Referer": "https://evil.example/page"})
    assert figures(zone_id=inventory["top"].id) == {
        "served": 1, "filtered": 3, "filtered_origin": 3}


def test_prefetch_and_prerender_are_answered_but_filtered(client, inventory):
    for purpose in ({"Sec-Purpose": "prefetch;prerender"}, {"Purpose": "prefetch"}):
        ad = the_ad(decide(client, headers={**FETCH, **purpose}))
        send(client, ad, "rendered")
    ad = the_ad(decide(client))
    send(client, ad, "rendered")
    click(client, ad, headers={**CLICK, "Sec-Purpose": "prefetch"})
    click(client, ad)  # the reader's own click, after the browser's prefetch of the link
    assert figures(zone_id=inventory["top"].id) == {
        "served": 1, "rendered": 1, "clicks": 1, "filtered": 5, "filtered_prefetch": 5}


def test_viewable_and_click_count_only_after_a_counted_rendered(client, inventory):
    ad = the_ad(decide(client))
    send(client, ad, "viewable")
    click(client, ad)
    other = the_ad(decide(client))
    send(client, other, "viewable", "rendered")  # one batch: rendered is taken first
    click(client, other)
    bot = the_ad(decide(client))
    send(client, bot, "rendered", headers={**FETCH, "User-Agent": "curl/8.5"})
    send(client, bot, "viewable")
    assert figures(zone_id=inventory["top"].id) == {
        "served": 3, "rendered": 1, "viewable": 1, "clicks": 1, "filtered": 4,
        "filtered_order": 3, "filtered_bot": 1}


def test_a_replayed_token_is_filtered_once_however_often_it_comes(client, inventory):
    ad = read_view(client)
    for _ in range(20):
        send(client, ad, "rendered", "viewable")
        click(client, ad)
    assert figures(zone_id=inventory["top"].id) == {
        "served": 1, "rendered": 1, "viewable": 1, "clicks": 1, "filtered": 3,
        "filtered_replay": 3}


def test_a_click_under_no_referrer_counts_on_the_browsers_word_that_a_reader_clicked(
        client, inventory):
    no_referrer = {k: v for k, v in CLICK.items() if k != "Referer"}
    ad = the_ad(decide(client))
    send(client, ad, "rendered")
    click(client, ad, headers=no_referrer)
    for headers in ({**no_referrer, "Sec-Fetch-User": ""},  # no reader's gesture
                    {**no_referrer, "Sec-Fetch-Site": "none"},  # typed or bookmarked
                    {"User-Agent": CHROME}):  # no fetch metadata at all
        other = the_ad(decide(client))
        send(client, other, "rendered")
        click(client, other, headers=headers)
    assert figures(zone_id=inventory["top"].id) == {
        "served": 4, "rendered": 4, "clicks": 1, "filtered": 3, "filtered_origin": 3}


def test_a_late_event_counts_in_the_hour_of_its_page_view(app, client, inventory):
    ad = the_ad(decide(client))
    shown = tokens.read(app.config["SECRET_KEY"], ad["event"])
    three_hours_ago = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(
        hours=3)
    late = type(shown)(**{**shown.__dict__, "hour": int(three_hours_ago.timestamp()) // 3600})
    send(client, {"event": tokens.sign(app.config["SECRET_KEY"], late)}, "rendered")
    rows = db.session.execute(sa.select(HourlyStat.hour, HourlyStat.served, HourlyStat.rendered)
                              .where(HourlyStat.zone_id == inventory["top"].id)
                              .order_by(HourlyStat.hour)).all()
    assert [(row.hour, row.served, row.rendered) for row in rows] == [
        (three_hours_ago, 0, 1), (three_hours_ago + timedelta(hours=3), 1, 0)]


def test_over_a_rate_limit_pages_are_answered_and_their_events_filtered(app, client, inventory):
    app.config.update(RATE_LIMIT_SERVE_PER_READER="3 per minute",
                      RATE_LIMIT_EVENTS_PER_VIEW="2 per minute",
                      RATE_LIMIT_CLICKS_PER_READER="1 per minute")
    ads = [the_ad(decide(client)) for _ in range(4)]
    for ad in ads:
        send(client, ad, "rendered")
    send(client, ads[0], "rendered")  # a replay
    send(client, ads[0], "viewable")  # a third batch of one page view: over
    click(client, ads[0])
    click(client, ads[1])  # a second click of this address within the minute: over
    assert figures(zone_id=inventory["top"].id) == {
        "served": 3, "rendered": 3, "clicks": 1, "filtered": 5, "filtered_rate": 4,
        "filtered_replay": 1}
    other_reader = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    response = client.get("/serve?" + urlencode({"site": "journal", "layout": "article",
                                                 "url": PAGE}), headers=FETCH, **other_reader)
    assert tokens.read(app.config["SECRET_KEY"], the_ad(response.json)["event"]).invalid is None
