"""What a page view asks: the reader's page described, as the decision reads it."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PageRequest:
    """One page view's question: which site and layout, and what the page is about."""

    site: str
    layout: str | None = None
    url: str = ""
    title: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    published: datetime | None = None
    viewport_width: int | None = None
    language: str = ""
    frequency: dict[int, tuple[float, ...]] = field(default_factory=dict)
    preview: bool = False
