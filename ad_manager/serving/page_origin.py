"""Whether a request comes from a page of the site, as a reader's browser would send it.

Only pages of the site count (MRC: general invalid traffic is filtered). A browser
says where a request comes from, and we take the first it sends of:

1. ``Origin`` — sent by every cross-origin ``fetch`` (the decision), by every POST
   (``/e``), whatever the page's ``Referrer-Policy`` when the request is in CORS mode;
   ``Origin: null`` (a sandboxed frame, or a no-cors POST from a page with
   ``Referrer-Policy: no-referrer``) says nothing and is skipped;
2. ``Referer`` — the page, or at least its origin under the default policy;
3. ``Sec-Fetch-Site`` (fetch metadata, every current browser): ``same-origin`` is
   a page of our own host, consistent only when the site lists our origin;
   ``same-site`` a page of our host name on another port or scheme, consistent when
   the site lists an origin of our host name.

Each must be consistent with the site's origins (``allowed_origins``) or domains.
A click is a top-level navigation: no ``Origin``, and no ``Referer`` either under
``no-referrer``. It then counts on the browser's word that a reader clicked on a
page (``Sec-Fetch-Mode: navigate`` with ``Sec-Fetch-User: ?1`` and a
``Sec-Fetch-Site`` other than ``none``, which is a typed or bookmarked address),
since the page it comes from cannot be known; what guards it is that the click
counts only after a counted rendered of the same page view and placement, whose
decision and event did pass the origin check.

A prefetch or prerender (``Sec-Purpose``, ``Purpose``) is no reader's view: it is
answered and filtered as "prefetch". Headers can be forged by a script that knows
them; these rules stop the scripts that do not, the rate limits and the anomaly
flags the rest.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from ad_manager.serving.cors import origin_allowed

PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
# The same headers as WSGI names them: a request's headers read straight from its
# environ, when it has one, cost a dict lookup each (werkzeug's ``get`` builds the name).
_PREFETCH_KEYS = tuple("HTTP_" + name.upper().replace("-", "_") for name in PREFETCH_HEADERS)


def is_prefetch(headers) -> bool:
    """Tell whether the browser is prefetching or prerendering, not showing a page."""
    environ = getattr(headers, "environ", None)
    values = ([environ.get(key) for key in _PREFETCH_KEYS] if environ is not None
              else [headers.get(name) for name in PREFETCH_HEADERS])
    for value in values:
        value = (value or "").lower()
        if "prefetch" in value or "prerender" in value or value == "preview":
            return True
    return False


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


# The same pages send the same Origin (and Referer) again and again: the verdict on an
# address up to this long is remembered (made-up values only churn the oldest out;
# longer ones are judged each time). Origins and domains are the site's rules' tuples.
REMEMBERED_ADDRESS = 300


def _page_of_site(url: str, origins, domains) -> bool:
    if len(url) > REMEMBERED_ADDRESS:
        return _judged_page_of_site(url, origins, domains)
    return _remembered_page_of_site(url, origins, domains)


def _judged_page_of_site(url: str, origins, domains) -> bool:
    """Tell whether a page URL or origin belongs to the site."""
    try:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
    except ValueError:
        return False
    return origin_allowed(origin, origins) or (_host(url) in domains and bool(_host(url)))


_remembered_page_of_site = lru_cache(maxsize=4096)(_judged_page_of_site)


def from_site_page(headers, origins, domains, own_origin: str, *, navigation=False) -> bool:
    """Tell whether the request comes from a page of the site (see the module's doc)."""
    origin = headers.get("Origin")
    if origin and origin != "null":
        return _page_of_site(origin, origins, domains)
    referer = headers.get("Referer")
    if referer:
        return _page_of_site(referer, origins, domains)
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site == "same-origin" and origin_allowed(own_origin, origins):
        return True
    if fetch_site == "same-site" and any(_host(str(entry)) == _host(own_origin)
                                         for entry in origins):
        return True
    return bool(navigation and fetch_site in ("same-origin", "same-site", "cross-site")
                and headers.get("Sec-Fetch-Mode") == "navigate"
                and headers.get("Sec-Fetch-User") == "?1")


def request_reason(headers, origins, domains, own_origin: str, *, navigation=False,
                   ) -> str | None:
    """Give why this request is not a reader's ("prefetch", "origin"), or None."""
    if is_prefetch(headers):
        return "prefetch"
    if not from_site_page(headers, origins, domains, own_origin, navigation=navigation):
        return "origin"
    return None
