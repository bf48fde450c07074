"""The snippet generator: parts, placeholders for zones above the fold, the CLI JSON."""

import json

import pytest

from ad_manager.demo.layouts import load_layouts
from ad_manager.extensions import db
from ad_manager.snippets import content_security_policy, snippet_parts
from tests.factories import make_demo_site


@pytest.fixture
def demo(app):
    """The demo site with its zones and insert (made minimally) and the demo layout."""
    site = make_demo_site()
    layout = load_layouts(site)
    db.session.commit()
    return site, layout


def test_demo_layout_is_the_reference_article(demo):
    _site, layout = demo
    assert layout.is_default and layout.slug == "article"
    assert [(p.where, p.paragraph, (p.zone or p.insert).slug) for p in layout.placements] == [
        ("before_first_paragraph", None, "votre-pub-ici"),
        ("after_paragraph", 2, "a-lire-aussi"),
        ("after_paragraph", 6, "a-lire-aussi"),
        ("manual", None, "colonne"),
    ]


def test_loading_the_demo_layout_twice_changes_nothing(demo):
    site, layout = demo
    ids = [p.id for p in layout.placements]
    again = load_layouts(site)
    db.session.commit()
    assert again.id == layout.id
    assert [p.id for p in again.placements] == ids


def test_snippet_gives_the_tag_the_serving_tests_paste(demo):
    site, layout = demo
    parts = snippet_parts(site, layout, "http://127.0.0.1:5000/")
    assert parts["script"] == ('<script async src="http://127.0.0.1:5000/embed.js" '
                               'data-site="demo" data-layout="article"></script>')
    # The zone under the headline and the hand-placed sidebar need the page's own box.
    assert list(parts["placeholders"]) == ["votre-pub-ici", "colonne"]
    assert 'data-adm-zone="votre-pub-ici"' in parts["placeholders"]["votre-pub-ici"]
    assert "min-height:106px" in parts["placeholders"]["votre-pub-ici"]  # 90 + label
    assert '<link rel="preconnect" href="http://127.0.0.1:5000"' in parts["head"]


def test_preview_tag_is_marked_so_it_is_not_counted(demo):
    site, layout = demo
    assert 'data-preview="1"' in snippet_parts(site, layout, "http://h", preview=True)["script"]


def test_csp_sources_allow_the_inline_head_script_by_hash(demo):
    site, layout = demo
    parts = snippet_parts(site, layout, "https://ads.example.fr")
    policy = content_security_policy(parts, "https://ads.example.fr")
    assert policy["script-src"][0] == "https://ads.example.fr"
    assert policy["script-src"][1].startswith("'sha256-")
    assert policy["connect-src"] == ["https://ads.example.fr"]


def test_cli_prints_the_parts_as_json(demo, runner):
    result = runner.invoke(args=["snippet", "demo", "article", "--json",
                                 "--base-url", "https://ads.example.fr"])
    assert result.exit_code == 0, result.output
    parts = json.loads(result.output)
    assert set(parts) == {"head", "placeholders", "script"}
    assert set(parts["placeholders"]) == {"votre-pub-ici", "colonne"}
    assert 'src="https://ads.example.fr/embed.js"' in parts["script"]


def test_cli_prints_readable_parts_and_refuses_unknown_names(demo, runner):
    result = runner.invoke(args=["snippet", "demo", "article"])
    assert result.exit_code == 0
    assert "<head>" in result.output and 'data-layout="article"' in result.output
    assert runner.invoke(args=["snippet", "nope", "article"]).exit_code == 2
    assert runner.invoke(args=["snippet", "demo", "nope"]).exit_code == 2


def test_whole_demo_has_the_reference_layout_and_loads_twice_the_same(app):
    from ad_manager.demo import load_demo

    site = load_demo()
    db.session.commit()
    layout = next(lay for lay in site.layouts if lay.slug == "article")
    expected = [("before_first_paragraph", None, "votre-pub-ici"),
                ("after_paragraph", 2, "a-lire-aussi"), ("after_paragraph", 6, "a-lire-aussi"),
                ("manual", None, "colonne")]
    assert [(p.where, p.paragraph, (p.zone or p.insert).slug)
            for p in layout.placements] == expected
    ids = [p.id for p in layout.placements]
    load_demo()
    db.session.commit()
    assert [p.id for p in layout.placements] == ids


def test_snippet_json_gives_cms_plugins_the_parts_of_a_live_layout(demo, client):
    site, layout = demo
    response = client.get("/snippet/demo/article.json", base_url="https://ads.example.fr")
    assert response.status_code == 200
    assert response.json == snippet_parts(site, layout, "https://ads.example.fr/")
    # In the layout's order: the zone under the headline first, the sidebar's after.
    assert list(json.loads(response.text)["placeholders"]) == ["votre-pub-ici", "colonne"]
    assert "public" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", ["/snippet/demo/nope.json", "/snippet/nope/article.json",
                                  "/snippet/de%20mo/article.json", "/snippet/demo/article"])
def test_snippet_json_of_an_unknown_or_junk_layout_is_a_404(demo, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


def test_snippet_json_of_an_archived_layout_is_a_404(demo, client):
    _site, layout = demo
    layout.archived_at = layout.created_at
    db.session.commit()
    assert client.get("/snippet/demo/article.json").status_code == 404
