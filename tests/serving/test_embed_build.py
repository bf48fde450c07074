"""The page scripts are built from static/embed-src/ and committed as built.

Nobody edits static/embed.js or static/embed-head.js by hand: this rebuilds them with
the pinned esbuild (``npm ci``) and compares byte for byte. The loader's gzipped budget
is checked on what /embed.js serves (test_embed_route.py).
"""

import os
import shutil

import pytest

from ad_manager import embed_build
from ad_manager.delivery import embed_rules


@pytest.fixture(scope="module")
def built():
    try:
        return embed_build.build()
    except embed_build.BuildError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))


def test_the_constants_module_is_generated_from_the_python_rules():
    text = (embed_build.SOURCE / embed_build.CONSTANTS).read_text(encoding="utf-8")
    assert text == embed_build.constants_module(), "run: flask --app app build-loader"
    assert "export const PHONE_MAX_WIDTH = 767;" in text
    assert 'export const NOT_COUNTED = "blockquote,' in text
    assert embed_rules.NOT_COUNTED_SELECTOR.endswith(",.adm-slot")


def test_committed_scripts_are_the_build_of_their_sources(built):
    assert set(built) == {embed_build.SOURCE / "constants.js", embed_build.STATIC / "embed.js",
                          embed_build.STATIC / "embed-head.js"}
    for path, content in built.items():
        assert path.read_bytes() == content, f"{path.name} is stale: flask --app app build-loader"


def test_the_head_script_keeps_its_config_token_and_the_shared_page_reading(built):
    head = built[embed_build.STATIC / "embed-head.js"].decode()
    loader = built[embed_build.STATIC / "embed.js"].decode()
    assert head.count("__ADM_CONFIG__") == 1
    # One paragraph rule for both scripts, from the Python rules.
    for script in (head, loader):
        assert embed_rules.NOT_COUNTED_SELECTOR in script
        assert f"innerWidth>{embed_rules.PHONE_MAX_WIDTH}" in script


def test_a_build_error_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(embed_build, "ESBUILD", tmp_path / "esbuild")
    with pytest.raises(embed_build.BuildError, match="npm ci"):
        embed_build.build()


def test_the_build_command_writes_the_scripts_and_their_sizes(runner, built, monkeypatch, tmp_path):
    root = embed_build.ROOT
    source = tmp_path / "static" / "embed-src"
    shutil.copytree(embed_build.SOURCE, source)
    (source / "constants.js").write_text("// stale\n", encoding="utf-8")
    monkeypatch.setattr(embed_build, "STATIC", tmp_path / "static")
    monkeypatch.setattr(embed_build, "SOURCE", source)
    monkeypatch.setattr(embed_build, "ROOT", tmp_path)
    result = runner.invoke(args=["build-loader"])
    assert result.exit_code == 0, result.output
    assert "static/embed.js: " in result.output and " gzipped" in result.output
    for path, content in built.items():
        assert (tmp_path / path.relative_to(root)).read_bytes() == content
