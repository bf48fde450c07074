"""The inventory rules as plain functions, without a request or a database."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ad_manager.inventory import Invalid
from ad_manager.inventory.addresses import host_names, ip_ranges, origins, web_url
from ad_manager.inventory.campaigns import to_local, to_utc
from ad_manager.inventory.slugs import slug, slugify


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:,x",
                                 "vbscript:x", "ftp://a.fr", "//a.fr/x", "a.fr", "http://",
                                 "https://exa mple.fr", ""])
def test_click_url_must_be_http_or_https(url):
    with pytest.raises(Invalid) as raised:
        web_url(url, "click_url")
    assert "click_url" in raised.value.errors


def test_web_urls_pass_as_given():
    assert web_url(" https://www.example.fr/offre?x=1 ", "click_url") == \
        "https://www.example.fr/offre?x=1"
    assert web_url("", "sales_contact_url", required=False) == ""


def test_ip_ranges_are_checked_and_normalised():
    assert ip_ranges(["192.0.2.7/24", "2001:db8::/32", "198.51.100.1"], "f") == [
        "192.0.2.0/24", "2001:db8::/32", "198.51.100.1/32"]
    for bad in ("192.0.2.0/33", "10.0.0.256", "bots"):
        with pytest.raises(Invalid):
            ip_ranges([bad], "f")


def test_origins_and_host_names():
    assert origins(["https://www.example.fr/", "http://localhost:*"], "o") == [
        "https://www.example.fr", "http://localhost:*"]
    for bad in ("www.example.fr", "https://exa_mple.fr", "ftp://example.fr", "http://a.fr:x"):
        with pytest.raises(Invalid):
            origins([bad], "o")
    assert host_names(["WWW.Example.fr."], "d") == ["www.example.fr"]
    with pytest.raises(Invalid):
        host_names(["https://www.example.fr"], "d")


def test_slugs_come_from_names_or_are_checked():
    assert slugify("Votre Pub ici !") == "votre-pub-ici"
    assert slug("", fallback="À lire aussi") == "a-lire-aussi"
    with pytest.raises(Invalid):
        slug("Votre Pub")


def test_wall_clock_times_in_a_site_time_zone_round_trip_through_utc():
    paris = ZoneInfo("Europe/Paris")
    summer = to_utc(datetime(2026, 7, 14, 12, 0), paris)
    assert summer.hour == 10 and summer.utcoffset().total_seconds() == 0
    assert to_local(summer, paris) == datetime(2026, 7, 14, 12, 0)
