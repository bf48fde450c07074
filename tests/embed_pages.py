"""Pages for the embed's browser tests: a publisher's article on an origin of its own.

``PageServer`` serves HTML on another port than the app (so every call to the ad
host is cross-origin, as on a real site) and keeps what pages post to it.
``article_html`` is the reference article (headline, zone placeholder, seven
paragraphs, byline) carrying whatever snippet parts a test gives it.
"""

import io
import threading
import time
from pathlib import Path

from PIL import Image
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from ad_manager.delivery import markup

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# Pages whose counted paragraphs say "Compte N" (the embed tests check positions by it).
COUNTED_PAGES_DIR = PAGES_DIR / "counted"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

PARAGRAPHS = [
    f"Paragraphe {n}. " + sentence * 3
    for n, sentence in enumerate([
        "Le conseil municipal a voté mardi soir le budget de l'année prochaine, après un "
        "débat de plus de quatre heures sur les investissements du quartier de la gare. ",
        "L'opposition reproche à la majorité d'avoir repoussé la rénovation de l'école "
        "primaire, dont la toiture fuit depuis deux hivers selon les parents d'élèves. ",
        "Le maire répond que les travaux commenceront au printemps, une fois les "
        "subventions régionales confirmées par la préfecture et le département. ",
        "Les commerçants du centre-ville, eux, attendent surtout le nouveau plan de "
        "circulation, promis depuis la fermeture du parking de la place du marché. ",
        "Un collectif d'habitants a déposé une pétition de mille deux cents signatures "
        "pour demander des pistes cyclables protégées sur le boulevard principal. ",
        "La séance s'est achevée peu avant minuit par un vote serré, vingt et une voix "
        "pour, dix-huit contre et quatre abstentions dans les rangs du centre. ",
        "Le budget sera présenté aux habitants lors d'une réunion publique le mois "
        "prochain, à la salle des fêtes, avec les élus des deux groupes. ",
    ], start=1)
]

PAGE_STYLE = (
    "body{margin:0;font:18px/1.6 Georgia,serif;color:#222}"
    "article{max-width:720px;margin:0 auto;padding:0 16px}"
    "h1{font-size:32px;line-height:1.2;margin:24px 0}"
    "aside{max-width:720px;margin:0 auto;padding:0 16px}"
)


def article_html(*, head: str = "", top: str = "", aside: str = "", script: str = "",
                 paragraphs=PARAGRAPHS, title="Le budget municipal adopté de justesse") -> str:
    """Give the reference article with the given snippet parts pasted in."""
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel="canonical" href="https://www.journal.example/politique/budget">'
        f'<meta property="og:title" content="{title}">'
        '<meta property="article:section" content="politique">'
        f"<style>{PAGE_STYLE}</style>{head}</head><body>"
        f"<article><h1>{title}</h1>{top}<div class=\"entry-content\">\n{body}</div>"
        '<p class="byline">Par notre chroniqueur Jean Dupont</p></article>'
        f"<aside>{aside}</aside>{script}</body></html>"
    )


def snippet(base_url: str, site, layout, zones, *, head=True, placeholders=True) -> dict:
    """Give the snippet parts for ``layout``, built by delivery/markup like the generator."""
    by_slug = {zone.slug: markup.placeholder(zone) for zone in zones} if placeholders else {}
    return {
        "head": markup.head_part(base_url, markup.layout_config(layout)) if head else "",
        "top": by_slug.get("votre-pub-ici", ""),
        "aside": by_slug.get("colonne", ""),
        "script": markup.script_tag(base_url, site.key, layout.slug),
    }


def publish(pages, live_server, world, *, head=True, placeholders=True, path="/article"):
    """Serve the reference article with the snippet parts of ``world`` (the reference
    inventory of tests.factories.make_inventory) on the page server; give its URL."""
    parts = snippet(live_server, world["site"], world["layout"],
                    [world["top"], world["column"]], head=head, placeholders=placeholders)
    return pages.add(path, article_html(**parts))


def png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


# The factories' banner pair: wide.png is 728×90, narrow.png 320×100.
IMAGES = {"wide.png": png((728, 90)), "narrow.png": png((320, 100))}


def media(route):
    """Answer our media storage's images (a Playwright route: the tests upload nothing)."""
    name = route.request.url.rsplit("/", 1)[-1]
    route.fulfill(body=IMAGES.get(name, png()), content_type="image/png")


class PageServer:
    """A static web server of another origin; ``posts`` keeps what pages sent to it."""

    def __init__(self):
        self.pages: dict[str, tuple[str, str, dict]] = {}
        self.posts: list[tuple[str, bytes]] = []
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, html: str, mimetype: str = "text/html", headers=None) -> str:
        """Serve ``html`` at ``path`` (with extra response ``headers``); give its full URL."""
        self.pages[path] = (html, mimetype, headers or {})
        return self.url + path

    def add_slow(self, path: str, html: str, split: str, pause: float) -> str:
        """Serve ``html`` in pieces cut after each ``split``, ``pause`` seconds apart.

        The browser parses and paints each piece as it comes, like an article page
        over a slow network: what a page shows at its first paint is then partial.
        """
        pieces = [piece + split for piece in html.split(split)]
        pieces[-1] = pieces[-1][: -len(split)]
        self.pages[path] = (pieces, "text/html", {"pause": pause})
        return self.url + path

    @Request.application
    def wsgi(self, request):
        if request.method == "POST":
            self.posts.append((request.path, request.get_data()))
            return Response(status=204)
        if request.path not in self.pages:
            return Response("not found", status=404)
        body, mimetype, headers = self.pages[request.path]
        if isinstance(body, list):
            return Response(self._slowly(body, headers["pause"]), mimetype=mimetype)
        return Response(body, mimetype=mimetype, headers=headers)

    @staticmethod
    def _slowly(pieces, pause):
        for number, piece in enumerate(pieces):
            if number:
                time.sleep(pause)
            yield piece.encode()

    def close(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


# Sum of the layout shifts not caused by input, after the loader has rendered.
CLS_SCRIPT = """async () => {
  if (window.admanager && window.admanager.ready) await window.admanager.ready;
  await new Promise(r => setTimeout(r, 600));
  return await new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 300);
  });
}"""


def rendered(page) -> None:
    """Wait until the loader has answered and rendered (or given up)."""
    page.wait_for_function("window.admanager && window.admanager.ready")
    page.evaluate("() => window.admanager.ready")
