"""Print the loader's size as readers download it, gzipped (the budget is 5 KB).

/embed.js serves static/embed.js with comments and indentation stripped
(``markup.strip_script``); the head part inlines embed-head.js the same way.
Run from the project root: python bench/embed_size.py
"""

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ad_manager.delivery.markup import strip_script

STATIC = Path(__file__).resolve().parent.parent / "static"
BUDGET = 5 * 1024


def served(path: Path) -> bytes:
    """Give the script as it is served: comments and indentation stripped."""
    return strip_script(path.read_text(encoding="utf-8")).encode()


def gzipped_size(path: Path) -> int:
    """Give the served size of ``path`` gzipped at the level servers use by default (6)."""
    return len(gzip.compress(served(path), compresslevel=6))


def main() -> None:
    for name in ("embed.js", "embed-head.js"):
        path = STATIC / name
        print(f"{name}: source {path.stat().st_size} bytes, served {len(served(path))} bytes, "
              f"{gzipped_size(path)} bytes gzipped")
    verdict = "within" if gzipped_size(STATIC / "embed.js") <= BUDGET else "OVER"
    print(f"embed.js is {verdict} the {BUDGET}-byte gzipped budget")


if __name__ == "__main__":
    main()
