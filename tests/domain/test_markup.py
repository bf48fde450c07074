"""The pasted markup: script tag, placeholders and head part (pure, no app)."""

import json
import re
from types import SimpleNamespace

from ad_manager.delivery import markup
from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS

SIZE_MAP = [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]


def zone(**overrides):
    values = {"slug": "votre-pub-ici", "label": "Publicité", "size_map": SIZE_MAP,
              "sizes": ["320x100", "728x90"], "archived": False}
    values.update(overrides)
    return SimpleNamespace(**values)


def placement(id, where, *, paragraph=None, zone_=None, insert=None):
    return SimpleNamespace(
        id=id, where=where, paragraph=paragraph, selector="", device="all", min_paragraphs=None,
        zone=zone_, insert=insert, kind="zone" if zone_ is not None else "insert",
    )


def reference_layout():
    """The reference article layout (docs/architecture.md)."""
    insert = SimpleNamespace(slug="a-lire-aussi", label="À lire aussi :", link_count=1,
                             archived=False)
    return SimpleNamespace(id=1, slug="article", body_selector="", placements=[
        placement(11, "manual", zone_=zone()),
        placement(12, "after_paragraph", paragraph=2, insert=insert),
        placement(13, "after_paragraph", paragraph=6, insert=insert),
        placement(14, "after_paragraph", paragraph=4, zone_=zone(slug="colonne", size_map=[
            {"min_width": 0, "sizes": ["300x250"]}])),
        placement(15, "after_paragraph", paragraph=5, zone_=zone(slug="old", archived=True)),
    ])


def test_script_tag_names_site_and_layout():
    tag = markup.script_tag("https://ads.example.fr/", "demo", "article")
    assert tag == ('<script async src="https://ads.example.fr/embed.js" data-site="demo" '
                   'data-layout="article"></script>')
    assert 'data-preview="1"' in markup.script_tag("https://a.fr", "demo", "article", preview=True)


def test_script_tag_escapes_what_it_is_given():
    tag = markup.script_tag('https://a.fr/"x', 'k"><script>', "a")
    assert "<script>" not in tag.removeprefix("<script async")
    assert "&quot;" in tag


def test_placeholder_reserves_the_zone_height_at_every_breakpoint_with_its_label():
    html = markup.placeholder(zone())
    # 100 px creative + 16 px label below 768 px, 90 + 16 from 768 px.
    assert '[data-adm-zone="votre-pub-ici"]{min-height:116px}' in html
    assert '@media (min-width:768px){[data-adm-zone="votre-pub-ici"]{min-height:106px}}' in html
    assert html.startswith(
        '<div data-adm-zone="votre-pub-ici" data-adm-kind="zone" class="adm-slot adm-zone"><style>')
    assert html.endswith('</style><span class="adm-label">Publicité</span></div>')


def test_placeholder_takes_the_tallest_size_of_an_entry_and_a_plain_dict():
    html = markup.placeholder({"slug": "colonne", "label": "", "size_map": [
        {"min_width": 0, "sizes": ["300x250", "300x600", "junk"]}]})
    assert '[data-adm-zone="colonne"]{min-height:600px}' in html
    assert "adm-label\"" not in html.split("</style>")[1]


def test_placeholder_escapes_label_and_slug():
    html = markup.placeholder(zone(slug='a"</style>', label="<b>Pub</b>"))
    assert html.count("</style>") == 1
    assert "&lt;b&gt;Pub&lt;/b&gt;" in html


def test_layout_config_is_plain_data_of_the_live_placements():
    config = markup.layout_config(reference_layout())
    assert json.loads(json.dumps(config)) == config
    assert config["body_selectors"] == DEFAULT_BODY_SELECTORS
    assert [p["id"] for p in config["placements"]] == [11, 12, 13, 14]
    assert config["placements"][1] == {
        "id": 12, "kind": "insert", "where": "after_paragraph", "paragraph": 2, "selector": "",
        "device": "all", "min_paragraphs": None,
        "insert": {"slug": "a-lire-aussi", "label": "À lire aussi :", "link_count": 1},
    }
    assert config["placements"][0]["zone"] == {"slug": "votre-pub-ici", "label": "Publicité",
                                               "size_map": SIZE_MAP}


def test_head_part_reserves_in_content_boxes_but_leaves_placeholders_to_the_page():
    head = markup.head_part("https://ads.example.fr", markup.layout_config(reference_layout()))
    style = re.search(r"<style>(.*?)</style>", head).group(1)
    assert '[data-adm-placement="12"]{min-height:1lh}' in style
    assert '[data-adm-placement="14"]{min-height:266px}' in style
    assert '[data-adm-placement="11"]' not in style
    assert '<link rel="preconnect" href="https://ads.example.fr" crossorigin>' in head


def test_head_script_is_minified_and_carries_the_layout():
    config = markup.layout_config(reference_layout())
    script = markup.head_script(config)
    assert "/*" not in script and "\n  " not in script
    assert markup.CONFIG_TOKEN not in script
    assert markup.script_json(config) in script
    assert "MutationObserver" in script


def test_head_script_json_cannot_end_the_script_element():
    layout = reference_layout()
    layout.placements[3].zone.label = "</script><script>alert(1)</script>"
    head = markup.head_part("https://a.fr", markup.layout_config(layout))
    assert head.count("</script>") == 1
    assert "\\u003c/script\\u003e" in head


def test_csp_hash_is_a_sha256_source():
    assert markup.csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
