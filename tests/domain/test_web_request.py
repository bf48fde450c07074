"""The app's request class gives the addresses werkzeug gives, worked out once, and
its own host in the form a browser sends as ``Origin``."""

import pytest
from flask import Request
from werkzeug.test import EnvironBuilder

from ad_manager.web_request import AppRequest


@pytest.mark.parametrize("base", ["http://localhost/", "https://ads.example.fr:8443/",
                                  "http://127.0.0.1:5000/", "http://[::1]:8000/",
                                  "https://ads.example.fr/pub/"])
def test_addresses_are_werkzeugs(base):
    environ = EnvironBuilder(path="/serve", base_url=base).get_environ()
    ours, werkzeugs = AppRequest(environ), Request(environ)
    assert ours.host_url == werkzeugs.host_url
    assert ours.url_root == werkzeugs.url_root


def test_an_international_host_stays_as_the_browser_names_it_in_origin():
    environ = EnvironBuilder(path="/serve", base_url="https://xn--pub-dma.example/").get_environ()
    assert AppRequest(environ).host_url == "https://xn--pub-dma.example/"
    assert Request(environ).host_url == "https://pubé.example/"  # werkzeug's IRI
