"""Which origins may read decisions: the site's own, with port wildcards, nothing looser."""

import pytest

from ad_manager.serving.cors import origin_allowed

ALLOWED = ["https://www.journal.example", "http://127.0.0.1:*", "http://localhost:*",
           "https://preprod.journal.example:8443/"]


@pytest.mark.parametrize(("origin", "allowed"), [
    ("https://www.journal.example", True),
    ("https://WWW.Journal.example", True),
    ("https://www.journal.example:443", True),  # the default port, written out
    ("http://www.journal.example", False),  # another scheme is another origin
    ("https://journal.example", False),
    ("https://www.journal.example.evil.example", False),
    ("http://127.0.0.1:5000", True),
    ("http://127.0.0.1", True),
    ("http://localhost:8080", True),
    ("https://127.0.0.1:5000", False),
    ("http://127.0.0.2:5000", False),
    ("https://preprod.journal.example:8443", True),
    ("https://preprod.journal.example", False),
    ("http://127.0.0.1:*", False),  # a pattern is no origin
    ("null", False),
    ("", False),
    (None, False),
    ("http://user@127.0.0.1:5000", False),
    ("https://www.journal.example/path", False),
    ("https://" + "x" * 400, False),
])
def test_origin_is_allowed_only_when_the_site_lists_it(origin, allowed):
    assert origin_allowed(origin, ALLOWED) is allowed


def test_a_site_without_origins_allows_none():
    assert not origin_allowed("https://www.journal.example", [])
    assert not origin_allowed("https://www.journal.example", ["*", "junk", ""])
