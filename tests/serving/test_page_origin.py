"""Whether a request comes from a page of the site: verdicts on short addresses are
remembered, long ones (a Referer may be kilobytes) are judged each time."""

from ad_manager.serving import page_origin
from ad_manager.serving.page_origin import from_site_page

ORIGINS = ("https://www.journal.example",)
DOMAINS = ("journal.example",)


def test_an_origin_is_judged_once_and_a_long_referer_every_time():
    page_origin._remembered_page_of_site.cache_clear()
    for _ in range(3):
        assert from_site_page({"Origin": "https://www.journal.example"}, ORIGINS, DOMAINS,
                              "https://ads.example")
        assert not from_site_page({"Origin": "https://evil.example"}, ORIGINS, DOMAINS,
                                  "https://ads.example")
    long_referer = "https://journal.example/politique/x?" + "a=1&" * 500
    assert from_site_page({"Referer": long_referer}, ORIGINS, DOMAINS, "https://ads.example")
    info = page_origin._remembered_page_of_site.cache_info()
    assert (info.currsize, info.hits) == (2, 4)
