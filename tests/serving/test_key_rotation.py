"""Rotating the secret key: what the old key signed (event, click and HTML-creative
tokens) still counts under SECRET_KEY_FALLBACKS, new tokens carry the new key, and
a key the app was never given is refused."""

from ad_manager.delivery.shown import Shown
from ad_manager.serving import tokens
from ad_manager.serving.creative_html import read_creative, sign_creative
from tests.conftest import make_app
from tests.factories import SECRET, banner_shown, click_token, event_token, make_world, totals
from tests.serving.conftest import HEADERS, post_events

NEW_KEY = "the key of after the rotation"


def rotated(database_url, **settings):
    return make_app(database_url, SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[SECRET], **settings)


def test_tokens_of_the_old_key_still_count_after_the_rotation(database_url, app):
    world = make_world()
    server = rotated(database_url)
    with server.app_context():
        client = server.test_client()
        assert post_events(client, [(event_token(banner_shown(world)), "rendered")]
                           ).status_code == 204
        response = client.get(f"/c/{click_token(banner_shown(world))}", headers=HEADERS)
        assert response.status_code == 302
        assert response.headers["Location"] == "https://librairie.example/rentree"
        assert totals() == (0, 1, 0, 1, 0)


def test_a_token_of_a_key_the_app_was_never_given_is_refused(database_url, app):
    world = make_world()
    server = rotated(database_url)
    with server.app_context():
        client = server.test_client()
        unknown = tokens.sign("somebody else's key", banner_shown(world))
        assert post_events(client, [(unknown, "rendered")]).status_code == 400
        click = tokens.sign("somebody else's key", banner_shown(world), tokens.CLICK_SALT)
        assert client.get(f"/c/{click}", headers=HEADERS).status_code == 400
        assert totals() == (0, 0, 0, 0, 0)
    # Once the old key leaves the fallbacks, what it signed counts no more.
    server = make_app(database_url, SECRET_KEY=NEW_KEY)
    with server.app_context():
        old = event_token(banner_shown(world, "after"))
        assert post_events(server.test_client(), [(old, "rendered")]).status_code == 400


def test_new_tokens_are_signed_with_the_current_key_only():
    keys = (SECRET, NEW_KEY)
    shown = tokens.read(NEW_KEY, tokens.sign(keys, Shown(
        view="v", site=1, layout=2, placement=3, zone=4, campaign=5, creative=6)))
    assert shown.view == "v"
    html = sign_creative(keys, 1, 2)
    assert read_creative(NEW_KEY, html) == (1, 2)
    assert read_creative(SECRET, html) is None
    assert read_creative(keys, sign_creative(SECRET, 1, 2)) == (1, 2)
    assert read_creative(keys, sign_creative("unknown", 1, 2)) is None


def test_the_old_keys_are_read_from_the_environment(tmp_path):
    from ad_manager.config import finish_config, load_config

    config = finish_config(load_config(str(tmp_path), environ={
        "SECRET_KEY": "new", "SECRET_KEY_FALLBACKS": "older, old"}), str(tmp_path))
    assert config["SECRET_KEY_FALLBACKS"] == ["older", "old"]
    assert tokens.signing_keys(config) == ("older", "old", "new")
    assert config["WTF_CSRF_SECRET_KEY"] == ["older", "old", "new"]
    assert load_config(str(tmp_path), environ={})["SECRET_KEY_FALLBACKS"] == []
