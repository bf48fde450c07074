"""GET /serve: one answer per page view, exact, safe, and without a cookie."""

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models import Creative, Layout
from ad_manager.models.stats import HourlyStat
from ad_manager.serving import tokens
from ad_manager.serving.creative_html import HTML_SALT, sign_creative
from tests.factories import ORIGIN, make_campaign, make_inventory
from tests.serving.conftest import PAGE, READER, placements, serve

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture
def inventory(app):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    return make_inventory()


def served_counts() -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(HourlyStat.served), 0)))


def test_answer_fills_every_placement_of_the_reference_layout(client, inventory):
    response = serve(client)
    answer = response.json
    assert answer["layout"]["slug"] == "article"
    assert "article" in answer["layout"]["body_selectors"]
    assert answer["events"] == "http://localhost/e"
    found = placements(response)
    assert list(found) == ["votre-pub-ici", "insert-2", "insert-6", "colonne"]
    top = found["votre-pub-ici"]
    assert top["where"] == "before_first_paragraph"
    assert top["zone"]["label"] == "Publicité"
    assert top["ad"]["type"] == "image"
    assert (top["ad"]["width"], top["ad"]["height"]) == (728, 90)
    assert top["ad"]["src"].endswith("/media/wide.png")
    assert top["ad"]["click"].startswith("http://localhost/c/")
    first, second = found["insert-2"]["links"], found["insert-6"]["links"]
    assert found["insert-2"]["insert"]["label"] == "À lire aussi :"
    assert len(first) == len(second) == 1
    assert first[0]["url"] != second[0]["url"]
    assert PAGE not in {first[0]["url"], second[0]["url"]}
    assert found["colonne"]["ad"] is None  # unsold, configured to collapse


def test_phone_viewport_gets_the_phone_size(client, inventory):
    ad = placements(serve(client, vw="390"))["votre-pub-ici"]["ad"]
    assert (ad["width"], ad["height"]) == (320, 100)
    assert ad["src"].endswith("/media/narrow.png")


def test_unsold_zone_shows_house_ad_linking_to_the_sales_contact(app, client, inventory):
    inventory["campaign"].state = "paused"
    db.session.commit()
    ad = placements(serve(client))["votre-pub-ici"]["ad"]
    assert ad["type"] == "house"
    assert ad["headline"] == "Votre Pub ici !"
    assert (ad["width"], ad["height"]) == (728, 90)
    token = ad["click"].rsplit("/c/", 1)[1]
    shown = tokens.read(app.config["SECRET_KEY"], token)
    assert shown.campaign is None and shown.zone == inventory["top"].id


def test_tokens_say_what_was_shown_where(app, client, inventory):
    response = serve(client)
    ad = placements(response)["votre-pub-ici"]["ad"]
    shown = tokens.read(app.config["SECRET_KEY"], ad["event"])
    creative = inventory["campaign"].creatives[0]
    assert shown == Shown(
        view=response.json["view"], site=inventory["site"].id,
        layout=inventory["layout"].id, placement=inventory["layout"].placements[0].id,
        zone=inventory["top"].id, campaign=inventory["campaign"].id, creative=creative.id,
        hour=int(time.time()) // 3600)
    # One signature for both: the click link carries the events' token.
    assert ad["click"].endswith(f"/c/{ad['event']}")
    link = placements(response)["insert-2"]["links"][0]
    assert tokens.read(app.config["SECRET_KEY"], link["event"]).article is not None


def test_each_page_view_has_its_own_view_id(client, inventory):
    assert serve(client).json["view"] != serve(client).json["view"]


def test_served_is_counted_but_not_for_previews_or_bots(client, inventory):
    serve(client)
    assert served_counts() == 3  # the ad and the two links
    serve(client, preview="1")
    assert served_counts() == 3
    serve(client, headers={"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    assert served_counts() == 3


def test_goal_reached_campaign_gives_way_to_the_house_ad(app, client, inventory):
    app.config["DELIVERED_REFRESH_SECONDS"] = 0  # read before each decision
    inventory["campaign"].goal_impressions = 2
    inventory["campaign"].pace = "asap"
    db.session.commit()
    types = []
    for _ in range(4):
        ad = placements(serve(client))["votre-pub-ici"]["ad"]
        types.append(ad["type"])
        if len(types) > 1:  # the first never rendered: served, not billed
            client.post("/e", json={"events": [{"t": ad["event"], "k": "rendered"}]},
                        headers=READER)
    assert types == ["image", "image", "image", "house"]


def test_frequency_cap_uses_what_the_page_remembers(client, inventory):
    inventory["campaign"].freq_cap_count = 1
    inventory["campaign"].freq_cap_hours = 24
    db.session.commit()
    ad = placements(serve(client))["votre-pub-ici"]["ad"]
    assert ad["fc"] is True
    seen = f'{{"{ad["campaign"]}": [{datetime.now(UTC).timestamp() - 60:.0f}]}}'
    assert placements(serve(client, fc=seen))["votre-pub-ici"]["ad"]["type"] == "house"


def test_device_targeting_reads_the_user_agent(client, inventory):
    inventory["campaign"].target_devices = ["phone"]
    db.session.commit()
    assert placements(serve(client, vw="390"))["votre-pub-ici"]["ad"]["type"] == "house"
    ad = placements(serve(client, vw="390", headers={"User-Agent": IPHONE}))["votre-pub-ici"]
    assert ad["ad"]["type"] == "image"


def test_language_targeting_compares_primary_languages(client, inventory):
    inventory["campaign"].target_languages = ["fr-FR"]
    db.session.commit()
    assert placements(serve(client, lang="fr-BE"))["votre-pub-ici"]["ad"]["type"] == "image"
    assert placements(serve(client, lang="en"))["votre-pub-ici"]["ad"]["type"] == "house"


def test_dashboard_edit_reaches_the_next_answer(client, inventory):
    assert placements(serve(client))["votre-pub-ici"]["ad"]["type"] == "image"
    inventory["campaign"].ends_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert placements(serve(client))["votre-pub-ici"]["ad"]["type"] == "house"


def test_sponsored_text_link_takes_the_first_place_of_an_insert(client, inventory):
    inventory["insert"].allow_sponsored = True
    inventory["insert"].link_count = 2
    sponsor = make_campaign([], name="Vélos", creatives=[Creative(
        kind="text", headline="Vélos Martin : l'atelier", click_url="https://velos.example/")])
    sponsor.inserts = [inventory["insert"]]
    db.session.commit()
    found = placements(serve(client))
    links = found["insert-2"]["links"] + found["insert-6"]["links"]
    sponsored = [link for link in links if link["sponsored"]]
    assert len(sponsored) == 1  # one campaign once per page
    assert found["insert-2"]["links"][0]["title"] == "Vélos Martin : l'atelier"
    assert len(found["insert-2"]["links"]) == 2
    articles = [link["url"] for link in links if not link["sponsored"]]
    assert len(articles) == len(set(articles)) == 3


def test_layout_is_found_by_rule_or_default_when_the_tag_names_none(client, inventory):
    sport = Layout(site_id=inventory["site"].id, name="Sport", slug="sport",
                   match_sections=["sport"], rule_order=1)
    db.session.add(sport)
    db.session.commit()
    assert serve(client, layout=None, section="sport").json["layout"]["slug"] == "sport"
    assert serve(client, layout=None).json["layout"]["slug"] == "article"


@pytest.mark.parametrize(("origin", "allowed"), [
    (ORIGIN, True),
    ("http://127.0.0.1:5123", True),
    ("http://127.0.0.1", True),
    ("https://evil.example", False),
    ("http://127.0.0.1.evil.example:5000", False),
    ("null", False),
    ("http://localhost", True),  # our own origin: the dashboard's layout preview
])
def test_cors_answers_only_the_sites_allowed_origins(client, inventory, origin, allowed):
    response = serve(client, headers={"Origin": origin})
    assert "Origin" in response.headers.get("Vary", "")
    if allowed:
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == origin
    else:
        assert response.status_code == 403
        assert "Access-Control-Allow-Origin" not in response.headers
        assert served_counts() == 0


def test_preflight_is_answered_for_allowed_origins_only(client, inventory):
    ok = client.options("/serve?site=journal&layout=article", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "GET" in ok.headers["Access-Control-Allow-Methods"]
    refused = client.options("/serve?site=journal&layout=article", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_serving_sets_no_cookie_and_never_varies_by_cookie(admin_client, inventory):
    # Even a signed-in staff member (a session cookie present) gets a cookie-free answer.
    response = serve(admin_client, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.headers["Cache-Control"] == "no-store"
    error = serve(admin_client, site="inconnu")
    assert "Set-Cookie" not in error.headers
    assert "Cookie" not in error.headers.get("Vary", "")


@pytest.mark.parametrize(("params", "status", "says"), [
    ({"site": None}, 400, "site"),
    ({"site": "<script>"}, 400, "site"),
    ({"site": "inconnu"}, 404, "unknown site"),
    ({"layout": "inconnue"}, 404, "no layout"),
    ({"vw": "large"}, 400, "vw"),
    ({"vw": "99999999"}, 400, "vw"),
    ({"vw": "-5"}, 400, "vw"),
    ({"fc": "{not json"}, 400, "fc"),
    ({"fc": '{"1": "yesterday"}'}, 400, "fc"),
    ({"fc": '{"x": [1]}'}, 400, "fc"),
    ({"fc": "[1, 2]"}, 400, "fc"),
    ({"fc": '{"1": [true]}'}, 400, "fc"),
    ({"url": "javascript:alert(1)"}, 400, "url"),
    ({"url": "https://x.example/" + "a" * 3000}, 400, "url"),
    ({"preview": "yes"}, 400, "preview"),
    ({"title": "a\x00b"}, 400, "title"),
    ({"section": "s" * 9000}, 400, "query string"),
])
def test_bad_parameters_get_a_json_4xx(client, inventory, params, status, says):
    response = serve(client, **params)
    assert response.status_code == status
    assert response.is_json
    assert says in response.json["message"]
    assert served_counts() == 0


def test_long_page_metadata_is_cut_not_refused(client, inventory):
    # A page can't always choose its headline, tags or lang attribute: it keeps its ads.
    many = ",".join(f"tag{n}" for n in range(30))
    fc = "{" + ",".join(f'"{n}": [{n}, 1]' for n in range(1000, 1080)) + "}"
    for params in ({"title": "t" * 400}, {"tags": many}, {"lang": "zh-Hant-"},
                   {"lang": "x-klingon"}, {"title": "Deux\nlignes"}, {"fc": fc}):
        response = serve(client, **params)
        assert response.status_code == 200, (params, response.json)
        assert placements(response)["votre-pub-ici"]["ad"]["type"] == "image"


def test_errors_are_readable_by_the_sites_own_pages(client, inventory):
    response = serve(client, layout="inconnue", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    response = serve(client, layout="inconnue", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_refused_requests_count_nothing(client, inventory):
    assert serve(client, site="inconnu").status_code == 404
    assert serve(client, vw="large").status_code == 400
    assert serve(client, headers={"Origin": "https://evil.example"}).status_code == 403
    assert served_counts() == 0


def test_page_of_a_discovering_site_joins_the_catalogue(client, inventory):
    from ad_manager.models import Article

    inventory["site"].discover_articles = True
    db.session.commit()
    assert serve(client).status_code == 200
    found = db.session.scalar(sa.select(Article).where(Article.url == PAGE))
    assert found is not None and found.source == "discovered"
    assert found.title == "Ce jour-là"
    serve(client, title="Ce jour-là, mis à jour")
    db.session.refresh(found)
    assert found.title == "Ce jour-là, mis à jour"
    elsewhere = "https://ailleurs.example/politique/x"
    assert serve(client, url=elsewhere).status_code == 200
    assert db.session.scalar(sa.select(Article).where(Article.url == elsewhere)) is None


def test_page_of_a_site_that_does_not_discover_stays_out_of_the_catalogue(client, inventory):
    from ad_manager.models import Article

    serve(client)
    assert db.session.scalar(sa.select(Article).where(Article.url == PAGE)) is None


def test_no_query_string_a_page_can_send_makes_a_500(client, inventory):
    import random

    rng = random.Random(6)
    alphabet = "aZ9-_,.:/?&=%{}[]\"' \t\n\x00\x7féà€😀<>\\"
    values = ["", "1", "-1", "0", "1e9", "null", "[]", "{}", '{"1": [1e400]}', '{"1": [-1]}',
              '{"1": [' + ",".join(["1"] * 500) + "]}", "[" * 5000, "http://", "https://x",
              "javascript:x", "%00", "x" * 3000]
    names = ["site", "layout", "url", "title", "section", "tags", "vw", "lang", "fc",
             "preview"]
    for _ in range(300):
        params = {}
        for name in rng.sample(names, rng.randint(1, len(names))):
            params[name] = rng.choice(values) if rng.random() < 0.5 else "".join(
                rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.7:
            params["site"] = "journal"
        response = client.get("/serve?" + urlencode(params))
        assert response.status_code < 500, (params, response.data[:200])
        assert response.is_json


HTML_AD = "<p id=ad>Annonce</p><script>document.getElementById('ad').title = 'ok'</script>"


def html_inventory():
    things = make_inventory()
    campaign = make_campaign([things["top"]], name="Html", tier="sponsorship", creatives=[
        Creative(kind="html", width=728, height=90, html=HTML_AD, click_url="https://x.example/")])
    db.session.commit()
    return things, campaign


def test_html_creative_is_framed_from_our_host_under_its_own_sandboxing_policy(app, client):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    html_inventory()
    ad = placements(serve(client))["votre-pub-ici"]["ad"]
    assert ad["type"] == "html"
    assert "html" not in ad  # the answer stays small: the frame fetches it
    assert ad["src"].startswith("http://localhost/h/")
    response = client.get(ad["src"], headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.get_data(as_text=True).endswith(f"<body>{HTML_AD}</body></html>")
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith(
        "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox;")
    assert "allow-same-origin" not in policy
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("token", ["forged", "x" * 5000])
def test_html_creative_needs_a_token_we_signed(app, client, token):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    html_inventory()
    response = client.get(f"/h/{token}")
    assert response.status_code == 404
    assert response.get_data() == b""
    assert response.headers["Content-Security-Policy"].startswith("sandbox ")
    assert "Set-Cookie" not in response.headers


def test_html_creative_token_expires_and_names_an_html_creative_only(app, client):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    things, campaign = html_inventory()
    secret = app.config["SECRET_KEY"]
    image = things["campaign"].creatives[0].id
    assert client.get(f"/h/{sign_creative(secret, things['site'].id, image)}").status_code == 404
    other_site = things["site"].id + 1
    html = campaign.creatives[0].id
    assert client.get(f"/h/{sign_creative(secret, other_site, html)}").status_code == 404
    token = sign_creative(secret, things["site"].id, html)
    assert client.get(f"/h/{token}").status_code == 200

    class SevenHoursAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 7 * 3600

    old = URLSafeTimedSerializer(secret, salt=HTML_SALT, signer=SevenHoursAgo).dumps(
        [things["site"].id, html])
    assert client.get(f"/h/{old}").status_code == 404
