"""Which catalogue articles an insert links to: a pure function, no Flask, no database.

The decision endpoint loads the site's listed articles as ``Candidate`` objects and the
insert as an ``InsertRule`` (see ``catalog/articles.py``), then asks ``choose_links``.
An insert has an ordered chain of choice rules (e.g. hand-picked, then same section,
then shared tags, then latest): each rule fills the places the rules before it left
empty, so an insert comes back empty only when the whole catalogue has nothing to
offer. Whatever the rule: never the current page, never an article another insert
of the same page (or an earlier rule) already links, never one older than the insert
allows; among equals the newest comes first. Hidden articles never reach this function.
"""

import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from urllib.parse import parse_qsl, urlencode, urlsplit

RULES = ("manual", "section", "tags", "latest")
MAX_LINKS = 3

# Query parameters that say where a reader came from, not which page it is.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "xtor")
DEFAULT_PORTS = {"http": 80, "https": 443}
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    """A listed article as the choice sees it."""

    id: int
    url: str
    title: str
    section: str
    tags: tuple[str, ...]
    published_at: datetime | None
    # "manual", "feed" or "discovered": discovery only ever updates the last.
    source: str = "manual"
    # Worked out once per article, not once per decision: ``normalise_url(url)``, the
    # choice's order (``newest_first``), the section and tags as compared (``label``).
    key: str = field(init=False, compare=False, repr=False)
    order: tuple[float, int] = field(init=False, compare=False, repr=False)
    section_label: str = field(init=False, compare=False, repr=False)
    tag_labels: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "key", normalise_url(self.url))
        setattr_(self, "order", (-(self.published_at or _OLDEST).timestamp(), -self.id))
        # Interned: a catalogue's thousands of articles share a few sections and tags.
        setattr_(self, "section_label", sys.intern(label(self.section)))
        setattr_(self, "tag_labels", frozenset(sys.intern(tag) for tag in labels(self.tags)))


@dataclass(frozen=True)
class InsertRule:
    """How an insert chooses its links."""

    rules: tuple[str, ...]  # in order, each of RULES at most once
    link_count: int  # 1..3
    max_age_days: int | None
    # Hand-picked articles in order: (article id, start, end); either date may be None.
    picks: tuple[tuple[int, datetime | None, datetime | None], ...] = ()


# Readers of one article ask with its address again and again (and once per insert).
@lru_cache(maxsize=4096)
def normalise_url(url: str) -> str:
    """Give a key that is the same for two spellings of one page's address.

    Scheme, case of the host, a leading "www.", the default port, a trailing slash,
    the fragment, tracking parameters and the order of query parameters don't make
    another page. Unparseable input gives the stripped text itself.
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(TRACKING_PARAMETERS)
    )
    key = f"//{host}{path}"
    if query:
        key += "?" + urlencode(query)
    return key


def label(text: str) -> str:
    """Compare sections and tags without regard to case or surrounding spaces."""
    return (text or "").strip().casefold()


def labels(tags: Iterable[str]) -> set[str]:
    """Give the tags as compared (``label``), the empty ones left out."""
    return {found for found in map(label, tags) if found}


# Sort key: newest publication first, undated last, then the latest added.
newest_first = attrgetter("order")


def _eligible(rule: InsertRule, articles: Sequence[Candidate], *, page_url: str,
              exclude: Collection[int], now: datetime) -> dict[int, Candidate]:
    """Keep the articles any strategy may link to here, by id, each page once."""
    page = normalise_url(page_url) if page_url else None
    oldest = now - timedelta(days=rule.max_age_days) if rule.max_age_days else None
    excluded = set(exclude)
    seen_urls = {page} if page else set()
    eligible: dict[int, Candidate] = {}
    for article in sorted(articles, key=newest_first):
        key = article.key
        if article.id in excluded or key in seen_urls:
            continue
        # Without a publication date an article's age is unknown: too old to be sure.
        if oldest is not None and (article.published_at is None or article.published_at < oldest):
            continue
        seen_urls.add(key)
        eligible[article.id] = article
    return eligible


def _manual(rule: InsertRule, eligible: dict[int, Candidate], now: datetime) -> list[Candidate]:
    """The hand-picked articles in the editor's order, each within its dates."""
    chosen = []
    for article_id, starts_at, ends_at in rule.picks:
        if starts_at is not None and now < starts_at:
            continue
        if ends_at is not None and now >= ends_at:
            continue
        if article_id in eligible and eligible[article_id] not in chosen:
            chosen.append(eligible[article_id])
    return chosen


def _same_section(eligible: dict[int, Candidate], section: str) -> list[Candidate]:
    """Articles of the page's section, newest first; none when the page has no section."""
    wanted = label(section)
    if not wanted:
        return []
    return [article for article in eligible.values() if article.section_label == wanted]


def _shared_tags(eligible: dict[int, Candidate], tags: Sequence[str]) -> list[Candidate]:
    """Articles sharing tags with the page: most shared tags first, then newest."""
    wanted = labels(tags)
    scored = []
    for article in eligible.values():
        shared = len(wanted & article.tag_labels)
        if shared:
            scored.append((-shared, article.order, article))
    scored.sort(key=lambda entry: entry[:2])
    return [article for _, _, article in scored]


def _by_rule(name: str, rule: InsertRule, eligible: dict[int, Candidate], *, section: str,
             tags: Sequence[str], now: datetime) -> list[Candidate]:
    """The articles one rule of the chain offers, best first."""
    if name == "manual":
        return _manual(rule, eligible, now)
    if name == "section":
        return _same_section(eligible, section)
    if name == "tags":
        return _shared_tags(eligible, tags)
    if name == "latest":
        return list(eligible.values())
    return []


def choose_links_by_rule(rule: InsertRule, articles: Sequence[Candidate], *, page_url: str,
                         section: str, tags: Sequence[str], exclude: Collection[int],
                         now: datetime, slots: int | None = None) -> list[tuple[str, Candidate]]:
    """Give (rule that filled it, article) for each link of the insert on this page, in order.

    ``articles`` are the site's listed articles; ``exclude`` the ids other inserts of
    the page already link; ``slots`` overrides the rule's link count (one less when a
    sponsored link takes the first place). Never more than three links.
    """
    wanted = rule.link_count if slots is None else slots
    wanted = max(0, min(wanted, MAX_LINKS))
    if not wanted:
        return []
    eligible = _eligible(rule, articles, page_url=page_url, exclude=exclude, now=now)
    chosen: dict[int, tuple[str, Candidate]] = {}
    for name in rule.rules:
        for article in _by_rule(name, rule, eligible, section=section, tags=tags, now=now):
            if len(chosen) == wanted:
                return list(chosen.values())
            chosen.setdefault(article.id, (name, article))
    return list(chosen.values())[:wanted]


def choose_links(rule: InsertRule, articles: Sequence[Candidate], *, page_url: str,
                 section: str, tags: Sequence[str], exclude: Collection[int],
                 now: datetime, slots: int | None = None) -> list[Candidate]:
    """Give the articles the insert links to on this page, in display order."""
    return [article for _name, article in choose_links_by_rule(
        rule, articles, page_url=page_url, section=section, tags=tags, exclude=exclude,
        now=now, slots=slots)]
