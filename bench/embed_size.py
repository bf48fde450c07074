"""Print the page scripts' sizes as readers download them, gzipped (budget: 4 KB).

/embed.js serves static/embed.js and the head part inlines static/embed-head.js as
they are committed: both are built and minified from static/embed-src/ by
``flask --app app build-loader``. Run from the project root: python bench/embed_size.py
"""

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
BUDGET = 4 * 1024


def gzipped_size(path: Path) -> int:
    """Give the size of ``path`` gzipped at the level servers use by default (6)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def main() -> None:
    for name in ("embed.js", "embed-head.js"):
        path = STATIC / name
        print(f"{name}: {path.stat().st_size} bytes, {gzipped_size(path)} bytes gzipped")
    size = gzipped_size(STATIC / "embed.js")
    verdict = "within" if size <= BUDGET else "OVER"
    print(f"embed.js is {verdict} the {BUDGET}-byte gzipped budget ({size / BUDGET:.0%} of it)")


if __name__ == "__main__":
    main()
