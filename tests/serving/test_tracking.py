"""Counting end to end through the events endpoint and the click redirect."""

import json
from unittest import mock

from ad_manager.serving.tokens import sign
from ad_manager.serving.tracking import MAX_EVENTS
from tests.factories import (
    banner_shown,
    click_token,
    event_token,
    legacy_click_token,
    link_shown,
    make_world,
    totals,
)
from tests.serving.conftest import HEADERS, post_events


def test_rendered_and_viewable_events_count_once_however_often_sent(client):
    world = make_world()
    token = event_token(banner_shown(world))
    events = [(token, "rendered"), (token, "viewable")]
    response = post_events(client, events)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://www.quotidien.fr"
    assert "Origin" in response.headers["Vary"]
    assert post_events(client, events, content_type="application/json").status_code == 204
    assert post_events(client, events + events).status_code == 204
    assert totals() == (0, 1, 1, 0, 2)  # the replays, filtered once each


def test_events_endpoint_sets_no_cookie_and_does_not_vary_on_it(client):
    world = make_world()
    response = post_events(client, [(event_token(link_shown(world)), "rendered")])
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_forged_expired_and_malformed_tokens_get_400_and_count_nothing(client):
    world = make_world()
    forged = event_token(banner_shown(world))[:-3] + "abc"
    assert post_events(client, [(forged, "rendered")]).status_code == 400
    assert client.post("/e", data="not json", headers=HEADERS).status_code == 400
    assert client.post("/e", data='{"events": "x"}', headers=HEADERS).status_code == 400
    click_kind = event_token(banner_shown(world))
    assert post_events(client, [(click_kind, "click")]).status_code == 400
    assert post_events(client, [(click_kind, "served")]).status_code == 400
    response = post_events(client, [(forged, "rendered")])
    assert response.is_json and response.json["counted"] == 0
    assert totals() == (0, 0, 0, 0, 0)


def test_deeply_nested_json_is_refused_with_400_not_500(client):
    world = make_world()
    for body in ("[" * 8000 + "]" * 8000, '{"events": ' + "[" * 5000 + "]" * 5000 + "}",
                 '{"a":' * 2500 + "1" + "}" * 2500):
        for content_type in ("text/plain", "application/json"):
            response = client.post("/e", data=body, content_type=content_type, headers=HEADERS)
            assert response.status_code == 400, response.data
            assert response.is_json and response.json["counted"] == 0
    good = event_token(banner_shown(world))
    assert post_events(client, [(good, "rendered")]).status_code == 204
    assert totals() == (0, 1, 0, 0, 0)


def test_a_token_past_its_age_is_refused(client):
    from ad_manager.serving import tokens

    world = make_world()
    token = event_token(banner_shown(world))
    real_read = tokens.read
    with mock.patch.object(tokens, "read", lambda secret, t, salt, max_age=0: real_read(
            secret, t, salt, max_age=-1)):
        assert post_events(client, [(token, "rendered")]).status_code == 400
    assert totals() == (0, 0, 0, 0, 0)


def test_valid_events_count_beside_forged_ones(client):
    world = make_world()
    good = event_token(banner_shown(world))
    assert post_events(client, [(good, "rendered"), ("forged", "viewable")]).status_code == 204
    assert totals() == (0, 1, 0, 0, 0)


def test_batches_are_bounded_in_size_and_events(client):
    world = make_world()
    tokens = [(event_token(banner_shown(world, f"v{i}")), "rendered")
              for i in range(MAX_EVENTS + 1)]
    assert post_events(client, tokens).status_code == 400
    big = json.dumps({"events": [], "padding": "x" * 20_000})
    assert client.post("/e", data=big, headers=HEADERS).status_code == 413
    assert totals() == (0, 0, 0, 0, 0)


def test_bot_user_agents_and_excluded_ranges_are_filtered(client):
    world = make_world()
    token = event_token(banner_shown(world))
    bot = {"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"}
    assert post_events(client, [(token, "rendered")], headers=bot).status_code == 204
    excluded = event_token(banner_shown(world, "other"))
    assert post_events(client, [(excluded, "rendered")],
                       environ_base={"REMOTE_ADDR": "10.1.200.7"}).status_code == 204
    assert totals() == (0, 0, 0, 0, 2)


def test_preview_events_are_accepted_but_not_counted(client):
    world = make_world()
    token = event_token(banner_shown(world, preview=True))
    assert post_events(client, [(token, "rendered")]).status_code == 204
    assert totals() == (0, 0, 0, 0, 0)


def test_click_counts_once_then_redirects_to_the_creatives_own_destination(client):
    world = make_world()
    post_events(client, [(event_token(banner_shown(world)), "rendered")])
    token = click_token(banner_shown(world))
    for _ in range(3):
        response = client.get(f"/c/{token}?url=https://evil.example", headers=HEADERS)
        assert response.status_code == 302
        assert response.headers["Location"] == "https://librairie.example/rentree"
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
    assert totals() == (0, 1, 0, 1, 1)  # the replayed click filtered once


def test_link_click_goes_to_the_article_and_house_ad_to_sales_contact(client):
    world = make_world()
    house = banner_shown(world, "h", campaign=None, creative=None)
    post_events(client, [(event_token(link_shown(world)), "rendered"),
                         (event_token(house), "rendered")])
    response = client.get(f"/c/{click_token(link_shown(world))}", headers=HEADERS)
    assert response.headers["Location"] == world.article.url
    response = client.get(f"/c/{click_token(house)}", headers=HEADERS)
    assert response.headers["Location"] == "https://www.quotidien.fr/publicite"
    assert totals() == (0, 2, 0, 2, 0)


def test_head_requests_and_previews_never_count_a_click(client):
    world = make_world()
    assert client.head(f"/c/{click_token(banner_shown(world))}",
                       headers=HEADERS).status_code == 302
    preview = click_token(banner_shown(world, "p", preview=True))
    assert client.get(f"/c/{preview}", headers=HEADERS).status_code == 302
    assert totals() == (0, 0, 0, 0, 0)


def test_a_click_link_signed_before_one_token_served_both_still_counts(client):
    """Pages open when the app is upgraded still hold click links of the old kind."""
    world = make_world()
    post_events(client, [(event_token(banner_shown(world)), "rendered")])
    response = client.get(f"/c/{legacy_click_token(banner_shown(world))}", headers=HEADERS)
    assert response.headers["Location"] == "https://librairie.example/rentree"
    # The same click through a new link is the same click: counted once.
    assert client.get(f"/c/{click_token(banner_shown(world))}",
                      headers=HEADERS).status_code == 302
    assert totals() == (0, 1, 0, 1, 1)


def test_bad_click_token_gets_a_400_page_not_a_redirect(client):
    world = make_world()
    other_key = sign("somebody else's key", banner_shown(world))
    for token in ("nonsense", other_key, click_token(banner_shown(world))[:-2] + "zz"):
        response = client.get(f"/c/{token}", headers=HEADERS)
        assert response.status_code == 400
        assert "Location" not in response.headers
        assert "Lien indisponible" in response.text
    assert totals() == (0, 0, 0, 0, 0)


def test_bot_click_redirects_but_is_filtered(client):
    world = make_world()
    response = client.get(f"/c/{click_token(banner_shown(world))}",
                          headers={"User-Agent": "curl/8.5"})
    assert response.status_code == 302
    assert totals() == (0, 0, 0, 0, 1)


def test_preflight_allows_the_sites_origins_only(client):
    make_world()
    response = client.options("/e", headers={"Origin": "https://www.quotidien.fr",
                                              "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://www.quotidien.fr"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    response = client.options("/e", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_not_placed_is_counted_once_apart_and_reported_per_placement(client, viewer_client):
    world = make_world()
    token = event_token(banner_shown(world))
    assert post_events(client, [(token, "not_placed"), (token, "not_placed")]).status_code == 204
    assert totals() == (0, 0, 0, 0, 0)  # nothing rendered, nothing charged
    from ad_manager.extensions import db
    from ad_manager.models.stats import HourlyStat

    assert db.session.scalar(db.select(db.func.sum(HourlyStat.not_placed))) == 1
    report = viewer_client.get(f"/reports/?period=today&site={world.site.id}").text
    assert "Non placés : servis à des pages qui n’avaient pas de place pour eux" in report
    export = viewer_client.get(f"/reports/export.csv?period=today&site={world.site.id}").text
    header, row = export.splitlines()[:2]
    assert dict(zip(header.split(","), row.split(","), strict=True))["not_placed"] == "1"
