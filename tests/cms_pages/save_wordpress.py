"""Save the WordPress fixtures of this folder from a real install (see README.md).

    .venv/bin/python -m tests.cms_pages.save_wordpress

Installs a throwaway WordPress (tests/wordpress_site.py), publishes the standard
post, saves its page under the block and the classic theme with the install's
address replaced by https://www.journal.example, and writes the "-yoast" variants:
the same pages with the head Yoast SEO prints (tests/cms_pages/yoast_head.html).
"""

import re
import tempfile
from pathlib import Path

from tests.embed_pages import PARAGRAPHS
from tests.wordpress_site import BLOCK_THEME, CLASSIC_THEME, WordPressSite

HERE = Path(__file__).resolve().parent
ORIGIN = "https://www.journal.example"
TITLE = "Le budget municipal adopté de justesse"
TAGS = ["budget", "conseil municipal"]
DATE = "2026-11-29 08:00:00"


def with_yoast(html: str, url: str) -> str:
    """Give ``html`` with Yoast's head in place of WordPress's robots meta, as Yoast does."""
    head = (HERE / "yoast_head.html").read_text(encoding="utf-8").replace("{url}", url)
    html = re.sub(r"<title>.*?</title>\s*", "", html, count=1, flags=re.S)
    return re.sub(r"<meta name='robots'[^>]*>", lambda _m: head.strip(), html, count=1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = WordPressSite(Path(tmp)).start()
        try:
            url = site.publish(TITLE, PARAGRAPHS, TAGS, DATE)
            path = url.removeprefix(site.url)
            for theme, name in ((BLOCK_THEME, "wordpress-block"),
                                (CLASSIC_THEME, "wordpress-classic")):
                site.use_theme(theme)
                html = site.get(path).replace(site.url, ORIGIN)
                html = html.replace(site.url.replace("/", "\\/"), ORIGIN.replace("/", "\\/"))
                (HERE / f"{name}.html").write_text(html, encoding="utf-8")
                (HERE / f"{name}-yoast.html").write_text(with_yoast(html, ORIGIN + path),
                                                         encoding="utf-8")
        finally:
            site.close()


if __name__ == "__main__":
    main()
