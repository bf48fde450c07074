"""The site's listed articles indexed for inserts, so a page view hands the link
choice (``delivery.link_choice.choose_links``) a handful of articles, not the catalogue.

``choose_links`` looks at every article it is given; with a catalogue of thousands
(a feed import), that is tens of milliseconds per insert. The snapshot keeps the
articles newest first, by section, by tag and by id; ``link_candidates`` gives the
newest few that can win for each rule of the insert's chain. The few are enough: the choice
skips at most the page itself, the articles other inserts of the page link, and
the odd duplicate address, and takes the newest of the rest (``MARGIN`` covers the
duplicates). For "tags", where more shared tags beat newer, each tag's newest
``TAG_DEPTH`` articles are considered.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from ad_manager.delivery.link_choice import MAX_LINKS, Candidate, InsertRule

MARGIN = 8
TAG_DEPTH = 50
_OLDEST = datetime.min.replace(tzinfo=UTC)


def _fold(text: str) -> str:
    return (text or "").strip().casefold()


def _newest_first(article: Candidate) -> tuple:
    """The choice's own order: newest publication first, undated last, then latest added."""
    return (-(article.published_at or _OLDEST).timestamp(), -article.id)


@dataclass(frozen=True)
class ArticleIndex:
    """A site's listed articles, newest first, and by section, tag and id."""

    newest: tuple[Candidate, ...] = ()
    by_section: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    by_tag: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    by_id: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, articles: Iterable[Candidate]) -> "ArticleIndex":
        newest = tuple(sorted(articles, key=_newest_first))
        sections: dict[str, list[Candidate]] = {}
        tags: dict[str, list[Candidate]] = {}
        for article in newest:
            sections.setdefault(_fold(article.section), []).append(article)
            for tag in {_fold(t) for t in article.tags}:
                tags.setdefault(tag, []).append(article)
        return cls(newest=newest,
                   by_section=MappingProxyType({k: tuple(v) for k, v in sections.items()}),
                   by_tag=MappingProxyType({k: tuple(v[:TAG_DEPTH]) for k, v in tags.items()}),
                   by_id=MappingProxyType({a.id: a for a in newest}))

    def __len__(self) -> int:
        return len(self.newest)


def link_candidates(index: ArticleIndex, rule: InsertRule, *, section: str,
                    tags: Sequence[str], exclude: Collection[int]) -> list[Candidate]:
    """Give the few articles the insert's choice needs to see on this page.

    Each rule of the chain adds its own few: a later rule fills what an earlier one
    left, so it may need as many as if it were alone.
    """
    found: dict[int, Candidate] = {}
    for name in rule.rules:
        for article in _rule_candidates(index, rule, name, section=section, tags=tags,
                                        exclude=exclude):
            found.setdefault(article.id, article)
    return list(found.values())


def _rule_candidates(index: ArticleIndex, rule: InsertRule, name: str, *, section: str,
                     tags: Sequence[str], exclude: Collection[int]) -> Iterable[Candidate]:
    depth = MAX_LINKS + len(exclude) + 1 + MARGIN  # links, other inserts', the page itself
    if name == "manual":
        return [index.by_id[pick[0]] for pick in rule.picks if pick[0] in index.by_id]
    if name == "section":
        return index.by_section.get(_fold(section), ())[:depth] if _fold(section) else ()
    if name == "tags":
        return [article for tag in {_fold(t) for t in tags if _fold(t)}
                for article in index.by_tag.get(tag, ())]
    if name == "latest":
        return index.newest[:depth]
    return ()
