"""Fetch a catalogue article for the live preview: only from the site's own domains.

The preview shows the article's headline and paragraphs (as text) in the demo
template with the real embed tag; the fetched page's own markup and scripts never
reach the dashboard's origin.
"""

from html.parser import HTMLParser
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from flask_babel import gettext as _

from ad_manager.demo.chronicle import DemoArticle
from ad_manager.layouts import LayoutError

TIMEOUT_SECONDS = 5
MAX_BYTES = 2_000_000
MAX_PARAGRAPHS = 60
# Paragraphs inside these are not counted (DESIGN.md), nor shown.
EXCLUDED = {"blockquote", "figure", "table", "li", "aside", "header", "footer", "nav",
            "script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def own_url(site, url: str) -> str:
    """Give ``url`` back when it is http(s) on one of the site's domains, else refuse it."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    domains = {d.strip().lower() for d in site.domains or [] if d.strip()}
    if parts.scheme not in ("http", "https") or not host:
        raise LayoutError(_("Give the full address of an article (http:// or https://)."), "url")
    if host not in domains:
        raise LayoutError(_("Only articles of the site's own domains can be previewed: "
                            "%(domains)s.", domains=", ".join(sorted(domains)) or "—"), "url")
    return parts.geturl()


class ArticleText(HTMLParser):
    """Read headline, section, tags and body paragraphs (as plain text) from a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.tags, self.paragraphs = {}, [], []
        self.stack, self.h1, self.title = [], "", ""
        self._text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key == "article:tag":
                self.tags.append(attrs.get("content") or "")
            elif key:
                self.meta.setdefault(key, attrs.get("content") or "")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in ("p", "h1", "title") and self._text is None and not EXCLUDED & set(self.stack):
            self._text = (tag, [])

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if self._text and self._text[0] == tag:
            text = " ".join("".join(self._text[1]).split())
            self._text = None
            if tag == "p" and text and len(self.paragraphs) < MAX_PARAGRAPHS:
                self.paragraphs.append(text)
            elif tag == "h1" and not self.h1:
                self.h1 = text
            elif tag == "title" and not self.title:
                self.title = text

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)


def read_article(html: str) -> DemoArticle:
    """Turn a page's HTML into the article the preview shows."""
    reader = ArticleText()
    reader.feed(html)
    reader.close()
    title = reader.meta.get("og:title") or reader.h1 or reader.title
    return DemoArticle(title=title[:300], section=reader.meta.get("article:section", "")[:120],
                       tags=tuple(t for t in reader.tags if t)[:20],
                       paragraphs=tuple(reader.paragraphs), author="")


class SameSiteRedirects(HTTPRedirectHandler):
    """Follow redirects only to the site's own domains."""

    def __init__(self, site):
        self.site = site

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        own_url(self.site, newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_article(site, url: str) -> DemoArticle:
    """Fetch and read an article of the site, with a timeout and a size limit."""
    url = own_url(site, url)
    opener = build_opener(SameSiteRedirects(site))
    request = Request(url, headers={"User-Agent": "AdManager-preview/1 (+layout preview)",  # noqa: S310
                                    "Accept": "text/html"})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            if "html" not in response.headers.get("Content-Type", "text/html"):
                raise LayoutError(_("This address is not an HTML page."), "url")
            body = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except LayoutError:
        raise
    except (URLError, OSError, ValueError) as error:
        raise LayoutError(_("The page could not be fetched: %(error)s",
                            error=getattr(error, "reason", error)), "url") from None
    if len(body) > MAX_BYTES:
        raise LayoutError(_("The page is too large to preview."), "url")
    article = read_article(body.decode(charset, errors="replace"))
    if not article.paragraphs:
        raise LayoutError(_("No paragraph of text was found on this page."), "url")
    return article
