"""Fetch a catalogue article for the live preview: only from the site's own domains.

The preview shows the article's headline and paragraphs (as text) in the demo
template with the real embed tag; the fetched page's own markup and scripts never
reach the dashboard's origin.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ad_manager import outbound
from ad_manager.delivery.embed_rules import NOT_COUNTED_IN
from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS
from ad_manager.invalid import Invalid

TIMEOUT_SECONDS = 5
MAX_BYTES = 2_000_000
MAX_PARAGRAPHS = 60
# Paragraphs inside these are not counted (docs/architecture.md, "Paragraphs"), nor shown.
EXCLUDED = {*NOT_COUNTED_IN, "script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass(frozen=True)
class PreviewArticle:
    """An article page to preview a layout on: headline, section, tags, paragraphs, byline.

    The demo article is one; a site's own article, read from its page, is another.
    """

    title: str
    section: str
    paragraphs: tuple[str, ...]
    author: str
    tags: tuple[str, ...] = field(default_factory=tuple)
    standfirst: str = ""


def own_url(site, url: str) -> str:
    """Give ``url`` back when it is http(s) on one of the site's domains, else refuse it."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    domains = {d.strip().lower() for d in site.domains or [] if d.strip()}
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid.on("url", _("Give the full address of an article (http:// or https://)."))
    if host not in domains:
        raise Invalid.on("url", _("Only articles of the site's own domains can be previewed: "
                                  "%(domains)s.", domains=", ".join(sorted(domains)) or "—"))
    return parts.geturl()


def simple_selector(selector: str):
    """Give a matcher for a one-part selector (tag, .class, #id, [attr="value"]), else None.

    Enough for the built-in body selectors and most custom ones; the preview falls
    back to the built-in list for anything fancier.
    """
    selector = selector.strip()
    attribute = re.fullmatch(r'\[\s*([\w:-]+)\s*=\s*"?([^"\]]*)"?\s*\]', selector)
    if attribute:
        name, value = attribute.groups()
        return lambda tag, attrs: attrs.get(name) == value
    if re.fullmatch(r"\.[\w-]+", selector):
        return lambda tag, attrs: selector[1:] in (attrs.get("class") or "").split()
    if re.fullmatch(r"#[\w-]+", selector):
        return lambda tag, attrs: attrs.get("id") == selector[1:]
    if re.fullmatch(r"[a-z][a-z0-9]*", selector):
        return lambda tag, attrs: tag == selector
    return None


class ArticleText(HTMLParser):
    """Read headline, section, tags and body paragraphs (as plain text) from a page.

    The body is the first element the first matching selector finds, as in the
    loader; paragraphs count as docs/architecture.md says (with text, outside quotes, lists…).
    """

    def __init__(self, body_selectors):
        super().__init__(convert_charrefs=True)
        self.matchers = [m for m in map(simple_selector, body_selectors) if m is not None]
        self.meta, self.tags, self.h1, self.title = {}, [], "", ""
        self.stack = []  # (tag, indexes of the selectors whose first element this is)
        self.found = set()
        self.buckets = {}  # selector index (or None: whole page) → paragraphs
        self._text = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key == "article:tag":
                self.tags.append(attrs.get("content") or "")
            elif key:
                self.meta.setdefault(key, attrs.get("content") or "")
        if tag in VOID:
            return
        claimed = {i for i, match in enumerate(self.matchers)
                   if i not in self.found and match(tag, attrs)}
        self.found |= claimed
        self.stack.append((tag, claimed))
        if self._text is not None:
            return
        counted = tag == "p" and not EXCLUDED & {t for t, _claimed in self.stack}
        if counted or tag in ("h1", "title"):
            self._text = (tag, [])

    def handle_endtag(self, tag):
        if tag in VOID or tag not in (t for t, _claimed in self.stack):
            return
        owners = set().union(*(claimed for _t, claimed in self.stack))
        while self.stack and self.stack.pop()[0] != tag:
            pass
        if not self._text or self._text[0] != tag:
            return
        text = " ".join("".join(self._text[1]).split())
        self._text = None
        if tag == "p" and text:
            for owner in [None, *owners]:
                self.buckets.setdefault(owner, []).append(text)
        elif tag == "h1" and not self.h1:
            self.h1 = text
        elif tag == "title" and not self.title:
            self.title = text

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def paragraphs(self) -> list[str]:
        """Give the body's paragraphs (the whole page's when no selector found one)."""
        owner = min(self.found) if self.found else None
        return self.buckets.get(owner, [])[:MAX_PARAGRAPHS]


def read_article(html: str, body_selector: str = "") -> PreviewArticle:
    """Turn a page's HTML into the article the preview shows."""
    selectors = [body_selector] if simple_selector(body_selector or "") else []
    reader = ArticleText(selectors + DEFAULT_BODY_SELECTORS)
    reader.feed(html)
    reader.close()
    title = reader.meta.get("og:title") or reader.h1 or reader.title
    return PreviewArticle(title=title[:300], section=reader.meta.get("article:section", "")[:120],
                       tags=tuple(t for t in reader.tags if t)[:20],
                       paragraphs=tuple(reader.paragraphs()), author="")


def fetch_article(site, url: str, body_selector: str = "") -> PreviewArticle:
    """Fetch and read an article of the site, through the outbound guard (public
    addresses only, a timeout and a size limit); it must end on the site's domains."""
    url = own_url(site, url)
    try:
        page = outbound.fetch(url, max_bytes=MAX_BYTES, timeout=TIMEOUT_SECONDS, headers={
            "User-Agent": "AdManager-preview/1 (+layout preview)", "Accept": "text/html"})
    except outbound.TooLarge:
        raise Invalid.on("url", _("The page is too large to preview.")) from None
    except outbound.FetchFailed as failed:
        raise Invalid.on("url", str(failed)) from None
    own_url(site, page.url)  # where the redirects led
    if page.content_type and "html" not in page.content_type:
        raise Invalid.on("url", _("This address is not an HTML page."))
    article = read_article(page.body.decode(page.charset or "utf-8", errors="replace"),
                           body_selector)
    if not article.paragraphs:
        raise Invalid.on("url", _("No paragraph of text was found on this page."))
    return article
