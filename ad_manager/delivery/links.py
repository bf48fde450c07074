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

import bisect
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ad_manager.delivery.link_choice import (
    MAX_LINKS,
    Candidate,
    InsertRule,
    label,
    labels,
    newest_first,
)

MARGIN = 8
TAG_DEPTH = 50


@dataclass(frozen=True)
class ArticleIndex:
    """A site's listed articles, newest first, and by section, tag and id."""

    newest: tuple[Candidate, ...] = ()
    by_section: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    by_tag: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    by_id: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, articles: Iterable[Candidate]) -> "ArticleIndex":
        newest = tuple(sorted(articles, key=newest_first))
        sections: dict[str, list[Candidate]] = {}
        tags: dict[str, list[Candidate]] = {}
        for article in newest:
            sections.setdefault(article.section_label, []).append(article)
            for tag in article.tag_labels:
                tags.setdefault(tag, []).append(article)
        return cls(newest=newest,
                   by_section=MappingProxyType({k: tuple(v) for k, v in sections.items()}),
                   by_tag=MappingProxyType({k: tuple(v[:TAG_DEPTH]) for k, v in tags.items()}),
                   by_id=MappingProxyType({a.id: a for a in newest}))

    def __len__(self) -> int:
        return len(self.newest)

    def with_changes(self, listed: Iterable[Candidate], gone: Collection[int]) -> "ArticleIndex":
        """Give the index with ``listed`` articles added (or replaced) and ``gone`` ids out.

        Costs a copy and a few binary searches, not a new sort of the catalogue: a
        discovered article joins a site's 50,000 in about a millisecond.
        """
        listed = list(listed)
        out = {a.id for a in listed} | set(gone)
        leaving = [self.by_id[i] for i in out if i in self.by_id]
        if not listed and not leaving:
            return self
        newest = _merged(self.newest, listed, out if leaving else ())
        sections = dict(self.by_section)
        for name in {a.section_label for a in (*listed, *leaving)}:
            merged = _merged(sections.get(name, ()),
                             [a for a in listed if a.section_label == name],
                             out if leaving else ())
            if merged:
                sections[name] = merged
            else:
                sections.pop(name, None)
        tags = dict(self.by_tag)
        for tag in {t for a in (*listed, *leaving) for t in a.tag_labels}:
            if any(tag in a.tag_labels for a in leaving):
                # One left: the tag's next newest may have been cut off; look again.
                found = tuple(a for a in newest if tag in a.tag_labels)
            else:
                found = _merged(tags.get(tag, ()), [
                    a for a in listed if tag in a.tag_labels], ())
            if found:
                tags[tag] = found[:TAG_DEPTH]
            else:
                tags.pop(tag, None)
        by_id = {i: a for i, a in self.by_id.items() if i not in out}
        by_id.update((a.id, a) for a in listed)
        return ArticleIndex(newest=newest, by_section=MappingProxyType(sections),
                            by_tag=MappingProxyType(tags), by_id=MappingProxyType(by_id))


def _merged(ordered: Sequence[Candidate], new: Iterable[Candidate],
            out: Collection[int]) -> tuple[Candidate, ...]:
    """Give ``ordered`` (newest first) without the ``out`` ids, with ``new`` put in place."""
    result = [a for a in ordered if a.id not in out] if out else list(ordered)
    for article in new:
        bisect.insort(result, article, key=newest_first)
    return tuple(result)


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
        wanted = label(section)
        return index.by_section.get(wanted, ())[:depth] if wanted else ()
    if name == "tags":
        return [article for tag in labels(tags)
                for article in index.by_tag.get(tag, ())]
    if name == "latest":
        return index.newest[:depth]
    return ()
