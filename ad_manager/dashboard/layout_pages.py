"""The layout's snippet page and live preview (views of the ``layouts`` blueprint)."""

from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext as _

from ad_manager.auth.roles import requires
from ad_manager.demo.chronicle import CHRONICLE
from ad_manager.demo.pages import render_article
from ad_manager.extensions import db
from ad_manager.layouts import LayoutError
from ad_manager.layouts.preview import fetch_article
from ad_manager.models import Layout, Role
from ad_manager.snippets import content_security_policy, policy_text, snippet_parts

# Meta tags the loader reads from the page (docs/embed.md), shown on the snippet page.
PAGE_META = (
    '<link rel="canonical" href="https://www.example.fr/politique/mon-article">',
    '<meta property="og:title" content="Titre de l\'article">',
    '<meta property="article:section" content="politique">',
    '<meta property="article:tag" content="municipalité">',
)


def live_layout(layout_id: int) -> Layout:
    """Give a layout that is not archived, or answer 404."""
    layout = db.get_or_404(Layout, layout_id)
    if layout.archived:
        abort(404)
    return layout


@requires(Role.VIEWER)
def snippet(layout_id: int):
    """Show what the site's web developer pastes, with copy buttons and instructions."""
    layout = live_layout(layout_id)
    base_url = request.host_url
    parts = snippet_parts(layout.site, layout, base_url)
    policy = content_security_policy(parts, base_url)
    return render_template("layouts/snippet.html", layout=layout, parts=parts, policy=policy,
                           page_meta=PAGE_META, cli_command=" ".join([
                               "flask --app app snippet", layout.site.key, layout.slug,
                               "--json --base-url", base_url.rstrip("/")]))


@requires(Role.VIEWER)
def preview(layout_id: int):
    """Render the demo article (or a fetched article of the site) with this layout, live.

    The embed tag carries ``data-preview="1"``: the server shows real ads but
    counts nothing.
    """
    layout = live_layout(layout_id)
    url = request.args.get("url", "").strip()
    article, error, status = CHRONICLE, "", 200
    if url:
        try:
            article = fetch_article(layout.site, url, layout.body_selector)
        except LayoutError as problem:
            error, status = str(problem), 422
    canonical = url if url and not error else url_for("demo.article", _external=True)
    bar = {"title": _("Live preview of %(name)s", name=layout.name),
           "action": url_for("layouts.preview", layout_id=layout.id), "url": url,
           "url_label": _("Article address"), "button": _("Preview"), "error": error,
           "back": url_for("layouts.editor", layout_id=layout.id), "back_label": _("Editor")}
    db.session.refresh(layout)
    response = make_response(render_article(article, canonical, layout=layout, preview=bar),
                             status)
    # The article page needs its inline head script and styles: allow exactly those.
    parts = snippet_parts(layout.site, layout, request.host_url, preview=True)
    policy = content_security_policy(parts, request.host_url)
    policy["style-src"] = ["'unsafe-inline'"]
    policy["img-src"] = [*policy["img-src"], "data:"]
    response.headers["Content-Security-Policy"] = policy_text(policy) + (
        "; default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'")
    return response
